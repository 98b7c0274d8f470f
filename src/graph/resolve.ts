/**
 * Resolution: each requirement of each recipe-version → the workspace recipe-version spk's
 * solver would pick once everything is built (or external / soft / self), with a reason.
 *
 * The rules, in spk terms:
 * - the solver takes the HIGHEST version that satisfies the request: the range (plain and
 *   API:/Binary: ranges check the candidate's compat, `v0/package_spec.rs` uses Binary), and
 *   the prerelease policy (a pre-release never matches unless `IncludeAll`,
 *   `PkgRequest::is_version_applicable`);
 * - `include: IfAlreadyPresent` requests and platform `atBuild`/`atRuntime` constraints are
 *   merged into an existing request only (`PkgRequest::restrict` in the solver's state), so
 *   they create no edge themselves; when the package is otherwise requested they narrow the
 *   choice;
 * - a recipe never builds against itself: a recursive request (`gcc/<=V` in gcc) can only be
 *   served by another, already published version, so we pick the highest OTHER satisfying
 *   version (which yields bootstrap chains), and a request only the project itself satisfies
 *   is `self`: it must already be published;
 * - `fromBuildEnv` runtime requests pin whatever the build environment contained, so they
 *   follow the build resolution of the same package.
 */
import type { VersionRange } from '../spk/range';
import type { Requirement } from '../spk/recipe';
import { CandidateIndex, type Candidate } from './candidates';
import { ORDERING_ROLES, type RecipeVersionNode, type ResolvedRequirement } from './model';

// Declared with the data model (one home, read by the executors too); re-exported for cycles.ts.
export { ORDERING_ROLES };

interface Constraint {
  range: VersionRange;
  text: string;
  /** Who imposes it (`dcc-platform@2025.1.0 atBuild`, `this recipe (include: IfAlreadyPresent)`). */
  from: string;
}

function isSoft(req: Requirement): boolean {
  return req.role === 'soft' || req.include === 'IfAlreadyPresent';
}

function describeRequest(req: Requirement): string {
  return req.request || req.pkg;
}

interface Attempt {
  chosen?: Candidate;
  selfSatisfies: boolean;
  /** Why each newer candidate was passed over (for the explanation). */
  rejected: string[];
}

function tryCandidates(
  index: CandidateIndex,
  node: RecipeVersionNode,
  req: Requirement,
  reqRange: VersionRange,
  constraints: readonly Constraint[],
  exclude?: (c: Candidate) => boolean,
): Attempt {
  const attempt: Attempt = { selfSatisfies: false, rejected: [] };
  const candidates = index.candidates(req.pkg);
  // The pre-release and range checks, memoised per distinct request (they do not depend on who asks).
  const verdicts = index.verdicts(req.pkg, req.range, reqRange, req.prereleasePolicy === 'IncludeAll');
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    const verdict = verdicts[i];
    if (verdict !== undefined) {
      attempt.rejected.push(verdict);
      continue;
    }
    const label = c.embedded ? `${c.name}/${c.version} (embedded in ${c.project})` : c.project;
    const failed = constraints.find((k) => !k.range.isSatisfiedBy(c.version, c.compat));
    if (failed) {
      attempt.rejected.push(`${label}: excluded by ${failed.from} ${failed.text}`);
      continue;
    }
    if (c.project === node.project) {
      attempt.selfSatisfies = true;
      continue;
    }
    if (exclude?.(c)) {
      attempt.rejected.push(`${label}: would close a dependency cycle`);
      continue;
    }
    attempt.chosen = c;
    break;
  }
  return attempt;
}

function summarizeRejections(rejected: string[]): string {
  if (rejected.length === 0) return '';
  const shown = rejected.slice(0, 4).join('; ');
  return rejected.length > 4 ? ` (${shown}; and ${rejected.length - 4} more)` : ` (${shown})`;
}

/**
 * Resolves one hard requirement. `constraints` are the soft constraints that narrow it.
 * `exclude` lets the cycle breaker ask for an alternative that avoids some projects.
 */
export function resolveRequirement(
  index: CandidateIndex,
  node: RecipeVersionNode,
  req: Requirement,
  constraints: readonly Constraint[] = [],
  exclude?: (c: Candidate) => boolean,
): ResolvedRequirement {
  const base: ResolvedRequirement = {
    role: req.role,
    request: describeRequest(req),
    pkg: req.pkg,
    source: req.source,
    ...(req.variants ? { variants: req.variants } : {}),
    ...(req.stage ? { stage: req.stage } : {}),
    ...(req.phase ? { phase: req.phase } : {}),
    resolution: 'external',
    reason: '',
  };
  if (isSoft(req)) {
    const why =
      req.role === 'soft' && req.phase
        ? `platform ${req.phase === 'build' ? 'atBuild' : 'atRuntime'} constraint`
        : 'include: IfAlreadyPresent';
    if (req.removal) {
      return {
        ...base,
        resolution: 'soft',
        reason: `${why.replace(' constraint', '')}: false removes the constraint a base platform puts on ${req.pkg}; no edge`,
      };
    }
    return {
      ...base,
      resolution: 'soft',
      reason: `soft constraint (${why}): creates no edge; it only narrows the choice when ${req.pkg} is otherwise in the environment`,
    };
  }
  const parsed = index.range(req.range);
  if (parsed instanceof Error) {
    return { ...base, resolution: 'external', reason: `unparseable request ${describeRequest(req)}: ${parsed.message}` };
  }
  const attempt = tryCandidates(index, node, req, parsed, constraints, exclude);
  const narrowed = constraints.length
    ? `; narrowed by ${constraints.map((k) => `${k.from} ${k.text}`).join(', ')}`
    : '';
  if (attempt.chosen) {
    const c = attempt.chosen;
    const what = c.embedded ? `${c.name}/${c.version}, embedded in ${c.project}` : c.project;
    const passed = attempt.rejected.length ? `; newer candidates passed over${summarizeRejections(attempt.rejected)}` : '';
    return {
      ...base,
      resolution: ORDERING_ROLES.has(req.role) ? 'project' : 'not-ordered',
      target: c.project,
      reason: `highest workspace version satisfying ${describeRequest(req)}: ${what}${narrowed}${passed}`,
    };
  }
  if (attempt.selfSatisfies) {
    return {
      ...base,
      resolution: 'self',
      reason: `only ${node.project} itself satisfies ${describeRequest(req)}; a recipe never builds against itself, so an already published ${req.pkg} must serve it`,
    };
  }
  const candidates = index.candidates(req.pkg);
  if (candidates.length === 0) {
    return {
      ...base,
      resolution: 'external',
      reason: `no recipe in the workspace provides ${req.pkg}; it must already be published`,
    };
  }
  return {
    ...base,
    resolution: 'external',
    reason: `no workspace version of ${req.pkg} satisfies ${describeRequest(req)}${narrowed}${summarizeRejections(attempt.rejected)}; it must already be published`,
  };
}

/**
 * Soft constraints a platform imposes on packages in the environment of a recipe that
 * requests it, phase by phase, with inheritance from its bases: the platform's own
 * `atBuild`/`atRuntime` for a package replaces what its bases say about it (spk copies the
 * base's requirements in, then applies the platform's own; `false` removes the inherited
 * constraint, which the reading layer reports as a soft requirement marked `removal`).
 */
function platformConstraints(
  index: CandidateIndex,
  project: string,
  phase: 'build' | 'runtime',
  resolved: Map<string, ResolvedRequirement[]>,
  memo: Map<string, Map<string, Constraint[]>>,
  visiting: Set<string> = new Set(),
): Map<string, Constraint[]> {
  const key = `${phase}\u0000${project}`;
  const cached = memo.get(key);
  if (cached) return cached;
  const out = new Map<string, Constraint[]>();
  const node = index.nodes.get(project);
  if (!node || visiting.has(project)) return out;
  visiting.add(project);
  // Inherited first, from every base this platform resolved to.
  for (const r of resolved.get(project) ?? []) {
    if (r.role !== 'platform-base' || !r.target || r.resolution === 'external') continue;
    // Bases apply in order and a later base's rule for a package replaces an earlier one's
    // (crates/spk-schema/src/v1/platform.rs copies each base's requirements over the last).
    for (const [pkg, ks] of platformConstraints(index, r.target, phase, resolved, memo, visiting)) {
      out.set(pkg, ks);
    }
  }
  // Then the platform's own statements replace inherited ones for the same package.
  const own = new Map<string, Constraint[]>();
  for (const req of node.requirements) {
    if (!isSoft(req)) continue;
    if (req.phase && req.phase !== phase) continue;
    if (!own.has(req.pkg)) own.set(req.pkg, []);
    if (req.removal) continue; // the package is mentioned, with no constraint
    const parsed = index.range(req.range);
    if (parsed instanceof Error) continue;
    own.get(req.pkg)!.push({
      range: parsed,
      text: req.range || '*',
      from: `${project} ${req.phase === 'runtime' ? 'atRuntime' : req.phase === 'build' ? 'atBuild' : '(IfAlreadyPresent)'}`,
    });
  }
  for (const [pkg, ks] of own) out.set(pkg, ks);
  visiting.delete(project);
  memo.set(key, out);
  return out;
}

/**
 * Resolves every requirement of every node. Two passes: hard requests first, then the
 * platforms found in each build environment contribute their soft constraints and the
 * affected requests are resolved again with them.
 */
export function resolveAll(index: CandidateIndex): Map<string, ResolvedRequirement[]> {
  const resolved = new Map<string, ResolvedRequirement[]>();
  const nodes = [...index.nodes.values()].sort((a, b) => (a.project < b.project ? -1 : 1));

  // A recipe's own `include: IfAlreadyPresent` install requirements narrow its other runtime
  // requests of the same package (the solver merges them into one request); they never reach
  // the build environment, so build requests are not narrowed by them.
  const ownSoft = (node: RecipeVersionNode, req: Requirement): Constraint[] =>
    node.kind === 'v0/package' && req.role === 'runtime'
      ? node.requirements
          .filter((r) => isSoft(r) && r.pkg === req.pkg && r.source.startsWith('install'))
          .flatMap((r) => {
            const parsed = index.range(r.range);
            return parsed instanceof Error || r.range === ''
              ? []
              : [{ range: parsed, text: r.range, from: `this recipe's ${r.source} (IfAlreadyPresent)` }];
          })
      : [];

  const resolveNode = (node: RecipeVersionNode, platformK?: (req: Requirement) => Constraint[]): ResolvedRequirement[] => {
    // One slot per requirement, in recipe order; a `fromBuildEnv` runtime request is resolved
    // after every build request of the recipe, since it follows their resolutions.
    const slots: Array<{ resolved: ResolvedRequirement } | { fromBuildEnv: Requirement }> = [];
    const buildResolutions = new Map<string, ResolvedRequirement[]>();
    for (const req of node.requirements) {
      if (req.role === 'runtime' && req.fromBuildEnv !== undefined && req.fromBuildEnv !== false && !isSoft(req)) {
        slots.push({ fromBuildEnv: req });
        continue;
      }
      const constraints = isSoft(req) ? [] : [...ownSoft(node, req), ...(platformK?.(req) ?? [])];
      const r = resolveRequirement(index, node, req, constraints);
      if (req.role === 'build') buildResolutions.set(req.pkg, [...(buildResolutions.get(req.pkg) ?? []), r]);
      slots.push({ resolved: r });
    }
    // fromBuildEnv pins whatever the build environment held; over several variants that can be
    // several versions (one per variant), so the runtime requirement follows each of them.
    const followBuild = (req: Requirement): ResolvedRequirement[] => {
      const plain = resolveRequirement(index, node, { ...req, fromBuildEnv: undefined });
      const seen = new Set<string>();
      const out: ResolvedRequirement[] = [];
      for (const b of buildResolutions.get(req.pkg) ?? []) {
        const key = b.target ?? `${b.resolution}:${b.request}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({
          ...plain,
          ...(b.variants ? { variants: b.variants } : {}),
          resolution: b.resolution,
          target: b.target,
          reason: `fromBuildEnv: pinned to the ${req.pkg} in the build environment (${b.target ?? b.resolution}): ${b.reason}`,
        });
      }
      if (out.length === 0) {
        out.push({
          ...plain,
          reason: `fromBuildEnv, but ${req.pkg} is not a build option of this recipe; resolved as a plain request: ${plain.reason}`,
        });
      }
      return out;
    };
    return slots.flatMap((s) => ('resolved' in s ? [s.resolved] : followBuild(s.fromBuildEnv)));
  };

  for (const node of nodes) resolved.set(node.project, resolveNode(node));

  // Second pass: platforms in the environment narrow other requests of the same recipe.
  const memo = new Map<string, Map<string, Constraint[]>>();
  for (const node of nodes) {
    const first = resolved.get(node.project)!;
    const platforms: Record<'build' | 'runtime', string[]> = { build: [], runtime: [] };
    for (const r of first) {
      if (!r.target || (r.resolution !== 'project' && r.resolution !== 'not-ordered')) continue;
      const t = index.nodes.get(r.target);
      if (!t || t.kind === 'v0/package' || t.kind === 'v0/requirements') continue;
      if (r.role === 'build' || r.role === 'platform-base') platforms.build.push(r.target);
      if (r.role === 'runtime') platforms.runtime.push(r.target);
    }
    if (platforms.build.length === 0 && platforms.runtime.length === 0) continue;
    const byPhase = {
      build: platforms.build.map((p) => platformConstraints(index, p, 'build', resolved, memo)),
      runtime: platforms.runtime.map((p) => platformConstraints(index, p, 'runtime', resolved, memo)),
    };
    const platformK = (req: Requirement): Constraint[] => {
      const phase = req.role === 'runtime' ? 'runtime' : 'build';
      // A platform does not constrain itself (its own base/platform requests).
      return byPhase[phase].flatMap((m) => m.get(req.pkg) ?? []);
    };
    const hasAny = node.requirements.some((req) => !isSoft(req) && platformK(req).length > 0);
    if (hasAny) resolved.set(node.project, resolveNode(node, platformK));
  }
  return resolved;
}

export type { Constraint };
