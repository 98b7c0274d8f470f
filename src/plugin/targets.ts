/**
 * Inferred targets of one recipe-version project.
 *
 * Nx gotcha (nx: a project file-set input such as `{projectRoot}/**` is hashed from the files
 * the project owns; see packages/nx/src/hasher/task-hasher.ts in github.com/nrwl/nx): each recipe-version lives at a
 * virtual root that owns no files, so NO target may use project file-sets (`default`,
 * `{projectRoot}/**`, `^production`): hashing would fail with "project X not found".
 * Every input is explicit and rooted at `{workspaceRoot}`, and outputs live under
 * `{workspaceRoot}` too (writing into `{projectRoot}` would create real files there).
 */
import { posix } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import type { InputDefinition } from '@nx/devkit/internal';
import type { NormalizedOptions } from './options';
import type { PluginRecipeVersion } from './recipe-record';

/**
 * Environment variables that change what a build produces or resolves against.
 * spfs/spk read many variables; most (storage root, tag namespace, verbosity) change where
 * things go, not what is built. These change the result:
 * - `SPFS_REMOTE__ORIGIN__ADDRESS`: which origin repository dependencies resolve from;
 * - `SPK_SOLVER__SOLVER_TO_RUN`: which solver picks the build environment;
 * - `SPK_BIN`: which spk runs the build;
 * - `NX_SPK_DRY_RUN`: a dry run produces no archive, so it must never share a cache entry
 *   with a real build.
 * Variables a recipe template reads (`{{ env.X }}`) are added per recipe.
 */
export const BUILD_ENV_INPUTS = ['NX_SPK_DRY_RUN', 'SPFS_REMOTE__ORIGIN__ADDRESS', 'SPK_BIN', 'SPK_SOLVER__SOLVER_TO_RUN'];

/**
 * spk's version, as a runtime input: it must not break hashing when spk is not installed
 * (a machine that only restores from cache, or `nx graph` on a laptop), so a missing binary
 * hashes as a fixed string. Nx runs runtime inputs through the shell.
 */
export const SPK_VERSION_RUNTIME_INPUT = '("${SPK_BIN:-spk}" version || "${SPK_BIN:-spk}" --version) 2>/dev/null || echo spk-unavailable';

/** The host identity, when host options are not pinned: they drive rendering and variant selection. */
export const HOST_RUNTIME_INPUT = "uname -sm; cat /etc/os-release 2>/dev/null | grep -E '^(ID|VERSION_ID)=' || true";

function fileset(path: string): string {
  return `{workspaceRoot}/${path}`;
}

/** True when a workspace-relative path stays inside the workspace. */
export function insideWorkspace(p: string): boolean {
  const norm = posix.normalize(p);
  return !(norm === '..' || norm.startsWith('../') || posix.isAbsolute(norm));
}

/**
 * spk's `exclude` patterns are gitignore-style and relative to their source path: a pattern
 * without an inner `/` matches at any depth (`*.o`, `.git/`), one with a `/` is anchored.
 */
function excludeGlobs(base: string, pattern: string): string[] {
  const dirOnly = pattern.endsWith('/');
  let pat = dirOnly ? pattern.slice(0, -1) : pattern;
  const anchored = pat.startsWith('/') || pat.includes('/');
  pat = pat.replace(/^\//, '');
  // gitignore patterns cannot reach above their base; a `..` segment would put a path outside
  // the workspace into the inputs (even negated, Nx must not be pointed there).
  if (pat === '' || pat.split('/').includes('..')) return [];
  const prefix = base === '' || base === '.' ? '' : `${base}/`;
  const at = anchored ? `${prefix}${pat}` : `${prefix}**/${pat}`;
  return dirOnly ? [`${at}/**/*`] : [at, `${at}/**/*`];
}

/**
 * The recipe file and its `path` sources as Nx inputs. A source outside the workspace (a
 * hostile or mistaken `path: ../../etc`) never becomes an input: Nx could not hash it
 * reproducibly and it must not widen what a task reads; it is reported instead.
 */
export function sourceInputs(rv: PluginRecipeVersion, warn: (message: string) => void = () => undefined): string[] {
  const inputs: string[] = [fileset(rv.file)];
  const bases: string[] = [];
  for (const p of rv.sources.paths) {
    if (!insideWorkspace(p)) {
      warn(`${rv.file}: source path ${p} is outside the workspace; it is not a cache input of ${rv.name}@${rv.version}`);
      continue;
    }
    const norm = posix.normalize(p);
    if (norm === '.' || norm === '') {
      inputs.push('{workspaceRoot}/**/*');
      bases.push('');
      continue;
    }
    // A path may be a file or a directory; the pair covers both.
    inputs.push(fileset(norm), fileset(`${norm}/**/*`));
    bases.push(norm);
  }
  for (const ex of rv.sources.excludes) {
    for (const base of bases) for (const g of excludeGlobs(base, ex)) inputs.push(`!${fileset(g)}`);
  }
  return [...new Set(inputs)];
}

export function outputPath(opts: NormalizedOptions, rv: PluginRecipeVersion): string {
  return `${opts.outputDir}/${rv.name}/${rv.version}`;
}

export interface BuildTargetsInput {
  rv: PluginRecipeVersion;
  opts: NormalizedOptions;
  /** spk workspace root relative to the Nx workspace root (`.` when they coincide). */
  spkWorkspace: string;
  warn?: (message: string) => void;
}

export function buildTargets({ rv, opts, spkWorkspace, warn }: BuildTargetsInput): Record<string, TargetConfiguration> {
  const env = [...new Set([...BUILD_ENV_INPUTS, ...opts.envInputs, ...rv.envRefs])].sort();
  const common: InputDefinition[] = [
    ...env.map((e) => ({ env: e })),
    { runtime: SPK_VERSION_RUNTIME_INPUT },
    ...(opts.hostOptions === undefined ? [{ runtime: HOST_RUNTIME_INPUT }] : []),
    // The plugin's own version changes what the executors run. Not an `externalDependencies`
    // input: that fails hashing in workspaces where nx-spk is not an npm dependency (linked).
    { runtime: `echo nx-spk@${opts.pluginVersion}` },
  ];
  const pinnedHost = opts.hostOptions;
  const spkOptions: Record<string, string> = {
    ...(pinnedHost ? pinnedHost : {}),
    ...opts.options,
  };
  const shared = {
    package: rv.name,
    version: rv.version,
    recipe: rv.file,
    templated: rv.templated,
    workspace: spkWorkspace,
    ...(Object.keys(spkOptions).length ? { options: spkOptions } : {}),
    ...(pinnedHost !== undefined ? { noHost: true } : {}),
    ...(opts.repos.length ? { repos: opts.repos } : {}),
    ...(opts.spkBin ? { spkBin: opts.spkBin } : {}),
    ...(opts.tagNamespace ? { tagNamespace: opts.tagNamespace } : {}),
  };
  const out = outputPath(opts, rv);
  const archiveInputs: InputDefinition[] = opts.handoff
    ? [{ dependentTasksOutputFiles: '**/*.spk', transitive: true }]
    : [];
  const targets: Record<string, TargetConfiguration> = {
    [opts.buildTargetName]: {
      executor: 'nx-spk:spk-build',
      options: {
        ...shared,
        handoff: opts.handoff,
        skipExisting: opts.skipExisting,
        outputPath: out,
      },
      inputs: [...sourceInputs(rv, warn), ...common, ...archiveInputs],
      outputs: [`{workspaceRoot}/${out}`],
      dependsOn: [`^${opts.buildTargetName}`],
      cache: true,
      metadata: {
        technologies: ['spk'],
        description: `spk build ${rv.file} → ${rv.name}/${rv.version}`,
        help: {
          command: `${opts.spkBin ?? 'spk'} build --help`,
          example: { options: { variants: ['0'] } },
        },
      },
    },
    [opts.publishTargetName]: {
      executor: 'nx-spk:spk-publish',
      options: {
        package: rv.name,
        version: rv.version,
        ...(opts.spkBin ? { spkBin: opts.spkBin } : {}),
        ...(opts.tagNamespace ? { tagNamespace: opts.tagNamespace } : {}),
        handoff: opts.handoff,
        outputPath: out,
      },
      dependsOn: [opts.buildTargetName],
      cache: false,
      metadata: {
        technologies: ['spk'],
        description: `spk publish ${rv.name}/${rv.version} (to origin unless targetRepo is set)`,
      },
    },
  };
  if (rv.tests.length > 0) {
    targets[opts.testTargetName] = {
      executor: 'nx-spk:spk-test',
      options: { ...shared, handoff: opts.handoff, outputPath: out },
      inputs: [...sourceInputs(rv), ...common, { dependentTasksOutputFiles: '**/*.spk', transitive: true }],
      outputs: [],
      dependsOn: [opts.buildTargetName],
      cache: true,
      metadata: {
        technologies: ['spk'],
        description: `spk test ${rv.file} (${rv.tests.length} test${rv.tests.length === 1 ? '' : 's'}: ${[...new Set(rv.tests.map((t) => t.stage))].join(', ')})`,
      },
    };
  }
  return targets;
}
