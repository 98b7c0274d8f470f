/**
 * Platform pins through the whole graph computation (computeWorkspaceGraph, no Nx) on a
 * hand-written workspace: one named case per row. The same workspace holds every platform:
 * - base-one pins cmake/3.20.0 (template without versions), zlib/1.2.13 (plain recipe), py/3.9.15
 *   (template listing 3.9.16..18: ~3.9.15 admits them);
 * - base-two pins cmake/3.21.0 and gcc/9.3.1 (the gcc template lists only 9.3.0: no template);
 * - two-bases: base [base-one, base-two], nothing of its own;
 * - old-platform (v0/platform): base base-one; adds gcc/9.3.0 and zlib/1.2.14 (zlib.spk.yaml is not a
 *   template: it cannot produce 1.2.14), removes cmake;
 * - derived: base [base-one, base-two]; pins cmake/3.22.0, removes zlib (atBuild: false), pins
 *   dup/3.0.0 (two templates without versions), states py/~3.9 (a range) and pins tool/1.0.0,
 *   whose recipe requests derived at build time (bootstrapping).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeOptions, type NxSpkPluginOptions } from './options';
import type { CachedRecipeFile } from './recipe-record';
import { computeWorkspaceGraph, type WorkspaceGraphResult } from './workspace-graph';

const T = (name: string, dflt: string) => `# {% set opt = opt | default_opts(version="${dflt}") %}\npkg: ${name}/{{ opt.version }}\n`;

export const PIN_FILES: Record<string, string> = {
  'workspace.spk.yaml':
    'api: v0/workspace\nrecipes:\n  - pkgs/**/*.spk.yaml\n  - path: pkgs/gcc/gcc.spk.yaml\n    versions: ["9.3.0"]\n  - path: pkgs/py/py.spk.yaml\n    versions: ["3.9.{16..18}"]\n',
  'pkgs/gcc/gcc.spk.yaml': T('gcc', '9.3.0'),
  'pkgs/cmake/cmake.spk.yaml': T('cmake', '3.26.4'),
  'pkgs/py/py.spk.yaml': T('py', '3.9.16') + 'build:\n  options:\n    - pkg: zlib/1.2\n',
  'pkgs/zlib/zlib.spk.yaml': 'pkg: zlib/1.2.13\n',
  'pkgs/dup/a.spk.yaml': T('dup', '1.0.0'),
  'pkgs/dup/b.spk.yaml': T('dup', '2.0.0'),
  'pkgs/tool/tool.spk.yaml': 'pkg: tool/1.0.0\nbuild:\n  options:\n    - pkg: derived/1.0.0\n',
  'pkgs/platforms/base-one.spk.yaml':
    'api: v1/platform\nplatform: base-one/1.0.0\nrequirements:\n  - pkg: cmake/3.20.0\n    atBuild: "~3.20.0"\n  - pkg: zlib/1.2.13\n  - pkg: py/3.9.15\n',
  'pkgs/platforms/base-two.spk.yaml':
    'api: v1/platform\nplatform: base-two/1.0.0\nrequirements:\n  - pkg: cmake/3.21.0\n  - pkg: gcc/9.3.1\n    atRuntime: "~9.3"\n',
  'pkgs/platforms/two-bases.spk.yaml': 'api: v1/platform\nplatform: two-bases/1.0.0\nbase: [base-one/1.0.0, base-two/1.0.0]\n',
  'pkgs/platforms/old.spk.yaml':
    'api: v0/platform\nplatform: old-platform/1.0.0\nbase: base-one/1.0.0\nrequirements:\n  add:\n    - pkg: gcc/9.3.0\n    - pkg: zlib/1.2.14\n  remove:\n    - pkg: cmake\n',
  'pkgs/platforms/derived.spk.yaml':
    'api: v1/platform\nplatform: derived/1.0.0\nbase: [base-one/1.0.0, base-two/1.0.0]\nrequirements:\n' +
    '  - pkg: cmake/3.22.0\n  - pkg: zlib\n    atBuild: false\n  - pkg: dup/3.0.0\n  - pkg: py/~3.9\n    atBuild: "~3.9.0"\n  - pkg: tool/1.0.0\n',
};

function graphOf(options: NxSpkPluginOptions = {}): WorkspaceGraphResult {
  const root = mkdtempSync(join(tmpdir(), 'nx-spk-pins-'));
  try {
    for (const [f, text] of Object.entries(PIN_FILES)) {
      mkdirSync(join(root, f, '..'), { recursive: true });
      writeFileSync(join(root, f), text);
    }
    const store = new Map<string, CachedRecipeFile>();
    const cache = { get: (k: string) => store.get(k), set: (k: string, v: CachedRecipeFile) => void store.set(k, v) };
    return computeWorkspaceGraph(Object.keys(PIN_FILES), normalizeOptions({ hostOptions: false, ...options }), root, cache, {});
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const pinsOf = (g: WorkspaceGraphResult, platform: string) =>
  Object.fromEntries((g.metadata.get(platform)!.platform?.pins ?? []).map((p) => [p.pkg, `${p.version} ${p.status}${p.project ? ` ${p.project}` : ''} <${p.from}`]));

describe('platform pins (computeWorkspaceGraph on hand-written platforms)', () => {
  const g = graphOf();
  const project = (name: string) => {
    for (const perFile of g.projectsByFile.values()) for (const p of Object.values(perFile)) if (p.name === name) return p;
    return undefined;
  };
  const rows: Array<{ name: string; check: () => void }> = [
    {
      name: 'pins from two bases',
      check: () =>
        assert.deepEqual(pinsOf(g, 'two-bases@1.0.0'), {
          cmake: '3.21.0 pinned cmake@3.21.0 <base-two@1.0.0',
          gcc: '9.3.1 no-template <base-two@1.0.0',
          py: '3.9.15 pinned py@3.9.15 <base-one@1.0.0',
          zlib: '1.2.13 project zlib@1.2.13 <base-one@1.0.0',
        }),
    },
    {
      name: 'a later base replaces an earlier pin',
      check: () => {
        assert.equal(pinsOf(g, 'two-bases@1.0.0').cmake, '3.21.0 pinned cmake@3.21.0 <base-two@1.0.0');
        // the earlier base still builds its own pin
        assert.equal(pinsOf(g, 'base-one@1.0.0').cmake, '3.20.0 pinned cmake@3.20.0 <base-one@1.0.0');
      },
    },
    {
      name: "the platform's own pin replaces both bases'",
      check: () => {
        assert.equal(pinsOf(g, 'derived@1.0.0').cmake, '3.22.0 pinned cmake@3.22.0 <derived@1.0.0');
        const cmake = project('cmake@3.22.0')!;
        assert.equal(cmake.targets!['spk-build'].options.templated, true, 'built with -o version=3.22.0');
        assert.equal(cmake.targets!['spk-build'].options.version, '3.22.0');
        assert.deepEqual(g.metadata.get('cmake@3.22.0')!.pinnedBy, ['derived@1.0.0']);
      },
    },
    {
      name: 'atBuild: false removes an inherited pin',
      check: () => {
        assert.equal(pinsOf(g, 'derived@1.0.0').zlib, undefined);
        assert.ok(g.metadata.get('derived@1.0.0')!.platform!.notes.some((n) => /drops the pin zlib\/1\.2\.13 inherited from base-one@1\.0\.0/.test(n)));
      },
    },
    {
      name: 'a pin with no template is explained and warned, and makes no project',
      check: () => {
        const gcc = g.metadata.get('base-two@1.0.0')!.platform!.pins.find((p) => p.pkg === 'gcc')!;
        assert.equal(gcc.status, 'no-template');
        assert.match(gcc.reason, /no recipe of gcc can produce 9\.3\.1 \(pkgs\/gcc\/gcc\.spk\.yaml lists 9\.3\.0/);
        assert.ok(g.metadata.get('base-two@1.0.0')!.warnings.some((w) => /pin gcc\/9\.3\.1 .* is not built/.test(w)));
        assert.equal(project('gcc@9.3.1'), undefined);
      },
    },
    {
      name: 'a pin with two candidate templates is explained and warned, and makes no project',
      check: () => {
        const dup = g.metadata.get('derived@1.0.0')!.platform!.pins.find((p) => p.pkg === 'dup')!;
        assert.equal(dup.status, 'ambiguous');
        assert.match(dup.reason, /pkgs\/dup\/a\.spk\.yaml, pkgs\/dup\/b\.spk\.yaml.*MultipleTemplates/);
        assert.ok(g.metadata.get('derived@1.0.0')!.warnings.some((w) => /pin dup\/3\.0\.0/.test(w)));
        assert.equal(project('dup@3.0.0'), undefined);
      },
    },
    {
      name: 'a range is not a pin (the inherited pin stays)',
      check: () => {
        assert.equal(pinsOf(g, 'derived@1.0.0').py, '3.9.15 pinned py@3.9.15 <base-one@1.0.0');
        assert.ok(g.metadata.get('derived@1.0.0')!.platform!.notes.some((n) => /'py\/~3\.9' is a range, not a pin/.test(n)));
      },
    },
    {
      name: 'a pinned recipe-version resolves like any other (py@3.9.15 builds against zlib)',
      check: () => assert.deepEqual(g.metadata.get('py@3.9.15')!.dependencies, ['zlib@1.2.13']),
    },
    {
      name: 'spk-build-platform depends on the build of every pin of the workspace, nothing else',
      check: () => {
        const t = project('derived@1.0.0')!.targets!['spk-build-platform'];
        assert.equal(t.executor, 'nx-spk:spk-build-platform');
        assert.deepEqual(t.dependsOn, [{ projects: ['cmake@3.22.0', 'py@3.9.15', 'tool@1.0.0'], target: 'spk-build' }]);
        assert.equal(project('py@3.9.15')!.targets!['spk-build-platform'], undefined, 'only platforms get it');
      },
    },
    {
      name: 'bootstrapping: a package requesting its platform at build time, pinned by it, is no cycle',
      check: () => {
        assert.deepEqual(g.metadata.get('tool@1.0.0')!.dependencies, ['derived@1.0.0']);
        assert.ok(!g.metadata.get('derived@1.0.0')!.dependencies.includes('tool@1.0.0'), 'pins are not edges');
        assert.deepEqual(project('derived@1.0.0')!.targets!['spk-build'].dependsOn, ['^spk-build']);
        assert.deepEqual(g.metadata.get('derived@1.0.0')!.cycles, []);
        assert.deepEqual(g.metadata.get('tool@1.0.0')!.cycles, []);
      },
    },
    {
      name: 'v0/platform: an added request naming a version is a pin, remove drops an inherited one',
      check: () =>
        assert.deepEqual(pinsOf(g, 'old-platform@1.0.0'), {
          gcc: '9.3.0 project gcc@9.3.0 <old-platform@1.0.0',
          py: '3.9.15 pinned py@3.9.15 <base-one@1.0.0',
          zlib: '1.2.14 failed <old-platform@1.0.0',
        }),
    },
    {
      name: 'a pin whose one candidate is not a template of the version is explained and warned',
      check: () => {
        const zlib = g.metadata.get('old-platform@1.0.0')!.platform!.pins.find((p) => p.pkg === 'zlib')!;
        assert.match(zlib.reason, /pkgs\/zlib\/zlib\.spk\.yaml cannot be rendered at 1\.2\.14: (line 1: )?pkg mismatch.*does not use opt\.version/);
        assert.ok(g.metadata.get('old-platform@1.0.0')!.warnings.some((w) => /pin zlib\/1\.2\.14/.test(w)));
        assert.equal(g.metadata.has('zlib@1.2.14'), false);
      },
    },
  ];
  for (const r of rows) test(r.name, r.check);

  test('platformPins: false makes no project from a pin, and says why', () => {
    const off = graphOf({ platformPins: false, buildPlatformTargetName: 'build-platform' });
    assert.equal(off.metadata.has('cmake@3.22.0'), false);
    assert.equal(off.metadata.has('py@3.9.15'), false);
    const cmake = off.metadata.get('derived@1.0.0')!.platform!.pins.find((p) => p.pkg === 'cmake')!;
    assert.equal(cmake.status, 'disabled');
    assert.match(cmake.reason, /platformPins is false/);
    let t;
    for (const perFile of off.projectsByFile.values()) for (const p of Object.values(perFile)) if (p.name === 'derived@1.0.0') t = p.targets!['build-platform'];
    assert.deepEqual(t!.dependsOn, [{ projects: ['tool@1.0.0'], target: 'spk-build' }], 'existing pins still build');
  });
});
