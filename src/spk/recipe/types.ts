/**
 * The recipe model: what reading one recipe-version yields (kinds, requirements with roles, problems).
 */
import { type Version } from '../version';
import { type PinStatement } from '../platform';
import { type SpkReader } from '../reader';

export type RecipeKind = 'v0/package' | 'v0/platform' | 'v1/platform' | 'v0/requirements';
export type RequirementRole = 'build' | 'runtime' | 'test' | 'soft' | 'platform-base';

export interface Requirement {
  role: RequirementRole;
  /** Requested package name. */
  pkg: string;
  /** Request text after rendering (as written, without spk's implicit `build` component). */
  request: string;
  /** Version range text ('' = any). */
  range: string;
  components: string[];
  prereleasePolicy: 'ExcludeAll' | 'IncludeAll';
  include: 'Always' | 'IfAlreadyPresent';
  fromBuildEnv?: string | boolean;
  /** Where in the recipe: 'build.options', 'build.variants[1]', 'install.requirements', ... */
  source: string;
  /** build role: indices of the default variants this request applies in. */
  variants?: number[];
  /** test role. */
  stage?: 'sources' | 'build' | 'install';
  /** soft platform constraints: atBuild / atRuntime. */
  phase?: 'build' | 'runtime';
  /** A platform's `atBuild: false` / `atRuntime: false`: removes the inherited constraint (no range). */
  removal?: true;
}

export interface RecipeVersion {
  file: string;
  name: string;
  version: Version;
  kind: RecipeKind;
  /** The raw text reads `opt.version` (so the build must pass `-o version=V`). */
  templated: boolean;
  description?: string;
  compat: string;
  requirements: Requirement[];
  provides: Array<{ name: string; version?: string }>;
  sources: { paths: string[]; excludes: string[]; remote: string[] };
  tests: Array<{ index: number; stage: string }>;
  variants: Array<Record<string, string>>;
  warnings: string[];
  /** Platforms: what each requirement entry says about pins (src/spk/platform.ts), in recipe order. */
  pins?: PinStatement[];
}

export interface RecipeProblem {
  file: string;
  line?: number;
  version?: string;
  /** The package name, when the raw recipe names one (the failure came later: rendering, reading). */
  name?: string;
  message: string;
}

export interface LoadRecipeOptions {
  workspaceRoot: string;
  /** Host options (`computeHostOptions()`), or `false` = `--no-host`. */
  hostOptions: Record<string, string> | false;
  /** Extra `-o k=v` options. */
  options?: Record<string, string>;
  env?: Record<string, string | undefined>;
  /** Reads the recipe file (loadRecipeFile) and the working directory; defaults to node:fs. */
  reader?: SpkReader;
}

export interface LoadRecipeResult {
  recipeVersions: RecipeVersion[];
  problems: RecipeProblem[];
  /** Informational notes that are not problems (e.g. a v0/requirements file is not buildable). */
  notes?: string[];
}
