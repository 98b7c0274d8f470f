/**
 * The resolution layer's data model: what a recipe-version looks like to the graph,
 * and what each of its requirements resolved to.
 *
 * Everything here is plain JSON (no class instances) so the plugin can cache it and
 * Nx can show it in `nx show project <p> --json`.
 */
import type { Requirement, RecipeKind } from '../spk/recipe';
import type { PinStatement } from '../spk/platform';

/** One recipe-version as the graph sees it: a node, and a candidate for other nodes' requests. */
export interface RecipeVersionNode {
  /** The Nx project name: `<name>@<canonical version>`. */
  project: string;
  name: string;
  /** spk's canonical display of the version (`3.11.5`, `0.0.0+bootstrap.1`). */
  version: string;
  /** Workspace-relative (posix) path of the recipe file. */
  file: string;
  kind: RecipeKind;
  /** The recipe's compat string (`x.a.b` when not given). */
  compat: string;
  requirements: Requirement[];
  /** `install.embedded` packages: this recipe-version provides them. */
  provides: Array<{ name: string; version?: string }>;
  /** Platforms: pin statements in recipe order (src/spk/platform.ts). */
  pins?: PinStatement[];
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
