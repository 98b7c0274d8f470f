/**
 * The embedded example studio (examples/studio) against its hand-written expectations
 * (examples/studio/expected-graph.json): every project, the exact build-ordering targets of
 * each, the interesting edges with their roles, the absent edges, and the one external.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fg from 'fast-glob';
import { normalizeOptions } from './options';
import { computeWorkspaceGraph } from './workspace-graph';
import { emittedEdges, projectsStoringEdges, resolverEdges } from '../../test-support/testing/edges';
import { repoRoot } from '../../test-support/testing/repo-root';


interface Expected {
  projects: string[];
  edges: Array<{ source: string; target: string; role: string; request: string; orders: boolean; why: string }>;
  exactTargets: Record<string, string[]>;
  absentEdges: Array<{ source: string; target: string; why: string }>;
  externals: Array<{ project: string; request: string; role: string; why: string }>;
  platformPins: Record<string, Record<string, string>>;
}

const root = repoRoot();
const expected: Expected = JSON.parse(readFileSync(join(root, 'examples/studio/expected-graph.json'), 'utf8'));
const files = fg.sync('examples/studio/**/*.spk.yaml', { cwd: root }).sort();
const g = computeWorkspaceGraph(files, normalizeOptions({ hostOptions: false }), root, new Map(), {});

describe('examples/studio graph', () => {
  test('exactly the expected projects', () => {
    assert.deepEqual([...g.metadata.keys()].sort(), [...expected.projects].sort());
  });

  test('createDependencies, reading only the project configurations, emits exactly the resolver\'s edges', async () => {
    const resolver = resolverEdges(g);
    assert.ok(resolver.length > 0);
    assert.deepEqual(await emittedEdges(g), resolver);
    assert.deepEqual(projectsStoringEdges(g), [], 'edges are not stored twice');
  });

  for (const [project, targets] of Object.entries(expected.exactTargets)) {
    test(`${project} depends on exactly ${targets.join(', ') || 'nothing'}`, () => {
      assert.deepEqual([...(g.metadata.get(project)?.dependencies ?? [])].sort(), [...targets].sort());
    });
  }
  for (const e of expected.edges) {
    test(`${e.source} → ${e.target} (${e.role} ${e.request}${e.orders ? '' : ', not ordering'}): ${e.why}`, () => {
      const reqs = g.explanations.get(e.source) ?? [];
      const hit = reqs.find((r) => r.target === e.target && r.role === e.role && (e.orders ? r.resolution === 'project' : r.resolution === 'not-ordered'));
      assert.ok(hit, JSON.stringify(reqs.filter((r) => r.target === e.target)));
    });
  }
  for (const e of expected.absentEdges) {
    test(`no ${e.source} → ${e.target}: ${e.why}`, () => {
      assert.ok(!(g.metadata.get(e.source)?.dependencies ?? []).includes(e.target));
    });
  }
  for (const x of expected.externals) {
    test(`${x.project} ${x.request} is external: ${x.why}`, () => {
      const r = g.explanations.get(x.project)?.find((q) => q.request === x.request);
      assert.equal(r?.resolution, 'external', JSON.stringify(r));
    });
  }
  for (const [platform, pins] of Object.entries(expected.platformPins)) {
    test(`${platform} pins exactly ${Object.values(pins).join(', ')}`, () => {
      const got = Object.fromEntries((g.metadata.get(platform)?.platform?.pins ?? []).map((p) => [p.pkg, p.project ?? `(${p.status})`]));
      assert.deepEqual(got, pins);
    });
  }
  test('no cycles in the example', () => {
    assert.deepEqual([...g.metadata.values()].flatMap((m) => m.cycles), []);
  });
});
