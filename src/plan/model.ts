/**
 * The data model of `nx-spk plan`: the spk part of the Nx project graph as the planner sees it,
 * and the plan it produces. Plain JSON throughout, so the `--json` output is these objects.
 */
import type { PublishedRequirement } from '../graph/model';

/** One spk recipe-version project, taken from the Nx project graph. */
export interface PlanNode {
  /** Nx project name `<name>@<version>`. */
  project: string;
  /** spk package name. */
  pkg: string;
  version: string;
  /** Nx-workspace-relative path of the recipe file. */
  recipe: string;
  /** `v0/package`, `v0/platform`, … */
  kind: string;
  tags: string[];
  root: string;
  /** Requirements served by an already published package (the plugin's metadata.spk.published). */
  requirements: PublishedRequirement[];
  /** Build-ordering edges to other spk projects (project names), sorted. */
  dependencies: string[];
  /** Platforms: their effective pins (the plugin's metadata.spk.platform.pins). */
  pins?: PlanPin[];
}

/** One pin of a platform, as the planner reads it. */
export interface PlanPin {
  pkg: string;
  version: string;
  /** The platform stating it (the platform itself or a base). */
  from: string;
  /** The plugin's status: project, pinned, ambiguous, no-template, failed, disabled, external. */
  status: string;
  /** The recipe-version that builds it, if any. */
  project?: string;
  reason: string;
}

/** The spk projects of a workspace and their build-ordering edges. */
export interface PlanGraph {
  nodes: Map<string, PlanNode>;
}

/** Why a project is in the plan. */
export type PlanReason =
  | { kind: 'selected' }
  | { kind: 'affected' }
  /** Pulled in because `of` (a selected/affected project) needs it, directly or transitively. */
  | { kind: 'dependency'; of: string }
  /** `--dependents-of <of>`: it depends on `of`, directly or transitively. */
  | { kind: 'dependent'; of: string }
  /** `--platform <of>`: the platform `of` pins this recipe-version. */
  | { kind: 'pinned'; of: string };

/**
 * - `published`: the version exists in the origin repository;
 * - `local`: only in the local repository (built here, not published);
 * - `build`: in neither: it must be built;
 * - `unknown`: spk is not available, nothing was asked;
 * - `error`: spk failed for this package name (see the problems).
 */
export type PlanStatus = 'published' | 'local' | 'build' | 'unknown' | 'error';

export type ProblemKind = 'not-a-platform' | 'unknown-pattern' | 'graph' | 'spk-unavailable' | 'spk-failed' | 'cycle' | 'affected' | 'broken-recipe';

export interface PlanProblem {
  kind: ProblemKind;
  message: string;
  /** The pattern, project, package name or cycle the problem is about. */
  subject?: string;
  /** `cycle`: the path, first project repeated at the end. */
  path?: string[];
}

export interface SelectionResult {
  /** Every project in the plan → why (sorted, de-duplicated). */
  reasons: Map<string, PlanReason[]>;
  problems: PlanProblem[];
  /** True when at least one pattern/project was asked for and none of them matched. */
  nothingMatched: boolean;
  /** `--platform`: pins no recipe-version of the workspace builds (listed like externals). */
  unbuiltPins?: Array<{ platform: string; pin: PlanPin }>;
}

export interface WavesResult {
  /** Topological layers, each sorted; the last one may be the cycle wave. */
  waves: string[][];
  /** 1-based number of the final wave that holds nodes left on a cycle, if any. */
  cyclicWave?: number;
  /** Each cycle found among the left-over nodes (first node repeated at the end). */
  cycles: string[][];
}

export interface ExternalUse {
  request: string;
  pkg: string;
  /** `external`, or `self`/`cycle-broken` (both also need an already published build). */
  resolutions: string[];
  roles: string[];
  /** Planned projects with this requirement, sorted. */
  neededBy: string[];
  /**
   * Whether spk can see a satisfying version (local or origin): `true`/`false`, or
   * `null` when unknown (spk unavailable, spk failed, or the request cannot be parsed).
   */
  visible: boolean | null;
  /** Satisfying versions spk listed, newest first (empty when unknown). */
  satisfiedBy: string[];
  note?: string;
}

export interface PlannedProject {
  name: string;
  package: string;
  version: string;
  recipe: string;
  kind: string;
  status: PlanStatus;
  reasons: PlanReason[];
  /** 1-based wave, or null when the project is not built (published). */
  wave: number | null;
  /** Build-ordering edges to other projects in the plan, sorted. */
  dependencies: string[];
  /** Set for status `error`. */
  error?: string;
}

export interface Plan {
  schemaVersion: 1;
  spk: { available: boolean; version: string | null; bin: string | null };
  /** Waves in order, then the projects that are not built (published), each group sorted. */
  projects: PlannedProject[];
  waves: string[][];
  cyclicWave: number | null;
  externals: ExternalUse[];
  problems: PlanProblem[];
}
