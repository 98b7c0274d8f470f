/**
 * The resolution layer's data model: what a recipe-version looks like to the graph,
 * and what each of its requirements resolved to.
 *
 * Everything here is plain JSON (no class instances) so the plugin can cache it and
 * Nx can show it in `nx show project <p> --json`.
 */
import type { RecipeVersion, Requirement, RequirementRole } from '../spk/recipe';

/**
 * One recipe-version as the reading layer produced it (src/spk/recipe.ts RecipeVersion), as
 * plain JSON: the version in spk's canonical display (`3.11.5`, `0.0.0+bootstrap.1`). The one
 * recipe-version type that the graph, the plugin's cache and its metadata extend or pick from.
 */
export interface RecipeVersionRecord extends Omit<RecipeVersion, 'version'> {
  /** spk's canonical display of the version. */
  version: string;
}

/** One recipe-version as the graph sees it: a node, and a candidate for other nodes' requests. */
export interface RecipeVersionNode extends Pick<RecipeVersionRecord, 'name' | 'version' | 'file' | 'kind' | 'compat' | 'requirements' | 'provides' | 'pins'> {
  /** The Nx project name: `<name>@<canonical version>`. */
  project: string;
}

/**
 * What a requirement resolved to.
 * - `project`: an edge to a workspace recipe-version;
 * - `external`: nothing in the workspace satisfies it; it must already be published;
 * - `soft`: a constraint (`include: IfAlreadyPresent`, platform `atBuild`/`atRuntime`) that
 *   creates no edge by itself;
 * - `self`: only the requesting recipe-version itself satisfies it (recursive build): the
 *   request is served by an already published build of the same package;
 * - `cycle-broken`: it resolved to a project but that edge closed a dependency cycle that
 *   could not be broken bootstrap-style, so the edge was dropped and its target must already
 *   be published;
 * - `not-ordered`: resolved (see `target`), but the role does not order builds (tests).
 */
export type ResolutionKind = 'project' | 'external' | 'soft' | 'self' | 'cycle-broken' | 'not-ordered';

export interface ResolvedRequirement {
  role: Requirement['role'];
  /** The request text as written (after rendering). */
  request: string;
  pkg: string;
  /** Where it came from in the recipe (`build.options`, `build.variants[1]`, `install.requirements`, …). */
  source: string;
  /** Build role: the default variants it applies in. */
  variants?: number[];
  stage?: string;
  phase?: string;
  resolution: ResolutionKind;
  /** The project it resolved to (also set for `cycle-broken` and `not-ordered`). */
  target?: string;
  /** A sentence a release engineer can act on. */
  reason: string;
}

export interface CycleDecision {
  /** The cycle, as project names, first repeated at the end (`a → b → a`). */
  cycle: string[];
  action: 'bootstrap' | 'dropped-edge';
  /** The requesting project of the edge that was changed. */
  source: string;
  /** The project the edge pointed at before the decision. */
  from: string;
  /** Bootstrap: the lower version chosen instead. */
  to?: string;
  message: string;
}

export interface ResolvedGraph {
  /** Per project: every requirement and what it resolved to, in recipe order. */
  resolutions: Map<string, ResolvedRequirement[]>;
  /** Build-ordering edges: source project → sorted target projects. */
  edges: Map<string, string[]>;
  cycles: CycleDecision[];
}

/**
 * Roles whose resolution orders builds (edges). Tests are resolved and explained, not ordered;
 * soft constraints create no edge.
 */
export const ORDERING_ROLES: ReadonlySet<RequirementRole> = new Set<RequirementRole>(['build', 'runtime', 'platform-base']);

/**
 * Roles whose resolved packages spk's solver puts in a recipe's BUILD environment directly
 * (build requests and a platform's bases); runtime requests join it transitively, through the
 * install requirements of what is already in it.
 */
export const BUILD_ENV_ROLES: ReadonlySet<RequirementRole> = new Set<RequirementRole>(['build', 'platform-base']);

/** A requirement that needs an already published package (the plan lists them as externals). */
export type PublishedRequirement = Pick<ResolvedRequirement, 'role' | 'request' | 'pkg' | 'resolution'>;

/** Resolutions that need an already published build rather than a workspace project. */
export const PUBLISHED_RESOLUTIONS: ReadonlySet<ResolutionKind> = new Set<ResolutionKind>(['external', 'self', 'cycle-broken']);

/**
 * The compact facts of one recipe-version's resolutions that Nx, the executors and the plan
 * read from the project configuration. The explanations (every requirement with its source,
 * variants and reason) are not part of it: `nx-spk explain` computes them on demand.
 */
export interface ResolvedFacts {
  /**
   * Build-ordering edges (targets of `project` resolutions of ordering roles), sorted. Not part
   * of a project configuration's `metadata.spk`: {@link orderingDependencies} derives them there.
   */
  dependencies: string[];
  /** Projects in the build environment directly ({@link BUILD_ENV_ROLES} resolved to a project), in recipe order. */
  buildEnv: string[];
  /** Projects the runtime requirements resolved to, in recipe order. */
  runtime: string[];
  /** Projects the test requirements resolved to (their builds run before the tests), sorted. */
  tests: string[];
  /** Requirements served by an already published package ({@link PUBLISHED_RESOLUTIONS}). */
  published: PublishedRequirement[];
}

/**
 * `project`'s build-ordering edges from its compact facts: every project its build environment
 * or runtime requirements resolved to, but itself, sorted. The same as the resolver's edges
 * (src/graph/cycles.ts edgesFrom) by construction — ORDERING_ROLES is BUILD_ENV_ROLES plus
 * `runtime`, and both lists hold `project` resolutions only — so a project configuration does
 * not store the edges a second time (each list element is a key in Nx's source maps too).
 */
export function orderingDependencies(project: string, facts: Pick<ResolvedFacts, 'buildEnv' | 'runtime'>): string[] {
  return [...new Set([...facts.buildEnv, ...facts.runtime])].filter((p) => p !== project).sort();
}

/** The compact facts of `project`'s resolved requirements. */
export function resolvedFacts(project: string, requirements: readonly ResolvedRequirement[], dependencies: readonly string[]): ResolvedFacts {
  const targets = (keep: (r: ResolvedRequirement) => boolean): string[] => [
    ...new Set(requirements.filter((r) => r.target !== undefined && keep(r)).map((r) => r.target!)),
  ];
  return {
    dependencies: [...dependencies],
    buildEnv: targets((r) => r.resolution === 'project' && BUILD_ENV_ROLES.has(r.role)),
    runtime: targets((r) => r.resolution === 'project' && r.role === 'runtime'),
    // Tests never order builds: a chosen test requirement is `not-ordered`.
    tests: targets((r) => r.role === 'test' && r.target !== project && (r.resolution === 'not-ordered' || r.resolution === 'project')).sort(),
    published: requirements
      .filter((r) => PUBLISHED_RESOLUTIONS.has(r.resolution))
      .map((r) => ({ role: r.role, request: r.request, pkg: r.pkg, resolution: r.resolution })),
  };
}
