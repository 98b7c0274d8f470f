import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findMatchingProjects } from '@nx/devkit/internal';
import { fakeGraph, sampleGraph } from './fixture.test';
import { planGraphFromProjectGraph, dependentsIndex } from './project-graph';
import { formatReason, selectProjects, type ProjectMatcher, type Selector } from './selection';
import type { PlanReason } from './model';

const nxGraph = sampleGraph();
const graph = planGraphFromProjectGraph(nxGraph);
const match: ProjectMatcher = (patterns) => findMatchingProjects([...patterns], nxGraph.nodes);

function select(selector: Selector) {
  const r = selectProjects(graph, selector, match);
  const reasons: Record<string, string[]> = {};
  for (const [k, v] of r.reasons) reasons[k] = v.map(formatReason);
  return { ...r, reasons, names: Object.keys(reasons).sort() };
}

describe('planGraphFromProjectGraph', () => {
  test('keeps only spk projects and their edges between spk projects', () => {
    assert.equal(graph.nodes.size, 9);
    assert.equal(graph.nodes.has('docs'), false);
    assert.deepEqual(graph.nodes.get('top@1.0.0')!.dependencies, ['curl@8.0.0', 'left@1.0.0', 'right@1.0.0']);
    assert.equal(graph.nodes.get('openssl@3.0.0')!.pkg, 'openssl');
    assert.equal(graph.nodes.get('openssl@3.0.0')!.version, '3.0.0');
  });

  test('ignores edges to non-spk projects and self edges', () => {
    const g = fakeGraph({ 'a@1': { deps: ['docs', 'a@1'] }, docs: { nonSpk: true } });
    assert.deepEqual(planGraphFromProjectGraph(g).nodes.get('a@1')!.dependencies, []);
  });

  test('a project tagged spk without metadata is not a recipe-version', () => {
    const g = fakeGraph({ x: { nonSpk: true, tags: ['spk'] } });
    assert.equal(planGraphFromProjectGraph(g).nodes.size, 0);
  });

  test('dependents index', () => {
    assert.deepEqual(dependentsIndex(graph).get('base@1.0.0'), ['left@1.0.0', 'right@1.0.0']);
    assert.deepEqual(dependentsIndex(graph).get('top@1.0.0'), []);
  });
});

describe('selectProjects', () => {
  test('all: every spk project, selected, no dependency reasons', () => {
    const r = select({ mode: 'all' });
    assert.equal(r.names.length, 9);
    assert.ok(Object.values(r.reasons).every((rs) => rs.length === 1 && rs[0] === 'selected'));
    assert.deepEqual(r.problems, []);
    assert.equal(r.nothingMatched, false);
  });

  test('projects: exact name pulls in its dependencies', () => {
    const r = select({ mode: 'projects', patterns: ['curl@8.0.0'] });
    assert.deepEqual(r.reasons, {
      'curl@8.0.0': ['selected'],
      'openssl@3.0.0': ['dependency of curl@8.0.0'],
      'zlib@1.2.13': ['dependency of curl@8.0.0'],
    });
  });

  test('projects: globs, tags and negation use Nx syntax', () => {
    assert.deepEqual(select({ mode: 'projects', patterns: ['tool@*'] }).names, ['tool@2.0.0', 'tool@2.1.0']);
    assert.deepEqual(select({ mode: 'projects', patterns: ['tag:spk:pkg:left'] }).names, ['base@1.0.0', 'left@1.0.0']);
    const neg = select({ mode: 'projects', patterns: ['tool@*', '!tool@2.0.0'] });
    assert.deepEqual(neg.names, ['tool@2.1.0']);
  });

  test('projects: a leading negation means all spk projects except', () => {
    const r = select({ mode: 'projects', patterns: ['!tag:spk:pkg:tool'] });
    assert.equal(r.names.includes('tool@2.0.0'), false);
    assert.equal(r.names.length, 7);
    assert.equal(r.nothingMatched, false);
  });

  test('projects: a bare package name selects every version of it', () => {
    const r = select({ mode: 'projects', patterns: ['tool'] });
    assert.deepEqual(r.names, ['tool@2.0.0', 'tool@2.1.0']);
    assert.deepEqual(r.problems, []);
  });

  test('projects: unknown pattern is reported, the rest is planned', () => {
    const r = select({ mode: 'projects', patterns: ['nope@1', 'base@1.0.0'] });
    assert.deepEqual(r.names, ['base@1.0.0']);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].kind, 'unknown-pattern');
    assert.equal(r.problems[0].subject, 'nope@1');
    assert.match(r.problems[0].message, /'nope@1' matches no project/);
    assert.equal(r.nothingMatched, false);
  });

  test('projects: a pattern matching only non-spk projects says so', () => {
    const r = select({ mode: 'projects', patterns: ['docs'] });
    assert.deepEqual(r.names, []);
    assert.equal(r.nothingMatched, true);
    assert.match(r.problems[0].message, /only other Nx projects: docs/);
  });

  test('projects: all patterns unknown → nothingMatched', () => {
    const r = select({ mode: 'projects', patterns: ['x@1', 'y@2'] });
    assert.equal(r.nothingMatched, true);
    assert.equal(r.problems.length, 2);
    assert.deepEqual(r.names, []);
  });

  test('projects: a dropped first pattern does not turn a later negation into "all except"', () => {
    const r = select({ mode: 'projects', patterns: ['nope@1', '!base@1.0.0', 'tool@2.0.0'] });
    assert.deepEqual(r.names, ['tool@2.0.0']);
  });

  test('up-to: p and its transitive dependencies', () => {
    const r = select({ mode: 'up-to', patterns: ['top@1.0.0'] });
    assert.deepEqual(r.names, ['base@1.0.0', 'curl@8.0.0', 'left@1.0.0', 'openssl@3.0.0', 'right@1.0.0', 'top@1.0.0', 'zlib@1.2.13']);
    assert.deepEqual(r.reasons['top@1.0.0'], ['selected']);
    assert.deepEqual(r.reasons['base@1.0.0'], ['dependency of top@1.0.0']);
  });

  test('up-to two roots: a shared dependency names both', () => {
    const r = select({ mode: 'up-to', patterns: ['left@1.0.0', 'right@1.0.0'] });
    assert.deepEqual(r.reasons['base@1.0.0'], ['dependency of left@1.0.0', 'dependency of right@1.0.0']);
  });

  test('up-to: a root that is also a dependency of another root keeps only "selected"', () => {
    const r = select({ mode: 'up-to', patterns: ['top@1.0.0', 'base@1.0.0'] });
    assert.deepEqual(r.reasons['base@1.0.0'], ['selected']);
  });

  test('dependents-of: p and everything depending on it, plus what those need', () => {
    const r = select({ mode: 'dependents-of', patterns: ['zlib@1.2.13'] });
    assert.deepEqual(r.reasons['zlib@1.2.13'], ['selected']);
    assert.deepEqual(r.reasons['openssl@3.0.0'], ['dependent of zlib@1.2.13']);
    assert.deepEqual(r.reasons['curl@8.0.0'], ['dependent of zlib@1.2.13']);
    assert.deepEqual(r.reasons['top@1.0.0'], ['dependent of zlib@1.2.13']);
    // top needs the diamond, which does not depend on zlib: pulled in as dependencies of top.
    assert.deepEqual(r.reasons['left@1.0.0'], ['dependency of top@1.0.0']);
    assert.deepEqual(r.reasons['base@1.0.0'], ['dependency of top@1.0.0']);
    assert.equal(r.reasons['tool@2.0.0'], undefined);
  });

  test('dependents-of a leaf: only itself (and its dependencies)', () => {
    const r = select({ mode: 'dependents-of', patterns: ['top@1.0.0'] });
    assert.deepEqual(r.reasons['top@1.0.0'], ['selected']);
    assert.equal(r.names.length, 7);
  });

  test('unknown up-to / dependents-of project → nothingMatched', () => {
    assert.equal(select({ mode: 'up-to', patterns: ['ghost@1'] }).nothingMatched, true);
    assert.equal(select({ mode: 'dependents-of', patterns: ['ghost@1'] }).nothingMatched, true);
  });

  test('affected: affected spk projects + their dependencies; non-spk names ignored', () => {
    const r = select({ mode: 'affected', projects: ['openssl@3.0.0', 'docs', 'ghost'] });
    assert.deepEqual(r.reasons, { 'openssl@3.0.0': ['affected'], 'zlib@1.2.13': ['dependency of openssl@3.0.0'] });
    assert.deepEqual(r.problems, []);
    assert.equal(r.nothingMatched, false);
  });

  test('affected: nothing affected is an empty plan, not an error', () => {
    const r = select({ mode: 'affected', projects: [] });
    assert.deepEqual(r.names, []);
    assert.equal(r.nothingMatched, false);
  });
});

test('formatReason', () => {
  const cases: Array<[PlanReason, string]> = [
    [{ kind: 'selected' }, 'selected'],
    [{ kind: 'affected' }, 'affected'],
    [{ kind: 'dependency', of: 'a@1' }, 'dependency of a@1'],
    [{ kind: 'dependent', of: 'a@1' }, 'dependent of a@1'],
  ];
  for (const [r, text] of cases) assert.equal(formatReason(r), text);
});
