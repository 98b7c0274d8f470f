/**
 * Inferred targets of one recipe-version project.
 *
 * Nx gotcha (../shared/reference/nx.md §0 fact 10, §4.4): each recipe-version lives at a
 * virtual root that owns no files, so NO target may use project file-sets (`default`,
 * `{projectRoot}/**`, `^production`): hashing would fail with "project X not found".
 * Every input is explicit and rooted at `{workspaceRoot}`, and outputs live under
 * `{workspaceRoot}` too (writing into `{projectRoot}` would create real files there).
 */
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

export function sourceInputs(rv: PluginRecipeVersion): string[] {
  const inputs: string[] = [fileset(rv.file)];
  for (const p of rv.sources.paths) {
    if (p === '' || p === '.') {
      inputs.push('{workspaceRoot}/**/*');
      continue;
    }
    // A path may be a file or a directory; the pair covers both.
    inputs.push(fileset(p), fileset(`${p}/**/*`));
  }
  for (const ex of rv.sources.excludes) inputs.push(`!${fileset(ex)}`);
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
}

export function buildTargets({ rv, opts, spkWorkspace }: BuildTargetsInput): Record<string, TargetConfiguration> {
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
      inputs: [...sourceInputs(rv), ...common, ...archiveInputs],
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
