/**
 * The plugin's cached, JSON-serialisable form of a recipe-version (what the reading layer
 * produced, plus what target building needs), and the loader that fills the cache.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { loadRecipeText, type RecipeProblem, type RecipeVersion } from '../spk/recipe';
import { parseVersion } from '../spk/version';
import type { RecipeVersionNode, RecipeVersionRecord } from '../graph/model';

/** A recipe-version in the plugin's cache: the reading layer's record plus what target building needs. */
export interface PluginRecipeVersion extends RecipeVersionRecord {
  /** Environment variables the template reads (`env.NAME`): they change the rendering and the build. */
  envRefs: string[];
}

export interface CachedRecipeFile {
  recipeVersions: PluginRecipeVersion[];
  problems: RecipeProblem[];
}

const ENV_REF = /\benv\.([A-Za-z_][A-Za-z0-9_]*)/g;

export function envReferences(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(ENV_REF)) out.add(m[1]);
  return [...out].sort();
}

export function toRecord(rv: RecipeVersion, envRefs: string[]): PluginRecipeVersion {
  const { version, description, pins, ...rest } = rv;
  return { ...rest, version: version.toString(), ...(description ? { description } : {}), ...(pins ? { pins } : {}), envRefs };
}

export function projectName(name: string, version: string): string {
  return `${name}@${version}`;
}

/** The graph node of a recipe-version: the same record, named (the graph reads the fields it needs). */
export function toNode(rv: PluginRecipeVersion): RecipeVersionNode & PluginRecipeVersion {
  return { ...rv, project: projectName(rv.name, rv.version) };
}

/**
 * Cache key of one recipe file: its text, the versions the workspace lists for it, the
 * options that reach rendering, and the values of the env variables it reads.
 */
/**
 * Version of the cached record's shape: bump it when what the reading layer produces changes
 * shape (2: a platform's `false` is `removal: true`, not the range text 'false'), so a cache
 * written by an older build of the same release is not read as the new shape (3: source excludes
 * are kept as written, no longer prefixed with the spk workspace path).
 */
export const RECORD_FORMAT = 3;

export function recipeCacheKey(parts: {
  text: string;
  file: string;
  versions: string[];
  renderOptions: unknown;
  env: Record<string, string | undefined>;
  envRefs: string[];
  pluginVersion: string;
}): string {
  const h = createHash('sha256');
  h.update(`${RECORD_FORMAT}`).update('\0').update(parts.pluginVersion).update('\0').update(parts.file).update('\0').update(parts.text).update('\0');
  h.update(parts.versions.join(',')).update('\0').update(JSON.stringify(parts.renderOptions)).update('\0');
  for (const e of parts.envRefs) h.update(`${e}=${parts.env[e] ?? '<unset>'}\0`);
  return h.digest('hex');
}

/** The virtual project root of a recipe-version (owns no files; see nx.md §4.4). */
export function virtualRoot(spkWorkspace: string, name: string, version: string): string {
  return posix.join(spkWorkspace === '.' ? '' : spkWorkspace, '.nx-spk', name, version);
}

/** What rendering a recipe file depends on besides the file itself. */
export interface RenderContext {
  /** The spk workspace, absolute (rendering reads relative to it) and relative to the Nx root. */
  wsAbs: string;
  wsRel: string;
  /** Host options, or `false` (`--no-host`). */
  host: Record<string, string> | false;
  /** The plugin's `-o k=v` options. */
  options: Record<string, string>;
  env: Record<string, string | undefined>;
}

/** One recipe file to render at some versions, under its cache key (plain data). */
export interface RenderJob {
  key: string;
  /** Nx-relative path (what the records and problems name). */
  file: string;
  text: string;
  absPath: string;
  /** The versions, as `Version.toString()` gives them (what the cache key covers). */
  versions: string[];
  envRefs: string[];
}

/**
 * Renders one recipe file at its versions into the plugin's cached form. The reading layer
 * speaks spk-workspace-relative paths; source paths become Nx-relative (Nx inputs), while
 * source excludes stay as written (gitignore patterns relative to their source path).
 */
export function renderRecipeFile(job: RenderJob, ctx: RenderContext): CachedRecipeFile {
  const out = loadRecipeText(job.text, job.absPath, job.versions.map(parseVersion), {
    workspaceRoot: ctx.wsAbs,
    hostOptions: ctx.host,
    options: ctx.options,
    env: ctx.env,
  });
  const toNx = (spkRel: string) => posix.normalize(posix.join(ctx.wsRel, spkRel));
  return {
    recipeVersions: out.recipeVersions.map((rv) => {
      const rec = toRecord(rv, job.envRefs);
      rec.file = job.file;
      rec.sources = { ...rec.sources, paths: rec.sources.paths.map(toNx) };
      return rec;
    }),
    problems: out.problems.map((p) => ({ ...p, file: job.file })),
  };
}
