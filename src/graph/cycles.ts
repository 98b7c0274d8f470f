/**
 * Cycles: spk's own packages/ has real ones (autoconf → gettext → autoconf; automake →
 * autoconf → m4 → automake). Nx's task runner refuses a whole run when the task graph has a
 * cycle, so we never hand one over silently:
 *
 * 1. bootstrap-style: for an edge inside a cycle, pick a LOWER satisfying version of the same
 *    package that lies outside the cycle (a `+bootstrap` package, an older release). That is
 *    what spk's solver does when the newer version does not exist yet, so the order is one
 *    spk would succeed with;
 * 2. otherwise drop the closing edge: its target must already be published.
 *
 * Every decision is recorded. Edges are examined in a fixed order (sorted project names),
 * so the outcome is deterministic. `strictCycles` turns any cycle into an error naming the path.
 */
import { SpkError } from '../spk/errors';
import { CandidateIndex } from './candidates';
import type { CycleDecision, ResolvedRequirement } from './model';
import { ORDERING_ROLES, resolveRequirement } from './resolve';

/** Strongly connected components (iterative Tarjan), O(V + E). Only components with a cycle are returned. */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  const nodes = [...edges.keys()].sort();
  for (const start of nodes) {
    if (indexOf.has(start)) continue;
    const work: Array<{ v: string; i: number }> = [{ v: start, i: 0 }];
    indexOf.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1];
      const succ = edges.get(frame.v) ?? [];
      if (frame.i < succ.length) {
        const w = succ[frame.i++];
        if (!indexOf.has(w)) {
          indexOf.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.v, Math.min(low.get(frame.v)!, indexOf.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].v;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.v)!));
      }
      if (low.get(frame.v) === indexOf.get(frame.v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== frame.v);
        const selfLoop = (edges.get(frame.v) ?? []).includes(frame.v);
        if (comp.length > 1 || selfLoop) out.push(comp.sort());
      }
    }
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** A concrete cycle through `start` inside `members` (BFS shortest path back to start). */
export function cyclePath(edges: ReadonlyMap<string, readonly string[]>, start: string, members: ReadonlySet<string>): string[] {
  const prev = new Map<string, string>();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of edges.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let x = v; x !== start; x = prev.get(x)!) path.splice(1, 0, x);
        return [...path, start];
      }
      if (!seen.has(w)) {
        seen.add(w);
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

export function edgesFrom(resolutions: ReadonlyMap<string, readonly ResolvedRequirement[]>): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const [project, list] of resolutions) {
    const targets = new Set<string>();
    for (const r of list) {
      if (r.resolution === 'project' && r.target && ORDERING_ROLES.has(r.role) && r.target !== project) targets.add(r.target);
    }
    edges.set(project, [...targets].sort());
  }
  return edges;
}

export interface BreakCyclesOptions {
  strict?: boolean;
}

/**
 * Breaks every cycle in place (mutating `resolutions`) and returns the decisions.
 * Throws SpkError naming the full cycle path when `strict` is set.
 */
export function breakCycles(
  index: CandidateIndex,
  resolutions: Map<string, ResolvedRequirement[]>,
  opts: BreakCyclesOptions = {},
): CycleDecision[] {
  const decisions: CycleDecision[] = [];
  // Each round removes or retargets at least one edge, so the loop is bounded by the edge count.
  let guard = 0;
  for (;;) {
    const edges = edgesFrom(resolutions);
    const comps = findCycles(edges);
    if (comps.length === 0) return decisions;
    if (guard++ > 100_000) throw new Error('nx-spk: cycle breaking did not converge (please report this)');
    const comp = comps[0];
    const members = new Set(comp);
    const path = cyclePath(edges, comp[0], members);
    if (opts.strict) {
      throw new SpkError(
        'recipe',
        `dependency cycle: ${path.join(' → ')} (strictCycles is on; remove a requirement or add a bootstrap recipe)`,
      );
    }
    if (tryBootstrap(index, resolutions, comp, members, path, decisions)) continue;
    dropClosingEdge(resolutions, path, decisions);
  }
}

function tryBootstrap(
  index: CandidateIndex,
  resolutions: Map<string, ResolvedRequirement[]>,
  comp: string[],
  members: Set<string>,
  path: string[],
  decisions: CycleDecision[],
): boolean {
  for (const source of comp) {
    const node = index.nodes.get(source);
    const list = resolutions.get(source);
    if (!node || !list) continue;
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      if (r.resolution !== 'project' || !r.target || !members.has(r.target) || !ORDERING_ROLES.has(r.role)) continue;
      const req = node.requirements.find((q) => q.source === r.source && q.pkg === r.pkg && (q.request || q.pkg) === r.request && q.role === r.role);
      if (!req || req.fromBuildEnv) continue;
      const current = index.nodes.get(r.target);
      const alt = resolveRequirement(index, node, req, [], (c) => members.has(c.project) || (current !== undefined && c.project !== r.target && c.version.compare(current.version) > 0));
      if (alt.resolution !== 'project' || !alt.target || members.has(alt.target)) continue;
      const message = `cycle ${path.join(' → ')}: ${source} now uses ${alt.target} (bootstrap) instead of ${r.target} for ${r.request}`;
      // Retarget every requirement of this source that pointed at the same project.
      for (let j = 0; j < list.length; j++) {
        const q = list[j];
        if (q.target === r.target && q.resolution === 'project' && q.pkg === r.pkg) {
          list[j] = { ...q, target: alt.target, reason: `${message}; ${alt.reason}` };
        }
      }
      decisions.push({ cycle: path, action: 'bootstrap', source, from: r.target, to: alt.target, message });
      return true;
    }
  }
  return false;
}

function dropClosingEdge(resolutions: Map<string, ResolvedRequirement[]>, path: string[], decisions: CycleDecision[]): void {
  // The closing edge is the last hop of the cycle found from its smallest member.
  const source = path[path.length - 2];
  const target = path[path.length - 1];
  const list = resolutions.get(source)!;
  const message = `cycle ${path.join(' → ')}: dropped the edge ${source} → ${target}; ${target} must already be published when ${source} builds`;
  for (let j = 0; j < list.length; j++) {
    const q = list[j];
    if (q.target === target && q.resolution === 'project') {
      list[j] = { ...q, resolution: 'cycle-broken', reason: `${message} (was: ${q.reason})` };
    }
  }
  decisions.push({ cycle: path, action: 'dropped-edge', source, from: target, message });
}
