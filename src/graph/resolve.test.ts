import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Requirement } from '../spk/recipe';
import { resolveGraph } from './index';
import type { RecipeVersionNode } from './model';

function req(role: Requirement['role'], request: string, extra: Partial<Requirement> = {}): Requirement {
  const [nameComp, ...rest] = request.split('/');
  const pkg = nameComp.split(':')[0];
  return {
    role,
    pkg,
    request,
    range: rest.join('/'),
    components: [],
    prereleasePolicy: 'ExcludeAll',
    include: 'Always',
    source: role === 'build' ? 'build.options' : role === 'runtime' ? 'install.requirements' : role === 'platform-base' ? 'base' : 'requirements',
    ...extra,
  };
}

function node(name: string, version: string, requirements: Requirement[] = [], extra: Partial<RecipeVersionNode> = {}): RecipeVersionNode {
  return {
    project: `${name}@${version}`,
    name,
    version,
    file: `packages/${name}/${name}.spk.yaml`,
    kind: 'v0/package',
    compat: 'x.a.b',
    requirements,
    provides: [],
    ...extra,
  };
}

function resolutionOf(g: ReturnType<typeof resolveGraph>, project: string, request: string) {
  const r = g.resolutions.get(project)?.find((x) => x.request === request);
  assert.ok(r, `no requirement ${request} on ${project}`);
  return r;
}

describe('resolution picks what spk would', () => {
  const nodes = [
    node('zlib', '1.2.11+r.1'),
    node('zlib', '1.3.0'),
    node('tbb', '2019.9.0'),
    node('tbb', '2020.3.0'),
    ...['3.7.0', '3.7.17', '3.8.0', '3.9.5'].map((v) => node('python', v)),
    node('boost-python', '1.73.0'),
    node('cmake-example', '0.1.0'),
    node('cmake-example', '0.2.0-pre.0'),
    node('maya', '2019.0.0', [], { provides: [{ name: 'qt', version: '5.6.1' }] }),
    node('consumer', '1.0.0', [
      req('build', 'zlib/1.2'),
      req('build', 'tbb/2019'),
      req('build', 'python/~3.7.0'),
      req('build', 'boost-python/~1.70.0'),
      req('build', 'cmake-example'),
      req('build', 'gcc/6.3'),
      req('runtime', 'qt/5'),
      req('runtime', 'python', { fromBuildEnv: 'x.x' }),
      req('runtime', 'tbb/2020', { include: 'IfAlreadyPresent' }),
      req('test', 'zlib/1.3'),
    ]),
    node('pre-consumer', '1.0.0', [req('build', 'cmake-example', { prereleasePolicy: 'IncludeAll' })]),
  ];
  const g = resolveGraph(nodes);
  const table: Array<[string, string, string, string | undefined]> = [
    // project, request, resolution, target
    ['consumer@1.0.0', 'zlib/1.2', 'project', 'zlib@1.2.11+r.1'],
    ['consumer@1.0.0', 'tbb/2019', 'project', 'tbb@2019.9.0'],
    ['consumer@1.0.0', 'python/~3.7.0', 'project', 'python@3.7.17'],
    ['consumer@1.0.0', 'boost-python/~1.70.0', 'external', undefined],
    ['consumer@1.0.0', 'cmake-example', 'project', 'cmake-example@0.1.0'],
    ['consumer@1.0.0', 'gcc/6.3', 'external', undefined],
    ['consumer@1.0.0', 'qt/5', 'project', 'maya@2019.0.0'],
    ['consumer@1.0.0', 'python', 'project', 'python@3.7.17'],
    ['consumer@1.0.0', 'tbb/2020', 'soft', undefined],
    ['consumer@1.0.0', 'zlib/1.3', 'not-ordered', 'zlib@1.3.0'],
    ['pre-consumer@1.0.0', 'cmake-example', 'project', 'cmake-example@0.2.0-pre.0'],
  ];
  for (const [project, request, resolution, target] of table) {
    test(`${project} ${request} → ${resolution} ${target ?? ''}`, () => {
      const r = resolutionOf(g, project, request);
      assert.equal(r.resolution, resolution, r.reason);
      assert.equal(r.target, target, r.reason);
      assert.ok(r.reason.length > 10);
    });
  }
  test('edges are exactly the ordering resolutions', () => {
    assert.deepEqual(g.edges.get('consumer@1.0.0'), [
      'cmake-example@0.1.0',
      'maya@2019.0.0',
      'python@3.7.17',
      'tbb@2019.9.0',
      'zlib@1.2.11+r.1',
    ]);
    assert.deepEqual(g.edges.get('zlib@1.3.0'), []);
  });
  test('external reasons say what the workspace has', () => {
    const r = resolutionOf(g, 'consumer@1.0.0', 'boost-python/~1.70.0');
    assert.match(r.reason, /boost-python@1\.73\.0/);
    assert.match(resolutionOf(g, 'consumer@1.0.0', 'gcc/6.3').reason, /no recipe in the workspace provides gcc/);
  });
});

describe('recursive requests and bootstrap chains', () => {
  const gcc = (v: string, reqs: Requirement[] = [req('build', `gcc/<=${v}`)]) => node('gcc', v, reqs);
  const g = resolveGraph([gcc('9.3.0'), gcc('6.3.0'), gcc('4.8.5'), gcc('0.0.0+bootstrap.1', []), node('solo', '1.0.0', [req('build', 'solo')])]);
  test('each gcc builds with the highest other satisfying gcc', () => {
    assert.equal(resolutionOf(g, 'gcc@9.3.0', 'gcc/<=9.3.0').target, 'gcc@6.3.0');
    assert.equal(resolutionOf(g, 'gcc@6.3.0', 'gcc/<=6.3.0').target, 'gcc@4.8.5');
    assert.equal(resolutionOf(g, 'gcc@4.8.5', 'gcc/<=4.8.5').target, 'gcc@0.0.0+bootstrap.1');
  });
  test('a request only the project itself satisfies is self, with no edge', () => {
    const r = resolutionOf(g, 'solo@1.0.0', 'solo');
    assert.equal(r.resolution, 'self');
    assert.deepEqual(g.edges.get('solo@1.0.0'), []);
  });
  test('no cycles in a bootstrap chain', () => assert.deepEqual(g.cycles, []));
});

describe('cycles', () => {
  test('bootstrap-style: a lower satisfying version outside the cycle is picked', () => {
    const g = resolveGraph([
      node('autoconf', '2.71', [req('build', 'gettext')]),
      node('autoconf', '0.0.0+bootstrap.1'),
      node('gettext', '0.21', [req('build', 'autoconf')]),
    ]);
    assert.equal(g.cycles.length, 1);
    assert.equal(g.cycles[0].action, 'bootstrap');
    assert.equal(resolutionOf(g, 'gettext@0.21', 'autoconf').target, 'autoconf@0.0.0+bootstrap.1');
    assert.deepEqual(g.edges.get('autoconf@2.71'), ['gettext@0.21']);
    assert.match(g.cycles[0].message, /autoconf@2\.71 → gettext@0\.21 → autoconf@2\.71/);
  });
  test('without an alternative the closing edge is dropped and its target must be published', () => {
    const g = resolveGraph([
      node('automake', '1.16', [req('build', 'autoconf')]),
      node('autoconf', '2.71', [req('build', 'm4')]),
      node('m4', '1.4.9', [req('build', 'automake/1.16')]),
    ]);
    assert.equal(g.cycles.length, 1);
    assert.equal(g.cycles[0].action, 'dropped-edge');
    const broken = [...g.resolutions.values()].flat().filter((r) => r.resolution === 'cycle-broken');
    assert.equal(broken.length, 1);
    assert.match(broken[0].reason, /must already be published/);
    // what is left is acyclic
    const { findCycles } = require('./cycles') as typeof import('./cycles');
    assert.deepEqual(findCycles(g.edges), []);
  });
  test('strictCycles names the full path', () => {
    assert.throws(
      () => resolveGraph([node('a-pkg', '1.0.0', [req('build', 'b-pkg')]), node('b-pkg', '1.0.0', [req('runtime', 'a-pkg')])], { strictCycles: true }),
      /dependency cycle: a-pkg@1\.0\.0 → b-pkg@1\.0\.0 → a-pkg@1\.0\.0/,
    );
  });
});

describe('platform soft constraints narrow choices', () => {
  const platformReq = (pkg: string, range: string, phase: 'build' | 'runtime'): Requirement =>
    req('soft', `${pkg}/${range}`, { include: 'IfAlreadyPresent', phase, range, source: 'requirements' });
  const nodes = [
    ...['3.7.10', '3.9.5', '3.11.2'].map((v) => node('python', v)),
    node('company-platform', '2024.1.0', [platformReq('python', '~3.9.0', 'build'), platformReq('python', '~3.9.0', 'runtime')], { kind: 'v1/platform' }),
    node('vfx-platform', '2024.1.0', [platformReq('python', '~3.11.0', 'build')], { kind: 'v1/platform' }),
    node('dcc-platform', '2025.1.0', [req('platform-base', 'company-platform/2024.1.0'), req('platform-base', 'vfx-platform/2024.1.0'), platformReq('python', '~3.9.0', 'build'), { ...platformReq('python', '', 'runtime'), request: 'python (atRuntime: false)', removal: true }], { kind: 'v1/platform' }),
    node('two-bases', '2025.1.0', [req('platform-base', 'company-platform/2024.1.0'), req('platform-base', 'vfx-platform/2024.1.0')], { kind: 'v1/platform' }),
    node('layered', '1.0.0', [req('build', 'two-bases'), req('build', 'python')]),
    node('runtime-user', '1.0.0', [req('runtime', 'company-platform'), req('runtime', 'python')]),
    node('runtime-dcc', '1.0.0', [req('runtime', 'dcc-platform'), req('runtime', 'python')]),
    node('plugin', '1.0.0', [req('build', 'dcc-platform'), req('build', 'python')]),
    node('inherits', '1.0.0', [req('build', 'company-platform'), req('build', 'python')]),
    node('plain', '1.0.0', [req('build', 'python')]),
  ];
  const g = resolveGraph(nodes);
  test('without a platform: the highest python', () => assert.equal(resolutionOf(g, 'plain@1.0.0', 'python').target, 'python@3.11.2'));
  test('the platform atBuild overrides its base and narrows to ~3.9.0', () => {
    const r = resolutionOf(g, 'plugin@1.0.0', 'python');
    assert.equal(r.target, 'python@3.9.5', r.reason);
    assert.match(r.reason, /dcc-platform@2025\.1\.0 atBuild/);
  });
  test('a base platform constraint applies on its own', () => assert.equal(resolutionOf(g, 'inherits@1.0.0', 'python').target, 'python@3.9.5'));
  test('with two bases, the later base replaces the earlier one for the same package', () =>
    assert.equal(resolutionOf(g, 'layered@1.0.0', 'python').target, 'python@3.11.2'));
  test('atRuntime narrows runtime requests', () => assert.equal(resolutionOf(g, 'runtime-user@1.0.0', 'python').target, 'python@3.9.5'));
  test('atRuntime: false removes the inherited constraint', () =>
    assert.equal(resolutionOf(g, 'runtime-dcc@1.0.0', 'python').target, 'python@3.11.2'));
  test('the removal itself is soft and explained as a removal', () => {
    const r = resolutionOf(g, 'dcc-platform@2025.1.0', 'python (atRuntime: false)');
    assert.equal(r.resolution, 'soft');
    assert.match(r.reason, /false removes the constraint a base platform puts on python; no edge/);
  });
  test('platform bases are hard edges; constraints are soft', () => {
    assert.deepEqual(g.edges.get('dcc-platform@2025.1.0'), ['company-platform@2024.1.0', 'vfx-platform@2024.1.0']);
    assert.equal(resolutionOf(g, 'dcc-platform@2025.1.0', 'python/~3.9.0').resolution, 'soft');
  });
});
