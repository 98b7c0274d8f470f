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
  const cycles = findCycles(left, (n) => deps.get(n)!.filter((d) => left.has(d)));
  waves.push(sortProjects(leftover));
  return { waves, cyclicWave: waves.length, cycles };
}

/**
 * One cycle per strongly connected component (Tarjan) of size > 1 or with a self edge,
 * each as the shortest path from the component's first project (in sorted order) back to it.
 */
export function findCycles(nodes: Set<string>, next: (n: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const sccs: string[][] = [];
  let counter = 0;

  // Iterative Tarjan: recipe graphs can be deep enough to overflow a recursive version.
  for (const start of sortProjects(nodes)) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; i: number; succ: string[] }> = [];
    const push = (n: string) => {
      index.set(n, counter);
      low.set(n, counter);
      counter++;
      stack.push(n);
      onStack.add(n);
      work.push({ node: n, i: 0, succ: sortProjects(next(n)) });
    };
    push(start);
    while (work.length > 0) {
      const top = work[work.length - 1];
      if (top.i < top.succ.length) {
        const s = top.succ[top.i++];
        if (!index.has(s)) push(s);
        else if (onStack.has(s)) low.set(top.node, Math.min(low.get(top.node)!, index.get(s)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const scc: string[] = [];
        let x: string;
        do {
          x = stack.pop()!;
          onStack.delete(x);
          scc.push(x);
        } while (x !== top.node);
        if (scc.length > 1 || next(top.node).includes(top.node)) sccs.push(sortProjects(scc));
      }
    }
  }

  const cycles = sccs.map((scc) => shortestCycle(scc, next));
  return cycles.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function shortestCycle(scc: string[], next: (n: string) => string[]): string[] {
  const inScc = new Set(scc);
  const start = scc[0];
  const parent = new Map<string, string>();
  const queue: string[] = [start];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const n = queue.shift()!;
    for (const s of sortProjects(next(n))) {
      if (!inScc.has(s)) continue;
      if (s === start) {
        const path = [start];
        for (let x = n; x !== start; x = parent.get(x)!) path.splice(1, 0, x);
        path.push(start);
        return path;
      }
      if (seen.has(s)) continue;
      seen.add(s);
      parent.set(s, n);
      queue.push(s);
    }
  }
  return [...scc, start];
}
