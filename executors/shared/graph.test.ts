import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DependencyType, type ExecutorContext, type ProjectGraph } from '@nx/devkit';
import { resolvedFacts, type ResolvedRequirement } from '../../src/graph/model';
import { buildEnvironmentDependencies, transitiveProjectDependencies } from './graph';

type Req = Pick<ResolvedRequirement, 'role' | 'resolution' | 'target'>;

/** The project's metadata as the plugin records it: the compact facts of its resolutions. */
function spkMetadata(name: string, reqs: Req[]) {
  const full = reqs.map((r): ResolvedRequirement => ({ ...r, request: r.target ?? 'x', pkg: r.target ?? 'x', source: 'test', reason: 'test' }));
  return { spk: resolvedFacts(name, full, []) };
}

function graph(nodes: Record<string, Req[] | undefined>): Pick<ExecutorContext, 'projectGraph'> {
  const projectGraph: ProjectGraph = { nodes: {}, dependencies: {} };
  for (const [name, reqs] of Object.entries(nodes)) {
    projectGraph.nodes[name] = { name, type: 'lib', data: { root: name, ...(reqs ? { metadata: spkMetadata(name, reqs) } : {}) } };
    projectGraph.dependencies[name] = (reqs ?? [])
      .filter((r) => r.resolution === 'project' && r.target)
      .map((r) => ({ source: name, target: r.target!, type: DependencyType.implicit }));
  }
  return { projectGraph };
}

const ctx = graph({
  app: [
    { role: 'build', resolution: 'project', target: 'lib' },
    { role: 'build', resolution: 'project', target: 'platform' },
    { role: 'runtime', resolution: 'project', target: 'app-runtime-only' },
    { role: 'build', resolution: 'external' },
    { role: 'test', resolution: 'not-ordered', target: 'test-only' },
  ],
  lib: [
    { role: 'build', resolution: 'project', target: 'compiler' },
    { role: 'runtime', resolution: 'project', target: 'rt' },
  ],
  rt: [{ role: 'runtime', resolution: 'project', target: 'rt2' }, { role: 'build', resolution: 'project', target: 'compiler' }],
  rt2: [],
  compiler: [],
  platform: [{ role: 'platform-base', resolution: 'project', target: 'base' }],
  base: [],
  'app-runtime-only': [],
  'test-only': [],
});

test('the build environment: build requirements plus the runtime closure of everything in it', () => {
  assert.deepEqual(buildEnvironmentDependencies(ctx, 'app'), ['lib', 'platform', 'rt', 'rt2']);
});

test("a dependency's own build requirements (compiler) are not imported; the full closure has them", () => {
  assert.ok(!buildEnvironmentDependencies(ctx, 'app').includes('compiler'));
  assert.ok(transitiveProjectDependencies(ctx, 'app').includes('compiler'));
});

test('a platform brings its bases into its own build environment', () => {
  assert.deepEqual(buildEnvironmentDependencies(ctx, 'platform'), ['base']);
});

test('without plugin metadata the whole transitive closure is used', () => {
  const bare = graph({ a: undefined, b: undefined });
  (bare.projectGraph.dependencies as Record<string, unknown[]>).a = [{ source: 'a', target: 'b', type: 'static' }];
  assert.deepEqual(buildEnvironmentDependencies(bare, 'a'), ['b']);
});
