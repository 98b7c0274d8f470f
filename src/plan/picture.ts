/**
 * What the mermaid and dot pictures share: the planned projects grouped by recipe file
 * (recipes in path order, projects in plan name order), the edges in build order
 * (dependency → dependent, sorted), and a node label.
 */
import type { Plan, PlannedProject } from './model';
import { byteCompare, compareProjectNames } from './order';

export interface RecipeGroup {
  recipe: string;
  projects: PlannedProject[];
}

export function groupByRecipe(plan: Plan): RecipeGroup[] {
  const groups = new Map<string, PlannedProject[]>();
  for (const p of plan.projects) groups.set(p.recipe, [...(groups.get(p.recipe) ?? []), p]);
  return [...groups]
    .sort((a, b) => byteCompare(a[0], b[0]))
    .map(([recipe, projects]) => ({ recipe, projects: projects.sort((a, b) => compareProjectNames(a.name, b.name)) }));
}

/** Edges between planned projects as [dependency, dependent], sorted. */
export function buildOrderEdges(plan: Plan): Array<[string, string]> {
  const edges: Array<[string, string]> = [];
  for (const p of plan.projects) for (const d of p.dependencies) edges.push([d, p.name]);
  return edges.sort((a, b) => compareProjectNames(a[0], b[0]) || compareProjectNames(a[1], b[1]));
}

/** Second label line: `wave 2: build`, `wave 3 (cycle): unknown`, `published`. */
export function stateLine(plan: Plan, p: PlannedProject): string {
  if (p.wave === null) return p.status;
  return `wave ${p.wave}${p.wave === plan.cyclicWave ? ' (cycle)' : ''}: ${p.status}`;
}

/**
 * An identifier made of [A-Za-z0-9_] only, one-to-one with the input (every other character,
 * and `_` itself, becomes `_` + 2+ hex digits + `_`), so ids never depend on the other nodes.
 */
export function safeId(prefix: string, text: string): string {
  return prefix + text.replace(/[^a-z0-9]/gi, (c) => `_${c.codePointAt(0)!.toString(16)}_`);
}
