/**
 * Which spk projects go into the plan, and why.
 *
 * The roots come from the selection mode; the plan is the roots plus everything they need,
 * transitively (a dependency that is already published is kept in the plan, marked so, and
 * simply not built). Project patterns use Nx's own matcher (`findMatchingProjects`, injected
 * as `match` so this module stays pure), so names, globs, `tag:`, directories and `!negation`
 * behave exactly like `nx run-many -p`.
 */
import type { PlanGraph, PlanProblem, PlanReason, SelectionResult } from './model';
import { byteCompare, compareProjectNames, sortProjects } from './order';
import { dependentsIndex } from './project-graph';

export type Selector =
  | { mode: 'all' }
  /** `--projects`: Nx project patterns. */
  | { mode: 'projects'; patterns: string[] }
  /** `--up-to`: these projects (patterns) and their dependencies. */
  | { mode: 'up-to'; patterns: string[] }
  /** `--dependents-of`: these projects (patterns) and everything that depends on them. */
  | { mode: 'dependents-of'; patterns: string[] }
  /** `--affected`: the project names Nx reported as affected (any kind of project). */
  | { mode: 'affected'; projects: string[] }
  /** `--platform`: the recipe-versions these platform projects (patterns) pin, and their dependencies. */
  | { mode: 'platform'; patterns: string[] };

/** Nx pattern matching over ALL projects of the Nx graph (not only spk ones). */
export type ProjectMatcher = (patterns: string[]) => string[];

function isNegated(p: string): boolean {
  return p.startsWith('!');
}

/**
 * Resolves the patterns to spk projects. A pattern that matches no spk project is reported;
 * as a convenience a bare spk package name (`python`) that Nx matches to nothing selects every
 * version of that package (the same as `tag:spk:pkg:python`).
 */
function matchPatterns(
  graph: PlanGraph,
  patterns: string[],
  match: ProjectMatcher,
  problems: PlanProblem[],
): { names: Set<string>; anyMatched: boolean } {
  const spkNames = new Set(graph.nodes.keys());
  const byPkg = new Map<string, string[]>();
  for (const n of graph.nodes.values()) byPkg.set(n.pkg, [...(byPkg.get(n.pkg) ?? []), n.project]);

  const effective: string[] = [];
  let anyMatched = false;
  for (const p of patterns) {
    if (isNegated(p)) {
      effective.push(p);
      continue;
    }
    // findMatchingProjects mutates its argument (it may unshift '*'): always pass a copy.
    const hits = match([p]);
    const spkHits = hits.filter((h) => spkNames.has(h));
    if (spkHits.length > 0) {
      anyMatched = true;
      effective.push(p);
      continue;
    }
    const versions = byPkg.get(p);
    if (versions) {
      anyMatched = true;
      effective.push(`tag:spk:pkg:${p}`);
      continue;
    }
    const others = sortProjects(hits).slice(0, 5);
    problems.push({
      kind: 'unknown-pattern',
      subject: p,
      message:
        hits.length > 0
          ? `'${p}' matches no spk recipe-version (only other Nx projects: ${others.join(', ')}${hits.length > 5 ? ', …' : ''}); ignored`
          : `'${p}' matches no project in the Nx workspace; ignored`,
    });
  }
  // Nx reads a list that STARTS with a negation as "everything except …". When the user's list
  // started with a positive pattern that matched nothing, the negations that now lead the list
  // applied to an empty set: drop them rather than turn them into "everything except".
  if (patterns.length > 0 && !isNegated(patterns[0])) {
    while (effective.length > 0 && isNegated(effective[0])) effective.shift();
  }
  const names = new Set<string>();
  if (effective.length > 0) {
    for (const n of match([...effective])) if (spkNames.has(n)) names.add(n);
  }
  return { names, anyMatched: anyMatched || (patterns.length > 0 && patterns.every(isNegated)) };
}

function transitive(start: string, next: (n: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...next(start)];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === start || seen.has(n)) continue;
    seen.add(n);
    stack.push(...next(n));
  }
  return seen;
}

function reasonKey(r: PlanReason): string {
  const order = { selected: 0, affected: 1, pinned: 2, dependent: 3, dependency: 4 }[r.kind];
  return `${order}\u0000${'of' in r ? r.of : ''}`;
}

export function sortReasons(reasons: PlanReason[]): PlanReason[] {
  const unique = new Map(reasons.map((r) => [reasonKey(r), r]));
  return [...unique.values()].sort((a, b) => {
    const ka = reasonKey(a).split('\u0000');
    const kb = reasonKey(b).split('\u0000');
    return byteCompare(ka[0], kb[0]) || compareProjectNames(ka[1], kb[1]);
  });
}

export function selectProjects(graph: PlanGraph, selector: Selector, match: ProjectMatcher): SelectionResult {
  const problems: PlanProblem[] = [];
  const roots = new Map<string, PlanReason[]>();
  const addRoot = (n: string, r: PlanReason) => roots.set(n, [...(roots.get(n) ?? []), r]);
  let nothingMatched = false;
  const unbuiltPins: NonNullable<SelectionResult['unbuiltPins']> = [];

  switch (selector.mode) {
    case 'all':
      for (const n of graph.nodes.keys()) addRoot(n, { kind: 'selected' });
      break;
    case 'affected':
      for (const n of selector.projects) if (graph.nodes.has(n)) addRoot(n, { kind: 'affected' });
      break;
    case 'projects':
    case 'up-to':
    case 'dependents-of': {
      const { names, anyMatched } = matchPatterns(graph, selector.patterns, match, problems);
      nothingMatched = selector.patterns.length > 0 && !anyMatched;
      for (const n of names) addRoot(n, { kind: 'selected' });
      if (selector.mode === 'dependents-of') {
        const dependents = dependentsIndex(graph);
        for (const n of sortProjects(names)) {
          for (const d of transitive(n, (x) => dependents.get(x) ?? [])) {
            if (!names.has(d)) addRoot(d, { kind: 'dependent', of: n });
          }
        }
      }
      break;
    }
    case 'platform': {
      const { names, anyMatched } = matchPatterns(graph, selector.patterns, match, problems);
      nothingMatched = selector.patterns.length > 0 && !anyMatched;
      let platforms = 0;
      for (const n of sortProjects(names)) {
        const node = graph.nodes.get(n)!;
        if (!node.pins) {
          problems.push({ kind: 'not-a-platform', subject: n, message: `${n} is a ${node.kind} recipe-version, not a platform; it pins nothing` });
          continue;
        }
        platforms++;
        for (const pin of node.pins) {
          if (pin.project && graph.nodes.has(pin.project)) addRoot(pin.project, { kind: 'pinned', of: n });
          else unbuiltPins.push({ platform: n, pin });
        }
      }
      if (platforms === 0 && !nothingMatched) nothingMatched = true;
      break;
    }
  }

  // Everything the roots need, transitively. A root keeps only its root reasons: "dependency of"
  // is said of projects that are in the plan only because something else needs them.
  const reasons = new Map<string, PlanReason[]>(roots);
  const deps = (x: string) => graph.nodes.get(x)?.dependencies ?? [];
  for (const root of sortProjects(roots.keys())) {
    for (const d of transitive(root, deps)) {
      if (roots.has(d)) continue;
      reasons.set(d, [...(reasons.get(d) ?? []), { kind: 'dependency', of: root }]);
    }
  }
  for (const [k, v] of reasons) reasons.set(k, sortReasons(v));
  return { reasons, problems, nothingMatched, ...(selector.mode === 'platform' ? { unbuiltPins } : {}) };
}

export function formatReason(r: PlanReason): string {
  switch (r.kind) {
    case 'selected':
      return 'selected';
    case 'affected':
      return 'affected';
    case 'dependency':
      return `dependency of ${r.of}`;
    case 'dependent':
      return `dependent of ${r.of}`;
    case 'pinned':
      return `pinned by ${r.of}`;
  }
}
