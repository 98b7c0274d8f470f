/**
 * Conformance: the plugin's graph on spk's own packages/ tree (github.com/spkenv/spk, the path
 * given to `npm run test:conformance`, read in place): which
 * recipe-versions exist and which edges spk's solver would agree with. Expected values were
 * worked out by hand from the recipes and spk's range/compat rules (reasons inline).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import fg from 'fast-glob';
import { findCycles } from '../src/graph/cycles';
import { normalizeOptions } from '../src/plugin/options';
import type { CachedRecipeFile } from '../src/plugin/recipe-record';
import { computeWorkspaceGraph } from '../src/plugin/workspace-graph';
import { HOST, NOT_SPK_TREE, spkPackagesTree } from './trees';

const corpus = spkPackagesTree() ?? '/nonexistent';

function compute(cache = new Map<string, CachedRecipeFile>()) {
  const files = fg.sync('**/*.spk.yaml', { cwd: corpus }).sort();
  const opts = normalizeOptions({ hostOptions: HOST });
  return computeWorkspaceGraph(files, opts, corpus, cache, {});
}

describe('spk corpus graph', { skip: !spkPackagesTree() && NOT_SPK_TREE }, () => {
  const g = compute();
  const names = [...g.metadata.keys()].sort();
  const edges = (p: string) => g.metadata.get(p)?.dependencies ?? assert.fail(`no project ${p}`);
  const resolution = (p: string, request: string) => {
    const r = g.explanations.get(p)?.find((x) => x.request === request);
    assert.ok(r, `${p} has no requirement ${request}: ${JSON.stringify(g.explanations.get(p)?.map((x) => x.request))}`);
    return r;
  };

  test('exactly 159 recipe-versions (python2.spk.yaml is named but absent)', () => {
    assert.equal(names.length, 159, names.join(' '));
    for (const p of ['python@3.7.0', 'python@3.7.17', 'python@3.13.1', 'cmake@3.18.2', 'gcc@0.0.0+bootstrap.1', 'zlib@1.2.11+r.1']) {
      assert.ok(g.metadata.has(p), p);
    }
    assert.equal(names.filter((n) => n.startsWith('python@')).length, 101);
  });

  // [project, request, expected target or null for "no edge", why]
  const table: Array<[string, string, string | null, string]> = [
    ['python@3.11.5', 'gcc/6.3', null, 'variant pins gcc 6.3; only gcc 0.0.0+bootstrap.1 exists'],
    ['python@3.7.0', 'gcc/6.3', null, 'same for every python3 version'],
    ['python@3.11.5', 'zlib/1.2', 'zlib@1.2.11+r.1', 'plain 1.2 is binary-compatible with 1.2.11'],
    ['python@3.11.5', 'openssl', 'openssl@1.1.1+r.13', 'any version'],
    ['python@3.11.5', 'libffi', 'libffi@3.4.2', 'any version'],
    ['python@3.11.5', 'bzip2', 'bzip2@1.0.6', 'any version'],
    ['python@3.11.5', 'ncurses', 'ncurses@6.2.0', 'any version'],
    ['python@3.11.5', 'binutils', 'binutils@2.36.0', 'any version'],
    ['python@3.11.5', 'stdfs', 'stdfs@1.1.0', 'any version'],
    ['openvdb@8.0.0+r.1', 'tbb/2019', 'tbb@2019.9.0', '2020.3.0 is not binary-compatible with 2019'],
    ['openvdb@8.0.0+r.1', 'python/~3.7.0', 'python@3.7.17', 'highest 3.7.x'],
    ['openvdb@8.0.0+r.1', 'llvm/11', null, 'workspace has llvm 12.0.1 only'],
    ['openvdb@8.0.0+r.1', 'boost/~1.70.0', null, 'workspace has boost 1.73.0'],
    ['alembic@1.8.2+r.3', 'boost-python/~1.70.0', null, 'workspace has boost-python 1.73.0'],
    ['alembic@1.8.2+r.3', 'boost-python/~1.73.0', 'boost-python@1.73.0', 'another variant asks for ~1.73.0'],
    ['alembic@1.8.2+r.3', 'imath/~3.1.0', 'imath@3.1.3', '~3.1.0 → [3.1.0, 3.2)'],
    ['alembic@1.8.2+r.3', 'imath/2.4', 'imath@2.4.0+r.1', 'plain 2.4 is not binary-compatible with 3.1.3'],
    ['alembic@1.8.2+r.3', 'python/~2.7.0', null, 'python2 recipe absent from this copy'],
    ['alembic@1.8.2+r.3', 'cmake/^3.13', 'cmake@3.18.2', '^3.13 → <4'],
    ['imath@2.4.0+r.1', 'openexr/~2.4.0', 'openexr@2.4.3', 'not openexr 3.1.1'],
    ['imath@3.1.3', 'cmake/~3.13', 'cmake@3.18.2', '~ with two parts bumps the major: [3.13, 4.0)'],
    ['imath@3.1.3', 'numpy', null, 'no numpy recipe'],
    ['openexr@3.1.1', 'imath/~3.1.0', 'imath@3.1.3', ''],
    ['opencolorio@2.0.1+r.1', 'cmake/3.13', null, 'plain 3.13 needs binary compat: 3.18 differs in the API position'],
    ['opencolorio@2.0.1+r.1', 'pybind11/2.6.2', 'pybind11@2.6.2', ''],
    ['pybind11@2.6.2', 'python/3.7', 'python@3.7.17', 'plain 3.7 → highest binary-compatible 3.7.x'],
    ['pybind11@2.6.2', 'python/2.7', null, 'no python 2.7'],
    ['ninja@1.10.1', 'cmake/~3.16', 'cmake@3.18.2', ''],
    ['ninja@1.10.1', 'glibc', 'glibc@2.33.0', ''],
    ['ninja@1.10.1', 'coreutils', null, 'no coreutils recipe'],
    ['opentimelineio@0.14.1', 'python/3.7', 'python@3.7.17', ''],
    ['opentimelineio@0.14.1', 'cmake/~3.18', 'cmake@3.18.2', ''],
    ['python-pip@22.0.4', 'python', 'python@3.13.1', 'highest python'],
    ['m4@1.4.9', 'automake/1.16', 'automake@1.16.0', ''],
    ['m4@1.4.9', 'gettext/0.16', null, '0.21 is not binary-compatible with 0.16'],
    ['m4@1.4.9', 'texinfo/4.8', null, 'workspace has texinfo 6.7'],
    ['m4@1.4.9', 'm4', null, 'recursive: only itself'],
    ['openvdb@8.0.0+r.1', 'jemalloc', 'jemalloc@4.5.0+r.1', ''],
    ['openvdb@8.0.0+r.1', 'cuda/11', null, 'no cuda recipe'],
    ['bzip2@1.0.6', 'gcc', 'gcc@0.0.0+bootstrap.1', 'any gcc: the bootstrap one is the only one'],
    ['llvm@12.0.1+r.1', 'gcc/9.3', null, 'only the bootstrap gcc exists'],
    ['gettext@0.21.0', 'automake/>=1.16.1', null, 'automake 1.16 is 1.16.0'],
    ['gettext@0.21.0', 'gettext', null, 'recursive: only itself'],
  ];
  for (const [project, request, target, why] of table) {
    test(`${project} ${request} → ${target ?? 'no edge'}${why ? ` (${why})` : ''}`, () => {
      const r = resolution(project, request);
      if (target === null) {
        assert.notEqual(r.resolution, 'project', r.reason);
        assert.equal(r.target, undefined, r.reason);
      } else {
        assert.equal(r.target, target, r.reason);
        assert.ok(edges(project).includes(target), `${project} edges: ${edges(project).join(', ')}`);
      }
    });
  }

  test('no python3 version depends on the bootstrap gcc', () => {
    for (const n of names.filter((x) => x.startsWith('python@'))) {
      assert.ok(!edges(n).includes('gcc@0.0.0+bootstrap.1'), n);
    }
  });

  test('the GNU toolchain cycles are broken, deterministically, and reported', () => {
    const all = new Map([...g.metadata].map(([k, v]) => [k, v.dependencies]));
    assert.deepEqual(findCycles(all), []);
    const decisions = [...g.metadata.values()].flatMap((m) => m.cycles);
    assert.ok(decisions.length > 0, 'expected cycle decisions');
    assert.equal(resolution('gettext@0.21.0', 'autoconf').target, 'autoconf@0.0.0+bootstrap.1');
    const again = compute();
    assert.deepEqual(
      [...again.metadata].map(([k, v]) => [k, v.dependencies]),
      [...g.metadata].map(([k, v]) => [k, v.dependencies]),
    );
  });

  test('a warm cache renders nothing and gives the same graph', () => {
    const cache = new Map<string, CachedRecipeFile>();
    const cold = compute(cache);
    let sets = 0;
    const spy = { get: (k: string) => cache.get(k), set: (k: string, v: CachedRecipeFile) => (sets++, cache.set(k, v)) };
    const files = fg.sync('**/*.spk.yaml', { cwd: corpus }).sort();
    const warm = computeWorkspaceGraph(files, normalizeOptions({ hostOptions: HOST }), corpus, spy, {});
    assert.equal(sets, 0);
    assert.deepEqual([...warm.metadata.keys()], [...cold.metadata.keys()]);
  });
});
