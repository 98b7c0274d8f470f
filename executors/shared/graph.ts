/**
 * Project-graph helpers for the spk executors: which projects a task depends on (transitively)
 * and where their spk-build targets put their archives.
 */
import type { ExecutorContext, ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import type { ResolvedFacts } from '../../src/graph/model';

/** Suffix of the executor string of our build executor (`nx-spk:spk-build`, or a local alias). */
export const SPK_BUILD_EXECUTOR_SUFFIX = ':spk-build';

/**
 * Transitive dependencies of `project` in the project graph, in breadth-first order (nearest
 * first), excluding the project itself, npm nodes (`npm:…`) and anything that is not a project node.
 */
export function transitiveProjectDependencies(context: Pick<ExecutorContext, 'projectGraph'>, project: string): string[] {
  const graph = context.projectGraph;
  const seen = new Set<string>([project]);
  const out: string[] = [];
  const queue = [project];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const dep of graph?.dependencies?.[current] ?? []) {
      const target = dep.target;
      if (seen.has(target)) continue;
      seen.add(target);
      if (target.startsWith('npm:') || !graph.nodes?.[target]) continue;
      out.push(target);
      queue.push(target);
    }
  }
  return out;
}

/**
 * The compact resolution facts the plugin recorded on a project (`metadata.spk`, see
 * src/graph/model.ts ResolvedFacts), if any: a project another plugin defines has none.
 */
export function spkFacts(context: Pick<ExecutorContext, 'projectGraph'>, project: string): Pick<ResolvedFacts, 'buildEnv' | 'runtime' | 'tests'> | undefined {
  const data = context.projectGraph?.nodes?.[project]?.data as { metadata?: { spk?: Partial<ResolvedFacts> } } | undefined;
  const spk = data?.metadata?.spk;
  if (!spk || !Array.isArray(spk.buildEnv) || !Array.isArray(spk.runtime)) return undefined;
  return { buildEnv: spk.buildEnv, runtime: spk.runtime, tests: Array.isArray(spk.tests) ? spk.tests : [] };
}

/**
 * The projects whose packages spk's solver puts in the BUILD environment of `project`: its
 * build requirements (and platform bases: src/graph/model.ts BUILD_ENV_ROLES), plus, transitively, the runtime requirements of
 * everything in that environment (spk resolves a package together with its install
 * requirements). Build requirements of dependencies are not in it: they were needed to build
 * the dependency, not to use it. This is what the handoff imports before `spk build`; importing
 * the whole transitive closure instead would make every task of a deep graph import nearly
 * every archive (quadratic in the depth).
 *
 * Falls back to the full transitive closure when the plugin's metadata is missing (a project
 * that another plugin defines).
 */
export function buildEnvironmentDependencies(context: Pick<ExecutorContext, 'projectGraph'>, project: string): string[] {
  const own = spkFacts(context, project);
  if (!own) return transitiveProjectDependencies(context, project);
  const graph = context.projectGraph;
  const seen = new Set<string>([project]);
  const out: string[] = [];
  const queue: string[] = [];
  const add = (p: string) => {
    if (seen.has(p)) return;
    seen.add(p);
    out.push(p);
    queue.push(p);
  };
  const inGraph = (p: string) => graph?.nodes?.[p] !== undefined;
  own.buildEnv.filter(inGraph).forEach(add);
  // `queue` only grows; an index instead of shift() keeps the walk linear on deep graphs.
  for (let next = 0; next < queue.length; next++) {
    const current = queue[next];
    const facts = spkFacts(context, current);
    if (facts) facts.runtime.filter(inGraph).forEach(add);
    else transitiveProjectDependencies(context, current).forEach(add);
  }
  return out;
}

/** The (first, by target name) target of `project` whose executor ends with `:spk-build`. */
export function findSpkBuildTarget(
  context: Pick<ExecutorContext, 'projectsConfigurations'>,
  project: string,
): { name: string; target: TargetConfiguration; project: ProjectConfiguration } | undefined {
  const config = context.projectsConfigurations?.projects?.[project];
  if (!config?.targets) return undefined;
  for (const name of Object.keys(config.targets).sort()) {
    const target = config.targets[name]!;
    if (typeof target.executor === 'string' && target.executor.endsWith(SPK_BUILD_EXECUTOR_SUFFIX)) {
      return { name, target, project: config };
    }
  }
  return undefined;
}

/**
 * Replaces the Nx tokens an inferred target may carry in its options (`{workspaceRoot}`,
 * `{projectRoot}`, `{projectName}`). Nx resolves them for the running target, but options we read
 * from OTHER projects' configurations are raw.
 */
export function interpolateNxTokens(value: string, project: { root: string; name?: string }): string {
  return value
    .replace(/^\{workspaceRoot\}\/?/, '')
    .replace(/\{workspaceRoot\}\/?/g, '')
    .replace(/\{projectRoot\}/g, project.root)
    .replace(/\{projectName\}/g, project.name ?? '');
}
