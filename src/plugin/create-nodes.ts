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
import { computeWorkspaceGraph } from './workspace-graph';

/** Every spk recipe file; the workspace file itself also matches and is skipped. */
export const SPK_RECIPE_GLOB = '**/*.spk.yaml';

export const createNodes: CreateNodes<NxSpkPluginOptions> = [
  SPK_RECIPE_GLOB,
  async (files, rawOptions, context) => {
    const opts = normalizeOptions(rawOptions);
    const cachePath = join(workspaceDataDirectory, `nx-spk-${hashObject(opts)}.hash`);
    const cache = new PluginCache<CachedRecipeFile>(cachePath);
    for (const m of projectRootDefaultsProblems(context.nxJsonConfiguration, opts)) report('error', m);
    try {
      const graph = computeWorkspaceGraph(files, opts, context.workspaceRoot, cache);
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
      cache.writeToDisk();
    }
  },
];

/** Nx 22 looked for `createNodesV2`; Nx 23+ reads `createNodes` first. */
export const createNodesV2 = createNodes;
