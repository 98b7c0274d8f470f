import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { collectExternals, externalPackageNames } from './externals';
import { req } from './fixture.test';
import type { PlanNode } from './model';

function node(project: string, requirements: PlanNode['requirements']): PlanNode {
  const at = project.lastIndexOf('@');
  return {
    project, pkg: project.slice(0, at), version: project.slice(at + 1), recipe: 'r.spk.yaml', kind: 'v0/package',
    tags: ['spk'], root: 'x', requirements, dependencies: [],
  };
}

const nodes = [
  node('app@1.0.0', [
    req('gcc', 'gcc/9', 'external'),
    req('python', 'python/3.11', 'external', 'runtime'),
    req('lib', 'lib/1', 'project'),
    req('soft', 'soft', 'soft'),
    req('tests', 'tests', 'not-ordered', 'test'),
  ]),
  node('lib@1.0.0', [req('gcc', 'gcc/9', 'external'), req('lib', 'lib/<1.0.0', 'self')]),
  node('boot@2.0.0', [req('boot', 'boot/1.0.0', 'cycle-broken')]),
];

describe('collectExternals', () => {
  test('groups by request; only external/self/cycle-broken', () => {
    const ex = collectExternals(nodes, undefined);
    assert.deepEqual(ex.map((e) => e.request), ['boot/1.0.0', 'gcc/9', 'lib/<1.0.0', 'python/3.11']);
    const gcc = ex.find((e) => e.request === 'gcc/9')!;
    assert.deepEqual(gcc.neededBy, ['app@1.0.0', 'lib@1.0.0']);
    assert.deepEqual(gcc.resolutions, ['external']);
    assert.deepEqual(gcc.roles, ['build']);
    assert.equal(gcc.visible, null);
    assert.deepEqual(ex.find((e) => e.request === 'lib/<1.0.0')!.resolutions, ['self']);
    assert.deepEqual(ex.find((e) => e.request === 'boot/1.0.0')!.resolutions, ['cycle-broken']);
  });

  test('visibility from the listings (local ∪ origin), newest first', () => {
    const listings = new Map([
      ['gcc', { origin: ['9.3.0', '10.1.0'], local: ['9.4.0'] }],
      ['python', { origin: ['3.10.0'], local: [] }],
      ['lib', { origin: [], local: [], error: 'spk ls lib failed' }],
      ['boot', { origin: ['1.0.1-beta.1', '0.9.0'], local: [] }],
    ]);
    const ex = collectExternals(nodes, listings);
    const by = Object.fromEntries(ex.map((e) => [e.request, e]));
    assert.equal(by['gcc/9'].visible, true);
    assert.deepEqual(by['gcc/9'].satisfiedBy, ['9.4.0', '9.3.0']);
    assert.equal(by['python/3.11'].visible, false);
    assert.deepEqual(by['python/3.11'].satisfiedBy, []);
    assert.equal(by['lib/<1.0.0'].visible, null);
    assert.match(by['lib/<1.0.0'].note!, /spk failed for lib/);
    // only a pre-release satisfies: spk would not use it by default
    assert.equal(by['boot/1.0.0'].visible, false);
    assert.match(by['boot/1.0.0'].note!, /pre-release/);
  });

  test('a listing missing for a name (not queried) is unknown', () => {
    const ex = collectExternals([node('a@1', [req('gcc', 'gcc/9', 'external')])], new Map());
    assert.equal(ex[0].visible, null);
  });

  test('an unparseable request is unknown with a note', () => {
    const ex = collectExternals([node('a@1', [req('gcc', 'gcc/!!bad', 'external')])], new Map([['gcc', { origin: ['9'], local: [] }]]));
    assert.equal(ex[0].visible, null);
    assert.match(ex[0].note!, /cannot parse request 'gcc\/!!bad'/);
  });

  test('a request without a version is satisfied by any released version', () => {
    const ex = collectExternals([node('a@1', [req('perl', 'perl', 'external')])], new Map([['perl', { origin: ['5.36.0'], local: [] }]]));
    assert.equal(ex[0].visible, true);
  });
});

test('externalPackageNames: distinct, sorted', () => {
  assert.deepEqual(externalPackageNames(nodes), ['boot', 'gcc', 'lib', 'python']);
});
