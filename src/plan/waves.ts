/**
 * Waves: topological layers of the projects that must be built. Wave 1 needs nothing else
 * from the plan; wave n+1 needs only projects of waves ≤ n. Every project of one wave can
 * build in parallel (one CI matrix per wave).
 *
 * Only the projects to build take part: an edge into a published project holds nothing back
 * (that build already exists). A cycle should not survive the plugin's cycle breaking; if one
 * does, its projects (and everything waiting on them) go into one final wave, reported with
 * the cycle's path, so the rest of the plan is still usable.
 */
import { cyclePath, findCycles } from '../graph/cycles';
import type { WavesResult } from './model';
import { sortProjects } from './order';

export function computeWaves(toBuild: Iterable<string>, dependenciesOf: (project: string) => readonly string[]): WavesResult {
  const members = new Set(toBuild);
  const deps = new Map<string, string[]>();
  const dependents = new Map<string, string[]>();
  for (const n of members) dependents.set(n, []);
  for (const n of members) {
    const ds = [...new Set(dependenciesOf(n))].filter((d) => members.has(d));
    deps.set(n, ds);
    for (const d of ds) dependents.get(d)!.push(n);
  }

  const remaining = new Map<string, number>();
  for (const [n, ds] of deps) remaining.set(n, ds.length);
  const waves: string[][] = [];
  let current = sortProjects([...remaining].filter(([, c]) => c === 0).map(([n]) => n));
  const placed = new Set<string>();
  while (current.length > 0) {
    waves.push(current);
    const next: string[] = [];
    for (const n of current) {
      placed.add(n);
      for (const up of dependents.get(n)!) {
        const left = remaining.get(up)! - 1;
        remaining.set(up, left);
        if (left === 0) next.push(up);
      }
    }
    current = sortProjects(next);
  }

  const leftover = [...members].filter((n) => !placed.has(n));
  if (leftover.length === 0) return { waves, cycles: [] };
  const left = new Set(leftover);
  const cycles = cyclePaths(left, (n) => deps.get(n)!.filter((d) => left.has(d)));
  waves.push(sortProjects(leftover));
  return { waves, cyclicWave: waves.length, cycles };
}

/**
 * One cycle per strongly connected component of size > 1 or with a self edge (the graph
 * layer's Tarjan, src/graph/cycles.ts), each as the shortest path from the component's first
 * project (in plan order) back to it; sorted by that first project.
 */
export function cyclePaths(nodes: Set<string>, next: (n: string) => string[]): string[][] {
  const edges = new Map<string, string[]>();
  for (const n of nodes) edges.set(n, sortProjects(next(n)));
  const cycles = findCycles(edges).map((component) => cyclePath(edges, sortProjects(component)[0], new Set(component)));
  return cycles.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
