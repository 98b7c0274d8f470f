/**
 * One graph computation: the recipe files Nx matched (after nx.json include/exclude) →
 * per spk workspace: recipe-versions (from the plugin cache when their inputs are unchanged,
 * so a warm graph does no rendering), resolution, cycle decisions → Nx project configurations.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, posix, relative, sep } from 'node:path';
import type { ProjectConfiguration } from '@nx/devkit';
import { resolveGraph, type CycleDecision, type ResolvedRequirement } from '../graph';
import { computeHostOptions } from '../spk/host';
import { loadRecipeText } from '../spk/recipe';
import { loadWorkspace, WORKSPACE_FILE_NAME } from '../spk/workspace';
import type { NormalizedOptions } from './options';
import {
  envReferences,
  projectName,
  recipeCacheKey,
  toNode,
  toRecord,
  virtualRoot,
  type CachedRecipeFile,
  type PluginRecipeVersion,
} from './recipe-record';
import { report } from './report';
import { buildTargets } from './targets';

export interface RecipeCache {
  get(key: string): CachedRecipeFile | undefined;
  set(key: string, value: CachedRecipeFile): void;
}

export interface SpkProjectMetadata {
  recipe: string;
  name: string;
  version: string;
  kind: string;
  templated: boolean;
  spkWorkspace: string;
  /** Every requirement, what it resolved to and why. */
  requirements: ResolvedRequirement[];
  /** The build-ordering edges of this project (targets of `project` resolutions). */
  dependencies: string[];
  provides: PluginRecipeVersion['provides'];
  variants: PluginRecipeVersion['variants'];
  warnings: string[];
  cycles: CycleDecision[];
}

export interface WorkspaceGraphResult {
  /** Nx-relative recipe file → projects keyed by virtual root. */
  projectsByFile: Map<string, Record<string, ProjectConfiguration>>;
  /** Every recipe-version project, by name (for createDependencies and `nx-spk plan`). */
  metadata: Map<string, SpkProjectMetadata>;
}

let hostMemo: Record<string, string> | undefined;
function hostOptionsFor(opts: NormalizedOptions): Record<string, string> | false {
  if (opts.hostOptions === false) return false;
  if (opts.hostOptions) return opts.hostOptions;
  hostMemo ??= computeHostOptions();
  return hostMemo!;
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/** Nearest `workspace.spk.yaml` from `dir` up to the Nx root (spk's `WorkspaceFile::discover`). */
function makeWorkspaceFinder(nxRoot: string): (dirRel: string) => string | undefined {
  const memo = new Map<string, string | undefined>();
  const find = (dirRel: string): string | undefined => {
    if (memo.has(dirRel)) return memo.get(dirRel);
    let found: string | undefined;
    if (existsSync(join(nxRoot, dirRel, WORKSPACE_FILE_NAME))) found = dirRel;
    else if (dirRel !== '.' && dirRel !== '') found = find(posix.dirname(dirRel));
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

  const result: WorkspaceGraphResult = { projectsByFile: new Map(), metadata: new Map() };
  const host = hostOptionsFor(opts);
  for (const [wsRel, wsFiles] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    computeSpkWorkspace(wsRel, wsFiles.sort(), opts, host, nxRoot, cache, env, result);
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

  const renderOptions = { host, options: opts.options };
  const recipeVersions: PluginRecipeVersion[] = [];
  for (const file of files) {
    const entry = entries.get(file);
    if (!entry) continue; // matched by Nx's glob but not selected by the workspace file
    let text: string;
    try {
      text = readFileSync(join(nxRoot, file), 'utf8');
    } catch (e) {
      report('error', `${file}: cannot read recipe: ${(e as Error).message}`);
      continue;
    }
    const envRefs = envReferences(text);
    const versions = entry.versions.map((v) => v.toString());
    const key = recipeCacheKey({ text, file, versions, renderOptions, env, envRefs, pluginVersion: opts.pluginVersion });
    let loaded = cache.get(key);
    if (!loaded) {
      const out = loadRecipeText(text, entry.absPath, entry.versions, {
        workspaceRoot: wsAbs,
        hostOptions: host,
        options: opts.options,
        env,
      });
      loaded = {
        recipeVersions: out.recipeVersions.map((rv) => {
          const rec = toRecord(rv, envRefs);
          // The reading layer speaks spk-workspace-relative paths; Nx inputs need Nx-relative ones.
          rec.file = file;
          rec.sources = {
            ...rec.sources,
            paths: rec.sources.paths.map(toNx),
            excludes: rec.sources.excludes.map(toNx),
          };
          return rec;
        }),
        problems: out.problems.map((p) => ({ ...p, file })),
      };
      cache.set(key, loaded);
    }
    for (const p of loaded.problems) {
      report(
        'error',
        `${p.file}${p.line ? `:${p.line}` : ''}${p.version ? ` (version ${p.version})` : ''}: ${p.message} — skipped: no Nx project for it until the recipe is fixed (see nx-spk docs/errors.md)`,
      );
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
      report(
        'error',
        `${rv.file}: ${rv.name}/${rv.version} is also produced by ${prior.file}; two recipes must not produce the same name@version (keeping ${prior.file}, ignoring ${rv.file})`,
      );
      duplicates.set(name, [...(duplicates.get(name) ?? []), rv.file]);
      continue;
    }
    byProject.set(name, rv);
  }

  const nodes = [...byProject.values()].map(toNode);
  const graph = resolveGraph(nodes, { strictCycles: opts.strictCycles });
  const cyclesByProject = new Map<string, CycleDecision[]>();
  for (const d of graph.cycles) {
    report('warning', `dependency cycle resolved: ${d.message}`);
    for (const p of new Set(d.cycle)) cyclesByProject.set(p, [...(cyclesByProject.get(p) ?? []), d]);
  }

  for (const [name, rv] of byProject) {
    let root = virtualRoot(wsRel, rv.name, rv.version);
    if (existsSync(join(nxRoot, root))) {
      // A real directory there could hold a real project, which Nx would merge into ours.
      report('warning', `${rv.file}: ${root} exists on disk; using ${root}~spk as the virtual project root of ${name}`);
      root = `${root}~spk`;
    }
    const requirements = graph.resolutions.get(name) ?? [];
    const meta: SpkProjectMetadata = {
      recipe: rv.file,
      name: rv.name,
      version: rv.version,
      kind: rv.kind,
      templated: rv.templated,
      spkWorkspace: wsRel,
      requirements,
      dependencies: graph.edges.get(name) ?? [],
      provides: rv.provides,
      variants: rv.variants,
      warnings: [
        ...rv.warnings,
        ...(duplicates.has(name) ? [`also produced by ${duplicates.get(name)!.join(', ')} (ignored)`] : []),
      ],
      cycles: cyclesByProject.get(name) ?? [],
    };
    result.metadata.set(name, meta);
    const isPlatform = rv.kind === 'v0/platform' || rv.kind === 'v1/platform';
    const testRequires = requirements
      .filter((r) => r.role === 'test' && r.target !== undefined && r.target !== name && (r.resolution === 'not-ordered' || r.resolution === 'project'))
      .map((r) => r.target!);
    const targets = buildTargets({ rv, opts, spkWorkspace: wsRel, warn: (m) => report('warning', m), testRequires });
    const project: ProjectConfiguration = {
      root,
      name,
      projectType: 'library',
      tags: ['spk', `spk:pkg:${rv.name}`, isPlatform ? 'spk:kind:platform' : 'spk:kind:package'],
      targets,
      metadata: {
        description: rv.description ?? `${rv.name}/${rv.version} from ${rv.file}`,
        technologies: ['spk'],
        targetGroups: { spk: Object.keys(targets) },
        spk: meta,
      } as ProjectConfiguration['metadata'],
    };
    let perFile = result.projectsByFile.get(rv.file);
    if (!perFile) result.projectsByFile.set(rv.file, (perFile = {}));
    perFile[root] = project;
  }
}
