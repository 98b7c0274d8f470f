/**
 * Puts a plan together from its parts (pure): the selection, the repository listings, the
 * waves over the projects still to build, and the externals those projects need.
 */
import type { Plan, PlanGraph, PlanNode, PlannedProject, PlanProblem, SelectionResult } from './model';
import { collectExternals } from './externals';
import { sortProjects } from './order';
import { statusOf, type RepoListing } from './status';
import { computeWaves } from './waves';

export interface AssemblePlanInput {
  graph: PlanGraph;
  selection: SelectionResult;
  spk: Plan['spk'];
  /** Listings by package name; undefined when spk is unavailable (statuses are then unknown). */
  listings?: Map<string, RepoListing>;
  /** Problems found before planning (graph errors, affected, spk unavailable), in order. */
  problems?: PlanProblem[];
}

/** The projects of the plan that will be built: every planned one that is not published. */
export function projectsToBuild(
  graph: PlanGraph,
  planned: Iterable<string>,
  listings: Map<string, RepoListing> | undefined,
): PlanNode[] {
  const out: PlanNode[] = [];
  for (const name of sortProjects(planned)) {
    const node = graph.nodes.get(name);
    if (!node) continue;
    if (statusOf(node.version, listings?.get(node.pkg)).status !== 'published') out.push(node);
  }
  return out;
}

export function assemblePlan(input: AssemblePlanInput): Plan {
  const { graph, selection, listings } = input;
  const planned = new Set([...selection.reasons.keys()].filter((n) => graph.nodes.has(n)));
  const problems: PlanProblem[] = [...(input.problems ?? []), ...selection.problems];

  const statuses = new Map<string, ReturnType<typeof statusOf>>();
  for (const name of planned) {
    const node = graph.nodes.get(name)!;
    statuses.set(name, listings ? statusOf(node.version, listings.get(node.pkg)) : { status: 'unknown' });
  }
  const failedPkgs = new Map<string, string>();
  for (const name of planned) {
    const s = statuses.get(name)!;
    if (s.status === 'error') failedPkgs.set(graph.nodes.get(name)!.pkg, s.error ?? 'spk failed');
  }
  for (const pkg of [...failedPkgs.keys()].sort()) {
    problems.push({
      kind: 'spk-failed',
      subject: pkg,
      message: `spk failed for package ${pkg}; its recipe-versions are marked 'error' and kept in the waves: ${failedPkgs.get(pkg)}`,
    });
  }

  const toBuild = [...planned].filter((n) => statuses.get(n)!.status !== 'published');
  const planDeps = (n: string) => (graph.nodes.get(n)?.dependencies ?? []).filter((d) => planned.has(d));
  const wavesResult = computeWaves(toBuild, planDeps);
  const waveOf = new Map<string, number>();
  wavesResult.waves.forEach((w, i) => w.forEach((n) => waveOf.set(n, i + 1)));
  for (const cycle of wavesResult.cycles) {
    problems.push({
      kind: 'cycle',
      subject: cycle[0],
      path: cycle,
      message: `dependency cycle in the plan: ${cycle.join(' → ')}; its projects and those waiting on them are in the final wave ${wavesResult.cyclicWave}, which cannot be ordered`,
    });
  }

  const toProject = (name: string): PlannedProject => {
    const node = graph.nodes.get(name)!;
    const s = statuses.get(name)!;
    return {
      name,
      package: node.pkg,
      version: node.version,
      recipe: node.recipe,
      kind: node.kind,
      status: s.status,
      reasons: selection.reasons.get(name) ?? [],
      wave: waveOf.get(name) ?? null,
      dependencies: planDeps(name),
      ...(s.error !== undefined ? { error: s.error } : {}),
    };
  };
  const projects = [
    ...wavesResult.waves.flat().map(toProject),
    ...sortProjects([...planned].filter((n) => !waveOf.has(n))).map(toProject),
  ];

  return {
    schemaVersion: 1,
    spk: input.spk,
    projects,
    waves: wavesResult.waves,
    cyclicWave: wavesResult.cyclicWave ?? null,
    externals: collectExternals(
      toBuild.map((n) => graph.nodes.get(n)!),
      listings,
      selection.unbuiltPins,
    ),
    problems,
  };
}
