/**
 * `nx-spk plan --platform`: the selection of a platform's pinned recipe-versions and their
 * dependencies, and the pins nothing builds listed with the externals.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findMatchingProjects } from '@nx/devkit/internal';
import { fakeGraph } from './fixture.test';
import { assemblePlan } from './plan';
import { planGraphFromProjectGraph } from './project-graph';
import { formatReason, selectProjects, type ProjectMatcher } from './selection';

function graphWithPlatform() {
  const g = fakeGraph({
    'stdfs@1.0.0': {},
    'gcc@9.3.1': { deps: ['stdfs@1.0.0'] },
    'zlib@1.2.13': { deps: ['gcc@9.3.1'] },
    'app@1.0.0': { deps: ['zlib@1.2.13', 'plat@1.0.0'] },
    'other@1.0.0': {},
    'plat@1.0.0': { kind: 'v0/platform' },
  });
  const pin = (pkg: string, version: string, status: string, project?: string) => ({
    pkg, version, from: 'base@1.0.0', source: 'requirements[0]', status, ...(project ? { project } : {}), reason: `test: ${status}`,
  });
  // The platform pins app (which requests the platform at build time: bootstrapping), zlib,
  // and two versions nothing in the workspace builds.
  (g.nodes['plat@1.0.0'].data.metadata as { spk: Record<string, unknown> }).spk.platform = {
    pins: [pin('app', '1.0.0', 'project', 'app@1.0.0'), pin('qt', '5.15.2', 'external'), pin('zlib', '1.2.13', 'project', 'zlib@1.2.13'), pin('dup', '3.0.0', 'ambiguous')],
    notes: [],
    warnings: [],
  };
  return g;
}

describe('plan --platform', () => {
  const nx = graphWithPlatform();
  const graph = planGraphFromProjectGraph(nx);
  const match: ProjectMatcher = (patterns) => findMatchingProjects([...patterns], nx.nodes);

  test('selects the pinned recipe-versions and their dependencies, not the platform itself', () => {
    const r = selectProjects(graph, { mode: 'platform', patterns: ['plat@1.0.0'] }, match);
    const reasons = Object.fromEntries([...r.reasons].map(([k, v]) => [k, v.map(formatReason)]));
    assert.deepEqual(reasons, {
      'app@1.0.0': ['pinned by plat@1.0.0'],
      'zlib@1.2.13': ['pinned by plat@1.0.0'],
      'gcc@9.3.1': ['dependency of app@1.0.0', 'dependency of zlib@1.2.13'],
      'stdfs@1.0.0': ['dependency of app@1.0.0', 'dependency of zlib@1.2.13'],
      'plat@1.0.0': ['dependency of app@1.0.0'],
    });
    assert.equal(r.nothingMatched, false);
  });

  test('a pin satisfied by nothing is listed like an external, with its reason', () => {
    const selection = selectProjects(graph, { mode: 'platform', patterns: ['plat@1.0.0'] }, match);
    const plan = assemblePlan({ graph, selection, spk: { available: false, version: null, bin: null } });
    assert.deepEqual(plan.waves, [['plat@1.0.0', 'stdfs@1.0.0'], ['gcc@9.3.1'], ['zlib@1.2.13'], ['app@1.0.0']]);
    const ext = plan.externals.filter((e) => e.roles.includes('pin'));
    assert.deepEqual(ext.map((e) => [e.request, e.resolutions, e.neededBy, e.note]), [
      ['dup/=3.0.0', ['pin-ambiguous'], ['plat@1.0.0'], 'test: ambiguous'],
      ['qt/=5.15.2', ['pin-external'], ['plat@1.0.0'], 'test: external'],
    ]);
  });

  test('a project that is not a platform is a problem, and nothing is planned', () => {
    const r = selectProjects(graph, { mode: 'platform', patterns: ['zlib@1.2.13'] }, match);
    assert.equal(r.reasons.size, 0);
    assert.equal(r.nothingMatched, true);
    assert.match(r.problems.map((p) => `${p.kind}: ${p.message}`).join('\n'), /not-a-platform: zlib@1\.2\.13 is a v0\/package recipe-version, not a platform/);
  });
});
