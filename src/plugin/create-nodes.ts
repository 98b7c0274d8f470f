/**
 * `createNodes`: one Nx project per recipe-version of every recipe file that a
 * `workspace.spk.yaml` selects. Nx's include/exclude (nx.json) filter the recipe files
 * before we see them.
 */
import { join } from 'node:path';
import { createNodesFromFiles, type CreateNodes, type CreateNodesResult } from '@nx/devkit';
import { hashObject, PluginCache, workspaceDataDirectory } from '@nx/devkit/internal';
import { projectRootDefaultsProblems } from './nx-json-check';
import { normalizeOptions, type NxSpkPluginOptions } from './options';
import { report } from './report';
import type { CachedRecipeFile } from './recipe-record';
import { WorkspaceResultFile } from './result-cache';
import { computeWorkspaceGraph, type RecipeCache } from './workspace-graph';

/** Every spk recipe file; the workspace file itself also matches and is skipped. */
export const SPK_RECIPE_GLOB = '**/*.spk.yaml';

export const createNodes: CreateNodes<NxSpkPluginOptions> = [
  SPK_RECIPE_GLOB,
  async (files, rawOptions, context) => {
    const opts = normalizeOptions(rawOptions);
    const optionsHash = hashObject(opts);
    const cachePath = join(workspaceDataDirectory, `nx-spk-${optionsHash}.hash`);
    // The per-recipe cache is only loaded when a workspace's result is not cached (a warm run
    // neither parses nor rewrites it), and only written when a recipe was rendered.
    let recipes: PluginCache<CachedRecipeFile> | undefined;
    let rendered = false;
    const cache: RecipeCache = {
      get: (key) => (recipes ??= new PluginCache<CachedRecipeFile>(cachePath)).get(key),
      set: (key, value) => {
        rendered = true;
        (recipes ??= new PluginCache<CachedRecipeFile>(cachePath)).set(key, value);
      },
    };
    const results = new WorkspaceResultFile(join(workspaceDataDirectory, `nx-spk-${optionsHash}.graph.json`));
    for (const m of projectRootDefaultsProblems(context.nxJsonConfiguration, opts)) report('error', m);
    try {
      const graph = computeWorkspaceGraph(files, opts, context.workspaceRoot, cache, process.env, results);
      return await createNodesFromFiles(
        (file): CreateNodesResult => {
          const projects = graph.projectsByFile.get(file.split('\\').join('/'));
          return projects ? { projects } : {};
        },
        files,
        rawOptions ?? {},
        context,
      );
    } finally {
      if (rendered) recipes?.writeToDisk();
      results.flush();
    }
  },
];

/** Nx 22 looked for `createNodesV2`; Nx 23+ reads `createNodes` first. */
export const createNodesV2 = createNodes;
