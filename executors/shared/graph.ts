/**
 * Project-graph helpers for the spk executors: which projects a task depends on (transitively)
 * and where their spk-build targets put their archives.
 */
import type { ExecutorContext, ProjectConfiguration, TargetConfiguration } from '@nx/devkit';

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
