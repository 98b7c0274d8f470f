/**
 * `nx g nx-spk:init` (also what `nx add nx-spk` runs): registers the plugin in nx.json and
 * creates a starter `workspace.spk.yaml` when the Nx root has none.
 *
 * It never installs packages (the user already installed nx-spk to run this), never overwrites
 * a file, and is idempotent: a second run changes nothing.
 */
import {
  createProjectGraphAsync,
  formatFiles,
  logger,
  readNxJson,
  updateNxJson,
  type CreateNodes,
  type GeneratorCallback,
  type ProjectGraph,
  type Tree,
} from '@nx/devkit';
import { addPlugin } from '@nx/devkit/internal';
import { createNodes } from '../../src/plugin/create-nodes';
import type { NxSpkPluginOptions } from '../../src/plugin/options';

export interface InitGeneratorSchema {
  /** Skip formatting the files written (nx.json, workspace.spk.yaml). */
  skipFormat?: boolean;
  /** Passed by `nx add`; nx-spk adds no package.json dependencies, so it has no effect. */
  keepExistingVersions?: boolean;
  /** Passed by `nx add`: let addPlugin replace package.json scripts by the inferred targets. */
  updatePackageScripts?: boolean;
}

/** The name under which the plugin is listed in nx.json `plugins`. */
export const PLUGIN_NAME = 'nx-spk';

/** spk reads exactly this file name (`WorkspaceFile::FILE_NAME`, crates/spk-workspace/src/file.rs). */
export const WORKSPACE_FILE_NAME = 'workspace.spk.yaml';

/**
 * Candidate names of the inferred targets, in order of preference. addPlugin runs the plugin
 * with each combination and keeps the first whose target names do not clash with targets the
 * same project roots already have.
 */
export const TARGET_NAME_CHOICES: Required<Pick<Record<keyof NxSpkPluginOptions, string[]>, 'buildTargetName' | 'testTargetName' | 'publishTargetName'>> = {
  buildTargetName: ['spk-build', 'spk:build', 'build-spk'],
  testTargetName: ['spk-test', 'spk:test', 'test-spk'],
  publishTargetName: ['spk-publish', 'spk:publish', 'publish-spk'],
};

/**
 * Starter workspace file. `api` is not validated by spk (WorkspaceFile has no such field) but
 * every spk example writes it. The glob is relative to this file; `**` must be a whole path
 * component (glob crate), which is why it is not written `packages/**.spk.yaml`.
 */
export const STARTER_WORKSPACE_TEXT = `# spk workspace: the recipes that spk (and Nx, through nx-spk) build together.
# spk finds this file by looking in the current directory and its parents.
api: v0/workspace

recipes:
  # A templated recipe (\`pkg: name/{{ opt.version }}\`) also lists the versions to build,
  # bash-style brace expansion allowed; nx-spk infers one Nx project per version, e.g.
  # - path: packages/python/python3.spk.yaml
  #   versions: ['3.11.{0..11}', '3.12.8']
  # (\`nx g nx-spk:recipe <name> --versions ...\` adds such entries below.)
  # Every recipe below packages/ (a glob relative to this file):
  - packages/**/*.spk.yaml
`;

/** What the generator needs from the outside world; replaceable in tests. */
export interface InitDependencies {
  createNodes: CreateNodes<NxSpkPluginOptions>;
  /** The current project graph (targets that inferred names must not clash with). */
  loadProjectGraph: () => Promise<ProjectGraph>;
}

const EMPTY_GRAPH: ProjectGraph = { nodes: {}, dependencies: {} };

async function currentProjectGraph(): Promise<ProjectGraph> {
  try {
    return await createProjectGraphAsync({ exitOnError: false });
  } catch (e) {
    // A broken graph (another plugin failing) should not block registering this plugin;
    // we only lose the clash check, so say so.
    logger.warn(
      `nx-spk: could not compute the project graph (${(e as Error).message.split('\n')[0]}); ` +
        'registering the plugin with the default target names without checking for clashes.',
    );
    return EMPTY_GRAPH;
  }
}

export const defaultInitDependencies: InitDependencies = {
  createNodes,
  loadProjectGraph: currentProjectGraph,
};

/** True if nx.json already lists nx-spk, as a string or as `{plugin: 'nx-spk', …}` (with or without include). */
export function isPluginRegistered(tree: Tree): boolean {
  const plugins = readNxJson(tree)?.plugins ?? [];
  return plugins.some((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
}

async function registerPlugin(tree: Tree, schema: InitGeneratorSchema, deps: InitDependencies): Promise<void> {
  // addPlugin only skips a listing WITHOUT `include`; a user who scoped nx-spk with include
  // already configured it, so we leave nx.json alone in every case.
  if (isPluginRegistered(tree)) return;
  if (readNxJson(tree) === null) updateNxJson(tree, {});
  await addPlugin(
    tree,
    await deps.loadProjectGraph(),
    PLUGIN_NAME,
    deps.createNodes,
    TARGET_NAME_CHOICES,
    schema.updatePackageScripts ?? false,
  );
}

/** Creates the starter workspace file unless the Nx root already has one (never overwrites). */
export function ensureWorkspaceFile(tree: Tree): boolean {
  if (tree.exists(WORKSPACE_FILE_NAME)) return false;
  tree.write(WORKSPACE_FILE_NAME, STARTER_WORKSPACE_TEXT);
  return true;
}

export async function initGeneratorInternal(
  tree: Tree,
  schema: InitGeneratorSchema,
  deps: InitDependencies,
): Promise<GeneratorCallback | void> {
  await registerPlugin(tree, schema, deps);
  ensureWorkspaceFile(tree);
  if (!schema.skipFormat) await formatFiles(tree);
}

export async function initGenerator(tree: Tree, schema: InitGeneratorSchema = {}): Promise<GeneratorCallback | void> {
  return initGeneratorInternal(tree, schema, defaultInitDependencies);
}

export default initGenerator;
