/**
 * Option types and normalisation for the spk executors (defaults live here AND in each
 * schema.json; the schema drives Nx's CLI help, this module is what the code relies on).
 */
import path from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { SpkError } from '../../src/spk/errors';
import { assertPackageName } from '../../src/spk/name';
import { assertTagNamespace, assertRepoName, assertVersionText, TEST_STAGES, type RecipeCommandInput, type TestStage } from '../../src/spk/cli';
import { findSpkBuildTarget, interpolateNxTokens } from './graph';
import { packageNameFromRecipeFile } from './recipe-name';
import { DEFAULT_OUTPUT_DIR, isSkipExisting, SKIP_EXISTING_VALUES, type SkipExisting } from '../../src/plugin/build-options';

export type { SkipExisting };

/** Options common to every spk executor. */
export interface SpkCommonOptions {
  spkBin?: string;
  dryRun?: boolean;
  /** Sets SPFS_STORAGE__TAG_NAMESPACE for every spk child process (spk.md §5.6). */
  tagNamespace?: string;
  /** Extra environment variables for spk child processes. */
  env?: Record<string, string>;
  handoff?: boolean;
  outputPath?: string;
  /** Hash-only values from the plugin (src/plugin/targets.ts GraphTimeFingerprint); ignored here. */
  fingerprint?: Record<string, string>;
}

export interface SpkRecipeOptions extends SpkCommonOptions {
  recipe: string;
  package?: string;
  version: string;
  templated?: boolean;
  workspace?: string;
  options?: Record<string, string>;
  noHost?: boolean;
  variants?: string[];
  /** spk's own flag name (`--variant`): one selector or a list, added to `variants`. */
  variant?: string | number | Array<string | number>;
  repos?: string[];
  extraArgs?: string[];
}

export interface SpkBuildExecutorOptions extends SpkRecipeOptions {
  skipExisting?: SkipExisting;
}

export interface SpkTestExecutorOptions extends SpkRecipeOptions {
  stages?: string[];
}

export interface SpkPublishExecutorOptions extends SpkCommonOptions {
  package: string;
  version: string;
  targetRepo?: string;
}

/** The environment variable that forces a dry run of every spk executor. */
export const DRY_RUN_ENV = 'NX_SPK_DRY_RUN';

export function isDryRun(option: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (option === true) return true;
  const v = env[DRY_RUN_ENV];
  return v !== undefined && ['1', 'true', 'yes'].includes(v.toLowerCase());
}

/** Default archive directory of a package version, relative to the Nx workspace root. */
export function defaultOutputPath(pkg: string, version: string): string {
  return path.posix.join(DEFAULT_OUTPUT_DIR, pkg, version);
}

export interface NormalizedCommon {
  /** Nx workspace root (absolute); spk runs with this cwd. */
  root: string;
  spkBin?: string;
  dryRun: boolean;
  handoff: boolean;
  /** Environment added on top of process.env for spk child processes. */
  env: Record<string, string>;
}

export interface NormalizedRecipe extends NormalizedCommon {
  recipe: string;
  package: string;
  version: string;
  templated: boolean;
  /** undefined = `.` (spk's own default), so no `--workspace` flag is passed. */
  workspace?: string;
  options: Record<string, string>;
  noHost: boolean;
  variants: string[];
  repos: string[];
  extraArgs: string[];
  /** Archive directory, relative to root when possible. */
  outputPath: string;
}

/** The part of normalised recipe options that the spk argv builders take (build and test alike). */
export function recipeCommandInput(o: NormalizedRecipe): RecipeCommandInput {
  return {
    recipe: o.recipe,
    version: o.version,
    templated: o.templated,
    workspace: o.workspace,
    options: o.options,
    noHost: o.noHost,
    variants: o.variants,
    repos: o.repos,
    extraArgs: o.extraArgs,
  };
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new SpkError('cli', `option "${name}" is required and must be a non-empty string`, { input: String(value) });
  }
  return value;
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new SpkError('cli', `option "${name}" must be an array of strings`, { input: JSON.stringify(value) });
  }
  return value as string[];
}

function stringMap(value: unknown, name: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SpkError('cli', `option "${name}" must be an object`, { input: JSON.stringify(value) });
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new SpkError('cli', `option "${name}.${k}" must be a string`, { input: JSON.stringify(v) });
    }
    out[k] = String(v);
  }
  return out;
}

/** Makes `p` relative to `root` for display and argv, keeping absolute paths outside root absolute. */
export function relativeToRoot(root: string, p: string): string {
  const abs = path.resolve(root, p);
  const rel = path.relative(root, abs);
  return rel === '' ? '.' : rel.startsWith('..') ? abs : rel;
}

function normalizeCommon(options: SpkCommonOptions, context: ExecutorContext): NormalizedCommon {
  const env = stringMap(options.env, 'env');
  if (options.tagNamespace !== undefined && options.tagNamespace !== '') {
    assertTagNamespace(options.tagNamespace);
    env.SPFS_STORAGE__TAG_NAMESPACE = options.tagNamespace;
  }
  return {
    root: context.root,
    spkBin: options.spkBin,
    dryRun: isDryRun(options.dryRun),
    handoff: options.handoff ?? true,
    env,
  };
}

function projectOf(context: ExecutorContext): { root: string; name?: string } {
  const name = context.projectName;
  const root = (name && context.projectsConfigurations?.projects?.[name]?.root) || '.';
  return { root, name };
}

export function normalizeRecipeOptions(options: SpkRecipeOptions, context: ExecutorContext): NormalizedRecipe {
  const common = normalizeCommon(options, context);
  const recipe = requireString(options.recipe, 'recipe');
  const version = requireString(options.version, 'version');
  assertVersionText(version);
  const pkg =
    options.package !== undefined && options.package !== ''
      ? options.package
      : packageNameFromRecipeFile(path.resolve(context.root, recipe));
  assertPackageName(pkg);
  const workspace = options.workspace === undefined || options.workspace === '' || path.normalize(options.workspace) === '.'
    ? undefined
    : relativeToRoot(context.root, options.workspace);
  const repos = stringList(options.repos, 'repos');
  repos.forEach(assertRepoName);
  const outputPath = relativeToRoot(
    context.root,
    interpolateNxTokens(options.outputPath ?? defaultOutputPath(pkg, version), projectOf(context)),
  );
  return {
    ...common,
    recipe: relativeToRoot(context.root, recipe),
    package: pkg,
    version,
    templated: options.templated ?? true,
    workspace,
    options: stringMap(options.options, 'options'),
    noHost: options.noHost ?? false,
    variants: [
      ...stringList(options.variants, 'variants'),
      // `--variant=0` on the Nx command line arrives as a number.
      ...(options.variant === undefined
        ? []
        : stringList((Array.isArray(options.variant) ? options.variant : [options.variant]).map((v) => (typeof v === 'number' ? String(v) : v)), 'variant')),
    ],
    repos,
    extraArgs: stringList(options.extraArgs, 'extraArgs'),
    outputPath,
  };
}

export function normalizeSkipExisting(value: unknown): SkipExisting {
  if (value === undefined) return 'none';
  if (isSkipExisting(value)) return value;
  throw new SpkError('cli', `option "skipExisting" must be one of ${SKIP_EXISTING_VALUES.join(', ')}`, { input: String(value) });
}

export function normalizeStages(value: unknown): TestStage[] {
  const stages = stringList(value, 'stages');
  for (const s of stages) {
    if (!(TEST_STAGES as readonly string[]).includes(s)) {
      throw new SpkError('cli', `option "stages" entries must be one of ${TEST_STAGES.join(', ')}`, { input: s });
    }
  }
  return stages as TestStage[];
}

export interface NormalizedPublish extends NormalizedCommon {
  package: string;
  version: string;
  targetRepo: string;
  /** Own archive directory (for the handoff import). */
  outputPath: string;
}

export function normalizePublishOptions(options: SpkPublishExecutorOptions, context: ExecutorContext): NormalizedPublish {
  const common = normalizeCommon(options, context);
  const pkg = requireString(options.package, 'package');
  const version = requireString(options.version, 'version');
  assertPackageName(pkg);
  assertVersionText(version);
  const targetRepo = options.targetRepo ?? 'origin';
  assertRepoName(targetRepo);
  const own = context.projectName ? archiveDirOfProject(context, context.projectName) : undefined;
  const outputPath = options.outputPath
    ? relativeToRoot(context.root, interpolateNxTokens(options.outputPath, projectOf(context)))
    : own ?? defaultOutputPath(pkg, version);
  return { ...common, package: pkg, version, targetRepo, outputPath };
}

/**
 * The archive directory (relative to root) of `project`'s spk-build target: its `outputPath`
 * option, else `dist/spk/<package>/<version>`. Undefined if the project has no spk-build target
 * or its options do not say which package/version it builds.
 */
export function archiveDirOfProject(context: ExecutorContext, project: string): string | undefined {
  const found = findSpkBuildTarget(context, project);
  if (!found) return undefined;
  const opts = (found.target.options ?? {}) as Partial<SpkBuildExecutorOptions>;
  const projectInfo = { root: found.project.root, name: project };
  if (typeof opts.outputPath === 'string' && opts.outputPath !== '') {
    return relativeToRoot(context.root, interpolateNxTokens(opts.outputPath, projectInfo));
  }
  if (typeof opts.package === 'string' && typeof opts.version === 'string') {
    return defaultOutputPath(opts.package, opts.version);
  }
  return undefined;
}
