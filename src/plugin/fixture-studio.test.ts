/**
 * The plugin's graph on the hand-written fixture studio (test-support/fixtures/studio), whose
 * recipes are modeled on the situations of spk's own packages/ tree: a bootstrap chain, a
 * compiler built with an older release of itself (`gcc/<V`), a toolchain cycle, templated
 * versions over brace expansion, variants overriding options, components, an embedded package,
 * v0 and v1 platforms. The same checks on a real tree are the conformance suite (conformance/).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fg from 'fast-glob';
import { normalizeOptions } from './options';
import { computeWorkspaceGraph } from './workspace-graph';
import { emittedEdges, projectsStoringEdges, resolverEdges } from '../../test-support/testing/edges';
import { fixtureStudio } from '../../test-support/testing/repo-root';

const HOST = { os: 'linux', arch: 'x86_64', distro: 'rocky', rocky: '9.3' };

describe('fixture studio graph', () => {
  const root = fixtureStudio();
  const files = fg.sync('**/*.spk.yaml', { cwd: root }).sort();
  const g = computeWorkspaceGraph(files, normalizeOptions({ hostOptions: HOST }), root, new Map(), {});
  const meta = (p: string) => g.metadata.get(p) ?? assert.fail(`no project ${p}: ${[...g.metadata.keys()].join(' ')}`);
  const req = (p: string, request: string) => (g.explanations.get(p) ?? []).filter((r) => r.request === request);

  test('createDependencies, reading only the project configurations, emits exactly the resolver\'s edges', async () => {
    const resolver = resolverEdges(g);
    assert.ok(resolver.length > 0);
    assert.deepEqual(await emittedEdges(g), resolver);
    assert.deepEqual(projectsStoringEdges(g), [], 'edges are not stored twice');
  });

  test('one project per listed version of each templated recipe; the absent python2 makes none', () => {
    const versions = (name: string) => [...g.metadata.values()].filter((m) => m.name === name).map((m) => m.version).sort();
    assert.deepEqual(versions('python'), ['3.10.0', '3.10.1', '3.11.0', '3.9.0', '3.9.1', '3.9.2']);
    assert.deepEqual(versions('gcc'), ['11.1.0', '11.2.0', '9.3.1']);
    assert.deepEqual(versions('cmake'), ['3.26.1', '3.27.1']);
    assert.equal(g.metadata.size, 20);
  });

  // [project, request, expected target (undefined: no project edge), why]
  const table: Array<[string, string, string | undefined, string]> = [
    ['bootstrap-gcc@4.8.5', 'bootstrap-binutils', 'bootstrap-binutils@2.30.0', 'bootstrap chain'],
    ['gcc@11.2.0', 'gcc/<11.2.0', 'gcc@11.1.0', 'gcc/<V: the highest older gcc, never itself'],
    ['gcc@11.1.0', 'gcc/<11.1.0', 'gcc@9.3.1', 'gcc/<V one step further down'],
    ['gcc@9.3.1', 'gcc/<9.3.1', undefined, 'no older gcc in the workspace: external'],
    ['libfoo@1.4.0', 'cmake/~3.27.0', 'cmake@3.27.1', 'tilde range over brace-expanded cmake versions'],
    ['libfoo@1.4.0', 'python/3.9', 'python@3.9.2', 'a variant overrides the python option'],
    ['python@3.10.0', 'gcc/11', 'gcc@11.2.0', 'a variant overrides the gcc option'],
    ['python@3.10.0', 'cmake:run/~3.27.0', 'cmake@3.27.1', "a component's own requirement"],
    ['dcc-plugin@1.0.0', 'dcc/~2024.1', 'dcc@2024.1.0', 'plain dependency'],
    ['vfx-platform@2024.0.0', 'studio-platform', 'studio-platform@2024.0.0', 'v1 platform base'],
  ];
  for (const [project, request, target, why] of table) {
    test(`${project} ${request} → ${target ?? 'no edge'} (${why})`, () => {
      const rs = req(project, request);
      assert.ok(rs.length > 0, `${project} has no requirement ${request}: ${(g.explanations.get(project) ?? []).map((r) => r.request).join(', ')}`);
      if (target === undefined) {
        assert.ok(rs.every((r) => r.target === undefined || r.resolution !== 'project'), JSON.stringify(rs));
      } else {
        assert.ok(rs.some((r) => r.resolution === 'project' && r.target === target), JSON.stringify(rs));
        assert.ok(meta(project).dependencies.includes(target));
      }
    });
  }

  test('the toolchain cycle gcc ↔ binutils is broken once per gcc, with a recorded decision', () => {
    assert.ok(meta('binutils@2.40.0').dependencies.includes('gcc@11.2.0'));
    for (const gcc of ['gcc@9.3.1', 'gcc@11.1.0', 'gcc@11.2.0']) {
      assert.ok(!meta(gcc).dependencies.includes('binutils@2.40.0'), `${gcc} → binutils dropped`);
      assert.ok(meta(gcc).cycles.length > 0, `${gcc} records the cycle decision`);
    }
  });

  test('a request for python may be answered by the python embedded in dcc (python 3.10.8)', () => {
    const rs = req('dcc-plugin@1.0.0', 'python/~3.10.0');
    assert.ok(rs.some((r) => r.resolution === 'project' && (r.target === 'dcc@2024.1.0' || r.target === 'python@3.10.1')), JSON.stringify(rs));
  });

  test('v0 platform requirements are soft (IfAlreadyPresent): no edge', () => {
    assert.deepEqual(meta('studio-platform@2024.0.0').dependencies, []);
    assert.equal(meta('vfx-platform@2024.0.0').kind, 'v1/platform');
  });

  test('every edge ends at a project; no self edge', () => {
    for (const [name, m] of g.metadata) {
      for (const d of m.dependencies) {
        assert.ok(g.metadata.has(d), `${name} → ${d}`);
        assert.notEqual(d, name);
      }
    }
  });
});
