/**
 * One graph computation: the recipe files Nx matched (after nx.json include/exclude) →
 * per spk workspace: recipe-versions (from the plugin cache when their inputs are unchanged,
 * so a warm graph does no rendering), resolution, cycle decisions → Nx project configurations.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, posix, relative } from 'node:path';
import type { ProjectConfiguration } from '@nx/devkit';
import { orderingDependencies, resolveGraph, resolvedFacts, type CycleDecision, type RecipeVersionRecord, type ResolvedFacts, type ResolvedRequirement } from '../graph';
import { computeHostOptions } from '../spk/host';
import { findWorkspaceDir, loadWorkspace, WORKSPACE_FILE_NAME } from '../spk/workspace';
import { toPosix } from '../spk/posix';
import type { NormalizedOptions } from './options';
import {
  envReferences,
  projectName,
  RECORD_FORMAT,
  recipeCacheKey,
  renderRecipeFile,
  toNode,
  virtualRoot,
  type CachedRecipeFile,
  type PluginRecipeVersion,
  type RenderContext,
  type RenderJob,
} from './recipe-record';
import { report, type Severity } from './report';
import { buildPlatformTarget, buildTargets, spkVersionRuntimeInput, spkVersionScriptFrom } from './targets';
import { applyPlatformPins, type PlatformPinsMeta } from './platform-pins';
import type { PinTemplate } from '../graph';
import type { Version } from '../spk/version';

export interface RecipeCache {
  get(key: string): CachedRecipeFile | undefined;
  set(key: string, value: CachedRecipeFile): void;
}

/**
 * The finished result of one spk workspace, cached with a key over everything it depends on
 * (see {@link workspaceKey}): when nothing changed, a warm graph renders and resolves nothing.
 */
export interface CachedWorkspaceResult {
  key: string;
  /** The problems to print again (Nx shows them on every command). */
  reports: Array<[Severity, string]>;
  /** Recipe file → its projects by root (their `metadata.spk` is the metadata map: not stored twice). */
  projects: Array<[string, Record<string, ProjectConfiguration>]>;
}

/** One entry per spk workspace (a new result replaces the old one: the cache does not grow). */
export interface WorkspaceResultCache {
  get(wsRel: string): CachedWorkspaceResult | undefined;
  set(wsRel: string, value: CachedWorkspaceResult): void;
}

/**
 * `metadata.spk` of a recipe-version project: what createDependencies, the executors and
 * `nx-spk plan` read (its recipe, version and the compact resolution facts; its edges follow
 * from them, src/graph/model.ts orderingDependencies). The explanations of its requirements are
 * not stored here (they were most of every project configuration, which Nx copies across its
 * plugin-worker IPC, into project-graph.json and into its source maps): `nx-spk explain`
 * computes them.
 */
export interface SpkProjectMetadata extends Omit<ResolvedFacts, 'dependencies'>, Pick<RecipeVersionRecord, 'name' | 'version' | 'kind' | 'templated' | 'provides' | 'variants' | 'warnings'> {
  /** The recipe file (Nx-workspace-relative): the record's `file`. */
  recipe: string;
  spkWorkspace: string;
  cycles: CycleDecision[];
  /** Platforms: their effective pins and what each is in this workspace (platform-pins.ts). */
  platform?: PlatformPinsMeta;
  /** A recipe-version that exists because these platforms pin it (no `versions` list names it). */
  pinnedBy?: string[];
  /** Set when the recipe failed to load for this version: the project exists so the failure is visible. */
  loadError?: RecipeLoadError;
}

/** What the graph computation knows of a recipe-version project: its `metadata.spk` and its edges. */
export interface SpkProjectFacts extends SpkProjectMetadata, Pick<ResolvedFacts, 'dependencies'> {}

/** The `metadata.spk` of a project from its facts (the edges are derived again where needed). */
function projectMetadata(facts: SpkProjectFacts): SpkProjectMetadata {
  const { dependencies: _edges, ...spk } = facts;
  return spk;
}

/** A recipe (version) that failed to load. */
export interface RecipeLoadError {
  recipe: string;
  line?: number;
  message: string;
}

/** A placeholder project's metadata (a recipe whose name or version could not be read). */
export interface SpkBrokenRecipeMetadata extends RecipeLoadError {
  spkWorkspace: string;
}

export interface WorkspaceGraphResult {
  /** Nx-relative recipe file → projects keyed by virtual root. */
  projectsByFile: Map<string, Record<string, ProjectConfiguration>>;
  /** Every recipe-version project, by name (`nx-spk plan`, explain, workspace diffs). */
  metadata: Map<string, SpkProjectFacts>;
  /**
   * Every requirement of every recipe-version project, what it resolved to and why (`nx-spk
   * explain`). Filled when the workspace was resolved in this call; a workspace served from the
   * {@link WorkspaceResultCache} adds none (explanations are not cached: they are large and
   * only `nx-spk explain` reads them, which resolves without that cache).
   */
  explanations: Map<string, ResolvedRequirement[]>;
}

let hostMemo: Record<string, string> | undefined;
function hostOptionsFor(opts: NormalizedOptions): Record<string, string> | false {
  if (opts.hostOptions === false) return false;
  if (opts.hostOptions) return opts.hostOptions;
  hostMemo ??= computeHostOptions();
  return hostMemo!;
}

/** Nearest `workspace.spk.yaml` from `dir` up to the Nx root (spk's `WorkspaceFile::discover`). */
function makeWorkspaceFinder(nxRoot: string): (dirRel: string) => string | undefined {
  const memo = new Map<string, string | undefined>();
  const find = (dirRel: string): string | undefined => {
    if (memo.has(dirRel)) return memo.get(dirRel);
    const found = findWorkspaceDir(dirRel, (d) => existsSync(join(nxRoot, d, WORKSPACE_FILE_NAME)));
    memo.set(dirRel, found);
    return found;
  };
  return find;
}

export function computeWorkspaceGraph(
  files: readonly string[],
  opts: NormalizedOptions,
  nxRoot: string,
  cache: RecipeCache,
  env: Record<string, string | undefined> = process.env,
  resultCache?: WorkspaceResultCache,
): WorkspaceGraphResult {
  const findWorkspace = makeWorkspaceFinder(nxRoot);
  const groups = new Map<string, string[]>();
  for (const f of files) {
    const file = toPosix(f);
    if (basename(file) === WORKSPACE_FILE_NAME) continue;
    const ws = findWorkspace(posix.dirname(file) || '.');
    // A recipe outside every workspace.spk.yaml is not part of a workspace: spk's "virtual
    // workspace" only exists relative to the directory spk is run in, so Nx does not infer it.
    if (ws === undefined) continue;
    let list = groups.get(ws);
    if (!list) groups.set(ws, (list = []));
    list.push(file);
  }

  const result: WorkspaceGraphResult = { projectsByFile: new Map(), metadata: new Map(), explanations: new Map() };
  const host = hostOptionsFor(opts);
  for (const [wsRel, wsFiles] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    computeSpkWorkspace(wsRel, wsFiles.sort(), opts, host, nxRoot, cache, env, result, resultCache);
  }
  return result;
}

function computeSpkWorkspace(
  wsRel: string,
  files: string[],
  opts: NormalizedOptions,
  host: Record<string, string> | false,
  nxRoot: string,
  cache: RecipeCache,
  env: Record<string, string | undefined>,
  result: WorkspaceGraphResult,
  resultCache?: WorkspaceResultCache,
): void {
  const wsAbs = join(nxRoot, wsRel);
  const ws = loadWorkspace(wsAbs);
  for (const p of ws.problems) {
    const shown = isAbsolute(p.file) ? toPosix(relative(nxRoot, p.file)) : posix.join(wsRel, toPosix(p.file));
    // An error drops that entry only; say so, and where the fixes are listed.
    const consequence = p.severity === 'error' ? ' — this entry is ignored until it is fixed (see nx-spk docs/errors.md)' : '';
    report(p.severity, `${shown || WORKSPACE_FILE_NAME}${p.line ? `:${p.line}` : ''}: ${p.message}${consequence}`);
  }
  const toNx = (spkRel: string) => posix.normalize(posix.join(wsRel, spkRel));
  const entries = new Map(ws.entries.map((e) => [toNx(e.file), e]));

  const reports: Array<[Severity, string]> = [];
  const say = (severity: Severity, message: string) => {
    reports.push([severity, message]);
    report(severity, message);
  };
  const renderOptions = { host, options: opts.options };
  const spkVersionInput = spkVersionRuntimeInput(opts.spkBin, spkVersionScriptFrom(nxRoot));
  const texts = new Map<string, string>();
  const keyOf = (file: string, text: string, versions: Version[], envRefs: string[]) =>
    recipeCacheKey({ text, file, versions: versions.map((v) => v.toString()), renderOptions, env, envRefs, pluginVersion: opts.pluginVersion });
  const renderContext: RenderContext = { wsAbs, wsRel, host, options: opts.options, env };
  const jobOf = (file: string, text: string, absPath: string, versions: Version[]): RenderJob => {
    const envRefs = envReferences(text);
    return { key: keyOf(file, text, versions, envRefs), file, text, absPath, versions: versions.map((v) => v.toString()), envRefs };
  };
  /** Renders `file` at `versions` (from the plugin cache when its inputs are unchanged). */
  const loadCached = (file: string, text: string, absPath: string, versions: Version[]): CachedRecipeFile => {
    const job = jobOf(file, text, absPath, versions);
    let loaded = cache.get(job.key);
    if (!loaded) {
      loaded = renderRecipeFile(job, renderContext);
      cache.set(job.key, loaded);
    }
    return loaded;
  };
  // Read every selected recipe once; its cache key covers what its rendering depends on.
  const selected: Array<{ file: string; text: string; absPath: string; versions: Version[]; key: string; envRefs: string[] }> = [];
  for (const file of files) {
    const entry = entries.get(file);
    if (!entry) continue; // matched by Nx's glob but not selected by the workspace file
    let text: string;
    try {
      text = readFileSync(join(nxRoot, file), 'utf8');
    } catch (e) {
      say('error', `${file}: cannot read recipe: ${(e as Error).message}`);
      continue;
    }
    texts.set(file, text);
    const envRefs = envReferences(text);
    selected.push({ file, text, absPath: entry.absPath, versions: entry.versions, envRefs, key: keyOf(file, text, entry.versions, envRefs) });
  }

  // Warm: nothing this workspace's result depends on changed → replay it (no rendering, no resolution).
  // Virtual roots live under `<spk workspace>/.nx-spk/`; when that directory does not exist no
  // virtual root can collide with a real directory, and no project needs to look.
  const virtualDirExists = existsSync(join(wsAbs, '.nx-spk'));
  const wsKey = resultCache && !virtualDirExists ? workspaceKey(wsRel, opts, host, env, spkVersionInput, entries, selected.map((x) => x.key)) : undefined;
  if (wsKey !== undefined) {
    const hit = resultCache!.get(wsRel);
    if (hit?.key === wsKey) {
      for (const [severity, message] of hit.reports) report(severity, message);
      for (const [file, projects] of hit.projects) {
        result.projectsByFile.set(file, { ...(result.projectsByFile.get(file) ?? {}), ...projects });
        for (const p of Object.values(projects)) {
          const meta = (p.metadata as { spk?: SpkProjectMetadata } | undefined)?.spk;
          if (meta && p.name) result.metadata.set(p.name, { ...meta, dependencies: orderingDependencies(p.name, meta) });
        }
      }
      return;
    }
  }
  const projectsBefore = new Set(result.projectsByFile.keys());

  const recipeVersions: PluginRecipeVersion[] = [];
  const broken: BrokenEntry[] = [];
  for (const { file, text, absPath, versions } of selected) {
    const loaded = loadCached(file, text, absPath, versions);
    const loadedVersions = new Set(loaded.recipeVersions.map((rv) => rv.version));
    for (const p of loaded.problems) {
      const named = p.name !== undefined && p.version !== undefined && !loadedVersions.has(p.version);
      say(
        'error',
        `${p.file}${p.line ? `:${p.line}` : ''}${p.version ? ` (version ${p.version})` : ''}: ${p.message} — ${
          named ? `${projectName(p.name!, p.version!)}` : `the placeholder project ${brokenFileProjectName(p.file)}`
        }'s ${opts.buildTargetName} fails with this error until the recipe is fixed (see nx-spk docs/errors.md)`,
      );
      broken.push({ file: p.file, ...(p.line ? { line: p.line } : {}), message: p.message, ...(named ? { name: p.name, version: p.version } : {}) });
    }
    recipeVersions.push(...loaded.recipeVersions);
  }

  // Two recipes producing the same name@version: spk would pick one ambiguously; we keep the
  // first file in path order and say so, naming both files.
  const byProject = new Map<string, PluginRecipeVersion>();
  const duplicates = new Map<string, string[]>();
  for (const rv of recipeVersions) {
    const name = projectName(rv.name, rv.version);
    const prior = byProject.get(name);
    if (prior) {
      if (prior.file === rv.file) continue; // `3.7` and `3.7.0` collapse
      say(
        'error',
        `${rv.file}: ${rv.name}/${rv.version} is also produced by ${prior.file}; two recipes must not produce the same name@version (keeping ${prior.file}, ignoring ${rv.file})`,
      );
      duplicates.set(name, [...(duplicates.get(name) ?? []), rv.file]);
      continue;
    }
    byProject.set(name, rv);
  }

  // Platform pins: recipe-versions no `versions` list names, rendered from their one template.
  const templateNames = new Map<string, string>();
  for (const rv of recipeVersions) templateNames.set(rv.file, rv.name);
  const pinTemplates: PinTemplate[] = [];
  for (const [file, entry] of entries) {
    const name = templateNames.get(file);
    if (name !== undefined) pinTemplates.push({ file, name, versions: entry.versions });
  }
  const pinned = applyPlatformPins({
    byProject,
    templates: pinTemplates,
    enabled: opts.platformPins,
    render: (file, version) => {
      const loaded = loadCached(file, texts.get(file)!, entries.get(file)!.absPath, [version]);
      return { recipeVersions: loaded.recipeVersions, problems: loaded.problems };
    },
    warn: (m) => say('warning', m),
  });

  // A recipe-version that failed to load but whose name@version is known stays a node (with no
  // requirements): its dependents resolve to it, get an edge, and Nx reports them as
  // "dependency failed" when its build fails with the load error.
  const brokenByProject = new Map<string, BrokenEntry>();
  const brokenFiles = new Map<string, BrokenEntry>();
  for (const b of broken) {
    if (b.name !== undefined && b.version !== undefined) {
      const name = projectName(b.name, b.version);
      if (!byProject.has(name) && !brokenByProject.has(name)) brokenByProject.set(name, b);
    } else if (!brokenFiles.has(b.file)) brokenFiles.set(b.file, b);
  }
  const nodes = [
    ...[...byProject.values()].map(toNode),
    ...[...brokenByProject].map(([project, b]) => ({
      project,
      name: b.name!,
      version: b.version!,
      file: b.file,
      kind: 'v0/package' as const,
      compat: 'x.a.b',
      requirements: [],
      provides: [],
    })),
  ];
  const graph = resolveGraph(nodes, { strictCycles: opts.strictCycles });
  explainBrokenTargets(graph.resolutions, brokenByProject, [...brokenFiles.keys()]);
  const cyclesByProject = new Map<string, CycleDecision[]>();
  for (const d of graph.cycles) {
    // A cycle the user acknowledged (plugin option acknowledgedCycles) is still resolved the same
    // way and recorded in the metadata; only the warning on every Nx command stops.
    if (!isAcknowledgedCycle(d.cycle, opts.acknowledgedCycles)) {
      say('warning', `dependency cycle resolved: ${d.message} (acknowledge it with the plugin option acknowledgedCycles: ${JSON.stringify(cycleText(d.cycle))})`);
    }
    for (const p of new Set(d.cycle)) cyclesByProject.set(p, [...(cyclesByProject.get(p) ?? []), d]);
  }

  for (const [name, rv] of byProject) {
    let root = virtualRoot(wsRel, rv.name, rv.version);
    if (virtualDirExists && existsSync(join(nxRoot, root))) {
      // A real directory there could hold a real project, which Nx would merge into ours.
      say('warning', `${rv.file}: ${root} exists on disk; using ${root}~spk as the virtual project root of ${name}`);
      root = `${root}~spk`;
    }
    const requirements = graph.resolutions.get(name) ?? [];
    const meta: SpkProjectFacts = {
      recipe: rv.file,
      name: rv.name,
      version: rv.version,
      kind: rv.kind,
      templated: rv.templated,
      spkWorkspace: wsRel,
      ...resolvedFacts(name, requirements, graph.edges.get(name) ?? []),
      provides: rv.provides,
      variants: rv.variants,
      warnings: [
        ...rv.warnings,
        ...(duplicates.has(name) ? [`also produced by ${duplicates.get(name)!.join(', ')} (ignored)`] : []),
        ...(pinned.platforms.get(name)?.warnings ?? []),
      ],
      cycles: cyclesByProject.get(name) ?? [],
      ...(pinned.platforms.has(name) ? { platform: pinned.platforms.get(name)! } : {}),
      ...(pinned.pinnedBy.has(name) ? { pinnedBy: pinned.pinnedBy.get(name)! } : {}),
    };
    result.metadata.set(name, meta);
    result.explanations.set(name, requirements);
    const isPlatform = rv.kind === 'v0/platform' || rv.kind === 'v1/platform';
    const targets = buildTargets({ rv, opts, spkWorkspace: wsRel, host, env, warn: (m) => say('warning', m), testRequires: meta.tests, spkVersionInput });
    if (meta.platform) targets[opts.buildPlatformTargetName] = buildPlatformTarget(rv, meta.platform, opts, byProject);
    const project: ProjectConfiguration = {
      root,
      name,
      projectType: 'library',
      tags: ['spk', `spk:pkg:${rv.name}`, isPlatform ? 'spk:kind:platform' : 'spk:kind:package'],
      targets,
      metadata: {
        description:
          (rv.description ?? `${rv.name}/${rv.version} from ${rv.file}`) +
          (meta.pinnedBy ? ` (a platform pin: ${meta.pinnedBy.join(', ')}; built with -o version=${rv.version})` : ''),
        technologies: ['spk'],
        targetGroups: { spk: Object.keys(targets) },
        spk: projectMetadata(meta),
      } as ProjectConfiguration['metadata'],
    };
    let perFile = result.projectsByFile.get(rv.file);
    if (!perFile) result.projectsByFile.set(rv.file, (perFile = {}));
    perFile[root] = project;
  }

  for (const [name, b] of brokenByProject) {
    const loadError: RecipeLoadError = { recipe: b.file, ...(b.line ? { line: b.line } : {}), message: b.message };
    const meta: SpkProjectFacts = {
      recipe: b.file,
      name: b.name!,
      version: b.version!,
      kind: 'v0/package',
      templated: false,
      spkWorkspace: wsRel,
      ...resolvedFacts(name, [], graph.edges.get(name) ?? []),
      provides: [],
      variants: [],
      warnings: [],
      cycles: [],
      loadError,
    };
    result.metadata.set(name, meta);
    result.explanations.set(name, []);
    addBrokenProject(result, virtualRoot(wsRel, b.name!, b.version!), name, b, opts, `spk:pkg:${b.name}`, { spk: projectMetadata(meta) });
  }
  for (const b of brokenFiles.values()) {
    const meta: SpkBrokenRecipeMetadata = { recipe: b.file, ...(b.line ? { line: b.line } : {}), message: b.message, spkWorkspace: wsRel };
    const root = posix.join(wsRel === '.' ? '' : wsRel, '.nx-spk', '.broken', posix.relative(wsRel === '.' ? '' : wsRel, b.file));
    addBrokenProject(result, root, brokenFileProjectName(b.file), b, opts, 'spk:broken', { spkBrokenRecipe: meta });
  }
  if (wsKey !== undefined) {
    resultCache!.set(wsRel, {
      key: wsKey,
      reports,
      projects: [...result.projectsByFile].filter(([f]) => !projectsBefore.has(f)),
    });
  }
}

/**
 * The key of one spk workspace's result: the record format and plugin version, every option,
 * the host options, `$SPK_BIN` (shown in the targets' help), the spk-version runtime input (it
 * names the plugin's script by its path), the workspace file's selection
 * (file → versions) and each selected recipe's own cache key (its text, versions, the values
 * of the env variables it reads). A virtual root that exists on disk changes project roots, so
 * a workspace with a `.nx-spk` directory is never served from the cache.
 */
function workspaceKey(
  wsRel: string,
  opts: NormalizedOptions,
  host: Record<string, string> | false,
  env: Record<string, string | undefined>,
  spkVersionInput: string,
  entries: ReadonlyMap<string, { versions: Version[] }>,
  recipeKeys: readonly string[],
): string {
  const h = createHash('sha256');
  h.update(`${RECORD_FORMAT}\0${opts.pluginVersion}\0${wsRel}\0${JSON.stringify(opts)}\0${JSON.stringify(host)}\0${env.SPK_BIN ?? ''}\0${spkVersionInput}\0`);
  for (const [file, e] of [...entries].sort((a, b) => (a[0] < b[0] ? -1 : 1))) h.update(`${file}=${e.versions.map((v) => v.toString()).join(',')}\0`);
  for (const k of recipeKeys) h.update(`${k}\0`);
  return h.digest('hex');
}

interface BrokenEntry {
  file: string;
  line?: number;
  message: string;
  name?: string;
  version?: string;
}

/** The placeholder project of a recipe file whose name or version could not be read. */
export function brokenFileProjectName(file: string): string {
  return `broken-recipe/${file}`;
}

function addBrokenProject(
  result: WorkspaceGraphResult,
  root: string,
  name: string,
  b: BrokenEntry,
  opts: NormalizedOptions,
  tag: string,
  extraMetadata: Record<string, unknown>,
): void {
  const options = { recipe: b.file, message: b.message, ...(b.line ? { line: b.line } : {}), ...(b.version ? { version: b.version } : {}) };
  const target = {
    executor: 'nx-spk:recipe-error',
    options,
    // Never cached; explicit inputs because the virtual root owns no files.
    inputs: [`{workspaceRoot}/${b.file}`],
    cache: false,
    metadata: { technologies: ['spk'], description: `fails: ${b.file} did not load (${b.message})` },
  };
  const targets = { [opts.buildTargetName]: target, [opts.publishTargetName]: { ...target, dependsOn: [opts.buildTargetName] } };
  const project: ProjectConfiguration = {
    root,
    name,
    projectType: 'library',
    tags: ['spk', 'spk:broken', ...(tag === 'spk:broken' ? [] : [tag])],
    targets,
    metadata: {
      description: `${b.file} failed to load: ${b.message}`,
      technologies: ['spk'],
      targetGroups: { spk: Object.keys(targets) },
      ...extraMetadata,
    } as ProjectConfiguration['metadata'],
  };
  let perFile = result.projectsByFile.get(b.file);
  if (!perFile) result.projectsByFile.set(b.file, (perFile = {}));
  perFile[root] = project;
}

/**
 * Dependents' explanations name the broken recipe: a requirement that resolved to a project
 * whose recipe failed to load says so, and one that found nothing says which recipe files of
 * the workspace could not be read (one of them may be the provider).
 */
function explainBrokenTargets(
  resolutions: Map<string, ResolvedRequirement[]>,
  brokenByProject: Map<string, BrokenEntry>,
  brokenFiles: string[],
): void {
  for (const reqs of resolutions.values()) {
    for (const r of reqs) {
      const b = r.target !== undefined ? brokenByProject.get(r.target) : undefined;
      if (b) {
        r.reason = `${r.reason}; but its recipe ${b.file}${b.line ? `:${b.line}` : ''} failed to load: ${b.message}`;
      } else if (r.resolution === 'external' && brokenFiles.length > 0) {
        r.reason = `${r.reason} (unless it comes from a recipe that failed to load: ${brokenFiles.join(', ')})`;
      }
    }
  }
}

/** A cycle as written in acknowledgedCycles: its projects joined with ' → ', closing project repeated. */
function cycleText(cycle: string[]): string {
  return cycle.join(' → ');
}

/**
 * The identity of a cycle: its set of projects, in any rotation or spelling of the arrow
 * (`a@1.0.0 → b@1.0.0 → a@1.0.0`, `a@1.0.0 -> b@1.0.0`). An acknowledgement written with package
 * names only (`autoconf → gettext → autoconf`) matches that cycle at any versions.
 */
export function cycleKey(cycle: string | string[], withVersions = true): string {
  const parts = (Array.isArray(cycle) ? cycle : cycle.split(/\s*(?:→|->|,)\s*/)).map((p) => p.trim()).filter(Boolean);
  return [...new Set(parts.map((p) => (withVersions ? p : p.split('@')[0])))].sort().join(',');
}

/** True when one of the acknowledged cycle texts names `cycle`. */
export function isAcknowledgedCycle(cycle: string[], acknowledged: readonly string[]): boolean {
  const full = cycleKey(cycle);
  const names = cycleKey(cycle, false);
  return acknowledged.some((a) => (a.includes('@') ? cycleKey(a) === full : cycleKey(a, false) === names));
}
