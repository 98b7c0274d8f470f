/**
 * Hand-built Nx project graphs for the planner's tests (named *.test.ts so it is never packed).
 *
 * The default graph (`sampleGraph`): a chain and a diamond plus an unrelated package and one
 * non-spk project:
 *
 *   chain:    zlib@1.2.13 ← openssl@3.0.0 ← curl@8.0.0
 *   diamond:  base@1.0.0 ← left@1.0.0, right@1.0.0 ← top@1.0.0
 *             top@1.0.0 also needs curl@8.0.0
 *   alone:    tool@2.0.0, tool@2.1.0 (one recipe, two versions)
 *   non-spk:  docs (tag docs)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolvedFacts, type ResolvedRequirement } from '../graph/model';
import type { ProjectGraphLike } from './project-graph';

export interface FakeProject {
  deps?: string[];
  recipe?: string;
  kind?: string;
  requirements?: ResolvedRequirement[];
  /** Not an spk project (no spk tag, no metadata). */
  nonSpk?: boolean;
  tags?: string[];
}

function split(name: string): [string, string] {
  const at = name.lastIndexOf('@');
  return [name.slice(0, at), name.slice(at + 1)];
}

export function fakeGraph(projects: Record<string, FakeProject>): ProjectGraphLike {
  const nodes: ProjectGraphLike['nodes'] = {};
  const dependencies: ProjectGraphLike['dependencies'] = {};
  for (const [name, p] of Object.entries(projects)) {
    if (p.nonSpk) {
      nodes[name] = { name, type: 'lib', data: { root: `libs/${name}`, tags: p.tags ?? [] } };
    } else {
      const [pkg, version] = split(name);
      const isPlatform = p.kind === 'v0/platform';
      nodes[name] = {
        name,
        type: 'lib',
        data: {
          root: `recipes/${pkg}/${version}`,
          tags: ['spk', `spk:pkg:${pkg}`, isPlatform ? 'spk:kind:platform' : 'spk:kind:package', ...(p.tags ?? [])],
          metadata: {
            spk: {
              recipe: p.recipe ?? `recipes/${pkg}.spk.yaml`,
              name: pkg,
              version,
              kind: p.kind ?? 'v0/package',
              templated: true,
              spkWorkspace: '.',
              // The compact facts, as the plugin records them (src/plugin/workspace-graph.ts).
              ...resolvedFacts(name, p.requirements ?? [], p.deps ?? []),
              provides: [],
              variants: [],
              warnings: [],
              cycles: [],
            },
          } as never,
        },
      };
    }
    dependencies[name] = (p.deps ?? []).map((target) => ({ source: name, target, type: 'implicit' }));
  }
  return { nodes, dependencies };
}

export function req(pkg: string, request: string, resolution: ResolvedRequirement['resolution'], role: ResolvedRequirement['role'] = 'build'): ResolvedRequirement {
  return { role, request, pkg, source: 'build.options', resolution, reason: `test: ${resolution}` };
}

export const SAMPLE: Record<string, FakeProject> = {
  'zlib@1.2.13': { requirements: [req('gcc', 'gcc/9', 'external')] },
  'openssl@3.0.0': { deps: ['zlib@1.2.13'], requirements: [req('gcc', 'gcc/9', 'external'), req('perl', 'perl', 'external')] },
  'curl@8.0.0': { deps: ['openssl@3.0.0'], requirements: [req('cmake', 'cmake/>=3.20', 'external')] },
  'base@1.0.0': {},
  'left@1.0.0': { deps: ['base@1.0.0'] },
  'right@1.0.0': { deps: ['base@1.0.0'] },
  'top@1.0.0': { deps: ['left@1.0.0', 'right@1.0.0', 'curl@8.0.0'], requirements: [req('top', 'top/<1.0.0', 'self')] },
  'tool@2.0.0': { recipe: 'recipes/tool.spk.yaml' },
  'tool@2.1.0': { recipe: 'recipes/tool.spk.yaml' },
  docs: { nonSpk: true, tags: ['docs'] },
};

export function sampleGraph(): ProjectGraphLike {
  return fakeGraph(SAMPLE);
}

test('fixture: the sample graph has 9 spk projects and one other', () => {
  const g = sampleGraph();
  assert.equal(Object.keys(g.nodes).length, 10);
  assert.equal(Object.values(g.nodes).filter((n) => n.data.tags?.includes('spk')).length, 9);
});
