/**
 * Reads the spk projects out of an Nx project graph (as returned by `createProjectGraphAsync`).
 *
 * The plugin is the only place that computes the graph; the planner only reads it: projects
 * tagged `spk` carrying `metadata.spk` (SpkProjectMetadata), and the Nx graph's dependency
 * edges between such projects — the implicit edges the plugin's createDependencies emitted,
 * i.e. exactly the order `nx run-many -t build` would use.
 */
import type { ProjectGraph } from '@nx/devkit';
import type { SpkBrokenRecipeMetadata, SpkProjectMetadata } from '../plugin/workspace-graph';
import type { PlanGraph, PlanNode, PlanProblem } from './model';
import { sortProjects } from './order';

export const SPK_TAG = 'spk';

/** The subset of Nx's ProjectGraph the planner reads (so tests can build one by hand). */
export type ProjectGraphLike = Pick<ProjectGraph, 'nodes' | 'dependencies'>;

export function planGraphFromProjectGraph(graph: ProjectGraphLike): PlanGraph {
  const nodes = new Map<string, PlanNode>();
  for (const [name, node] of Object.entries(graph.nodes)) {
    const data = node.data;
    const tags = data.tags ?? [];
    const spk = (data.metadata as { spk?: SpkProjectMetadata } | undefined)?.spk;
    if (!tags.includes(SPK_TAG) || !spk) continue;
    nodes.set(name, {
      project: name,
      pkg: spk.name,
      version: spk.version,
      recipe: spk.recipe,
      kind: spk.kind,
      tags: [...tags],
      root: data.root,
      requirements: spk.published ?? [],
      dependencies: [],
      ...(spk.platform ? { pins: spk.platform.pins.map((p) => ({ pkg: p.pkg, version: p.version, from: p.from, status: p.status, ...(p.project ? { project: p.project } : {}), reason: p.reason })) } : {}),
    });
  }
  for (const [name, node] of nodes) {
    const deps = new Set<string>();
    for (const d of graph.dependencies[name] ?? []) {
      if (d.target !== name && nodes.has(d.target)) deps.add(d.target);
    }
    node.dependencies = sortProjects(deps);
  }
  return { nodes };
}

/** Reverse edges: project → the projects that depend on it directly (sorted). */
export function dependentsIndex(graph: PlanGraph): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of graph.nodes.keys()) out.set(name, []);
  for (const node of graph.nodes.values()) {
    for (const d of node.dependencies) out.get(d)?.push(node.project);
  }
  for (const [k, v] of out) out.set(k, sortProjects(v));
  return out;
}

/**
 * One `broken-recipe` problem per recipe (version) that failed to load: the plugin keeps such a
 * recipe as a project (name@version, or a placeholder for the file) whose build fails with the
 * load error; the plan says so too. Sorted by project name.
 */
export function brokenRecipeProblems(graph: ProjectGraphLike): PlanProblem[] {
  const out: PlanProblem[] = [];
  for (const name of Object.keys(graph.nodes).sort()) {
    const meta = graph.nodes[name].data.metadata as { spk?: SpkProjectMetadata; spkBrokenRecipe?: SpkBrokenRecipeMetadata } | undefined;
    const err = meta?.spk?.loadError ?? meta?.spkBrokenRecipe;
    if (!err) continue;
    out.push({
      kind: 'broken-recipe',
      subject: name,
      message: `${err.recipe}${err.line ? `:${err.line}` : ''} failed to load (${name}): ${err.message}; its build fails until the recipe is fixed`,
    });
  }
  return out;
}
