/**
 * Explanations on demand (`nx-spk explain`, `nx-spk plan --explain`): every requirement of a
 * recipe-version with its role, request, source, variants, what it resolved to and why.
 *
 * The project configurations only carry the compact facts (src/graph/model.ts ResolvedFacts):
 * the explanations used to be most of every configuration, which Nx serialises across its
 * plugin-worker IPC for createNodes and again for createDependencies on every command. Here the
 * same computation the plugin runs (computeWorkspaceGraph) runs in this process, over the
 * recipe files Nx gave the plugin (the spk projects of the Nx project graph, so nx.json
 * include/exclude and .nxignore apply) with the plugin's options from nx.json.
 */
import fg from 'fast-glob';
import type { ResolvedRequirement } from '../graph/model';
import { normalizeOptions, type NxSpkPluginOptions } from './options';
import { withReportsMuted } from './report';
import type { SpkBrokenRecipeMetadata, SpkProjectMetadata } from './workspace-graph';
import { computeWorkspaceGraph } from './workspace-graph';

/** One nx-spk entry of nx.json `plugins`. */
export interface NxSpkPluginEntry {
  options?: NxSpkPluginOptions;
  include?: string[];
  exclude?: string[];
}

/** What `nx-spk explain <project> --json` prints. */
export interface Explanation {
  project: string;
  /** The recipe file (Nx-workspace-relative). */
  recipe: string;
  spkWorkspace: string;
  /** Every requirement, in recipe order, what it resolved to and why. */
  requirements: ResolvedRequirement[];
}

/** The nx-spk entries of nx.json's `plugins` (`'nx-spk'` or `{ plugin: 'nx-spk', ... }`). */
export function nxSpkPluginEntries(nxJson: { plugins?: unknown[] } | undefined): NxSpkPluginEntry[] {
  const out: NxSpkPluginEntry[] = [];
  for (const p of nxJson?.plugins ?? []) {
    if (p === 'nx-spk') out.push({});
    else if (p && typeof p === 'object' && (p as { plugin?: unknown }).plugin === 'nx-spk') {
      const e = p as { options?: NxSpkPluginOptions; include?: string[]; exclude?: string[] };
      out.push({ ...(e.options ? { options: e.options } : {}), ...(e.include ? { include: e.include } : {}), ...(e.exclude ? { exclude: e.exclude } : {}) });
    }
  }
  return out;
}

/** The recipe files the plugin was given: those of the spk projects (and broken-recipe placeholders) of the Nx graph. */
export function recipeFilesOfGraph(nodes: Record<string, { data: { metadata?: unknown } }>): string[] {
  const files = new Set<string>();
  for (const node of Object.values(nodes)) {
    const meta = node.data.metadata as { spk?: SpkProjectMetadata; spkBrokenRecipe?: SpkBrokenRecipeMetadata } | undefined;
    const recipe = meta?.spk?.recipe ?? meta?.spkBrokenRecipe?.recipe;
    if (recipe !== undefined) files.add(recipe);
  }
  return [...files].sort();
}

/** Files of `files` an entry's include/exclude select (Nx matches them against workspace-relative paths). */
function selectedBy(entry: NxSpkPluginEntry, files: readonly string[], root: string): string[] {
  if (!entry.include && !entry.exclude) return [...files];
  const glob = (patterns: string[]) => new Set(fg.sync(patterns, { cwd: root, dot: true, onlyFiles: true, ignore: ['**/node_modules/**'] }));
  const inc = entry.include ? glob(entry.include) : undefined;
  const exc = entry.exclude ? glob(entry.exclude) : undefined;
  return files.filter((f) => (inc === undefined || inc.has(f)) && !exc?.has(f));
}

/**
 * Explanations of every recipe-version project of the workspace, computed in this process for
 * each nx-spk plugin entry over the recipe files it selects. Problems were already reported when
 * Nx computed its graph, so they are not printed again.
 */
export function explainWorkspace(o: {
  root: string;
  entries: readonly NxSpkPluginEntry[];
  recipeFiles: readonly string[];
  env?: Record<string, string | undefined>;
}): Map<string, Explanation> {
  const out = new Map<string, Explanation>();
  for (const entry of o.entries) {
    const files = selectedBy(entry, o.recipeFiles, o.root);
    const graph = withReportsMuted(() => computeWorkspaceGraph(files, normalizeOptions(entry.options), o.root, new Map(), o.env ?? process.env));
    for (const [project, requirements] of graph.explanations) {
      if (out.has(project)) continue;
      const meta = graph.metadata.get(project)!;
      out.set(project, { project, recipe: meta.recipe, spkWorkspace: meta.spkWorkspace, requirements });
    }
  }
  return out;
}

/** A human-readable explanation (`nx-spk explain <project>` without `--json`). */
export function formatExplanation(e: Explanation): string {
  const lines = [`${e.project} (${e.recipe}${e.spkWorkspace === '.' ? '' : `, spk workspace ${e.spkWorkspace}`})`];
  if (e.requirements.length === 0) lines.push('  no requirements');
  for (const r of e.requirements) {
    const where = [r.source, r.variants ? `variants ${r.variants.join(',')}` : '', r.stage ? `stage ${r.stage}` : '', r.phase ? `phase ${r.phase}` : '']
      .filter(Boolean)
      .join(', ');
    const to = r.target ? ` → ${r.target}` : '';
    lines.push(`  ${r.role} ${r.request} [${where}]: ${r.resolution}${to}`);
    lines.push(`      ${r.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
