import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findMatchingProjects } from '@nx/devkit/internal';
import { fakeGraph, sampleGraph, SAMPLE } from './fixture.test';
import { formatJson, planToJson } from './format-json';
import type { PlanProblem } from './model';
import { assemblePlan } from './plan';
import { planGraphFromProjectGraph, type ProjectGraphLike } from './project-graph';
import { selectProjects, type Selector } from './selection';
import type { RepoListing } from './status';

const SPK = { available: true, version: '0.44.0', bin: '/usr/bin/spk' };

function plan(nx: ProjectGraphLike, selector: Selector, listings?: Map<string, RepoListing>, problems?: PlanProblem[]) {
  const graph = planGraphFromProjectGraph(nx);
  const selection = selectProjects(graph, selector, (p) => findMatchingProjects([...p], nx.nodes));
  return assemblePlan({ graph, selection, spk: listings ? SPK : { available: false, version: null, bin: null }, listings, problems });
}

/** origin holds zlib and base; local holds openssl; tool's listing fails. */
function listings(): Map<string, RepoListing> {
  const m = new Map<string, RepoListing>();
  const empty = (): RepoListing => ({ origin: [], local: [] });
  for (const p of ['zlib', 'openssl', 'curl', 'base', 'left', 'right', 'top', 'gcc', 'perl', 'cmake']) m.set(p, empty());
  m.get('zlib')!.origin = ['1.2.13', '1.2.12'];
  m.get('base')!.origin = ['1.0.0'];
  m.get('openssl')!.local = ['3.0.0'];
  m.get('gcc')!.origin = ['9.3.0'];
  m.set('tool', { origin: [], local: [], error: 'spk ls tool failed (exit 1): boom' });
  return m;
}

describe('assemblePlan', () => {
  test('statuses, waves without published projects, stable project order', () => {
    const p = plan(sampleGraph(), { mode: 'all' }, listings());
    assert.deepEqual(p.waves, [
      ['openssl@3.0.0', 'left@1.0.0', 'right@1.0.0', 'tool@2.0.0', 'tool@2.1.0'].sort(),
      ['curl@8.0.0'],
      ['top@1.0.0'],
    ]);
    const status = Object.fromEntries(p.projects.map((x) => [x.name, x.status]));
    assert.deepEqual(status, {
      'base@1.0.0': 'published',
      'curl@8.0.0': 'build',
      'left@1.0.0': 'build',
      'openssl@3.0.0': 'local',
      'right@1.0.0': 'build',
      'top@1.0.0': 'build',
      'tool@2.0.0': 'error',
      'tool@2.1.0': 'error',
      'zlib@1.2.13': 'published',
    });
    // waves in order, names sorted within a wave, then the published ones sorted
    assert.deepEqual(p.projects.map((x) => x.name), [
      'left@1.0.0', 'openssl@3.0.0', 'right@1.0.0', 'tool@2.0.0', 'tool@2.1.0', 'curl@8.0.0', 'top@1.0.0', 'base@1.0.0', 'zlib@1.2.13',
    ]);
    assert.equal(p.projects.find((x) => x.name === 'zlib@1.2.13')!.wave, null);
    assert.equal(p.projects.find((x) => x.name === 'top@1.0.0')!.wave, 3);
    assert.equal(p.cyclicWave, null);
  });

  test('spk failing for one package: its versions are "error" and stay in the waves; one problem per name', () => {
    const p = plan(sampleGraph(), { mode: 'all' }, listings());
    const tool = p.projects.find((x) => x.name === 'tool@2.0.0')!;
    assert.equal(tool.error, 'spk ls tool failed (exit 1): boom');
    assert.equal(tool.wave, 1);
    const failed = p.problems.filter((x) => x.kind === 'spk-failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].subject, 'tool');
  });

  test('dependencies list planned projects only, published ones included', () => {
    const p = plan(sampleGraph(), { mode: 'up-to', patterns: ['left@1.0.0'] }, listings());
    assert.deepEqual(p.projects.map((x) => [x.name, x.dependencies]), [
      ['left@1.0.0', ['base@1.0.0']],
      ['base@1.0.0', []],
    ]);
    assert.deepEqual(p.waves, [['left@1.0.0']]);
  });

  test('externals come from the projects to build only', () => {
    const p = plan(sampleGraph(), { mode: 'up-to', patterns: ['openssl@3.0.0'] }, listings());
    // zlib is published: its gcc/9 does not count by itself, but openssl (local) needs it too.
    assert.deepEqual(p.externals.map((e) => [e.request, e.neededBy, e.visible]), [
      ['gcc/9', ['openssl@3.0.0'], true],
      ['perl', ['openssl@3.0.0'], false],
    ]);
  });

  test('without spk: everything unknown, all planned projects in waves, visibility unknown', () => {
    const p = plan(sampleGraph(), { mode: 'all' });
    assert.ok(p.projects.every((x) => x.status === 'unknown' && x.wave !== null));
    assert.deepEqual(p.waves[0], ['base@1.0.0', 'tool@2.0.0', 'tool@2.1.0', 'zlib@1.2.13']);
    assert.equal(p.waves.length, 4);
    assert.ok(p.externals.every((e) => e.visible === null));
    assert.equal(p.spk.available, false);
  });

  test('a cycle left in the graph: reported with its path, final wave marked', () => {
    const nx = fakeGraph({ 'a@1.0.0': { deps: ['b@1.0.0'] }, 'b@1.0.0': { deps: ['a@1.0.0'] }, 'c@1.0.0': {} });
    const p = plan(nx, { mode: 'all' });
    assert.deepEqual(p.waves, [['c@1.0.0'], ['a@1.0.0', 'b@1.0.0']]);
    assert.equal(p.cyclicWave, 2);
    const cyc = p.problems.find((x) => x.kind === 'cycle')!;
    assert.deepEqual(cyc.path, ['a@1.0.0', 'b@1.0.0', 'a@1.0.0']);
    assert.match(cyc.message, /a@1\.0\.0 → b@1\.0\.0 → a@1\.0\.0/);
  });

  test('earlier problems come first, then selection problems', () => {
    const p = plan(sampleGraph(), { mode: 'projects', patterns: ['nope@1', 'base@1.0.0'] }, undefined, [
      { kind: 'spk-unavailable', message: 'no spk' },
    ]);
    assert.deepEqual(p.problems.map((x) => x.kind), ['spk-unavailable', 'unknown-pattern']);
  });
});

describe('JSON output', () => {
  test('schema shape and key order', () => {
    const p = plan(sampleGraph(), { mode: 'up-to', patterns: ['curl@8.0.0'] }, listings());
    const json = planToJson(p) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ['schemaVersion', 'spk', 'projects', 'waves', 'cyclicWave', 'externals', 'problems']);
    assert.equal(json.schemaVersion, 1);
    assert.deepEqual(json.spk, SPK);
    const projects = json.projects as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(projects[0]), ['name', 'package', 'version', 'recipe', 'kind', 'status', 'reasons', 'wave', 'dependencies']);
    assert.deepEqual(projects.map((x) => [x.name, x.status, x.wave]), [
      ['openssl@3.0.0', 'local', 1],
      ['curl@8.0.0', 'build', 2],
      ['zlib@1.2.13', 'published', null],
    ]);
    assert.deepEqual(projects[0].reasons, [{ kind: 'dependency', of: 'curl@8.0.0' }]);
    assert.deepEqual(json.waves, [['openssl@3.0.0'], ['curl@8.0.0']]);
    const ext = json.externals as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(ext[0]), ['request', 'package', 'resolutions', 'roles', 'neededBy', 'visible', 'satisfiedBy']);
  });

  test('the same plan twice, from graphs built in different key orders, prints the same bytes', () => {
    const reversed = fakeGraph(Object.fromEntries(Object.entries(SAMPLE).reverse()));
    const a = formatJson(plan(sampleGraph(), { mode: 'all' }, listings()));
    const b = formatJson(plan(reversed, { mode: 'all' }, listings()));
    assert.equal(a, b);
    assert.ok(a.endsWith('}\n'));
    JSON.parse(a);
  });
});
