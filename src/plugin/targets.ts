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
import { posix, relative, resolve } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import type { InputDefinition } from '@nx/devkit/internal';
import type { NormalizedOptions } from './options';
import type { PlatformPinsMeta } from './platform-pins';
import { toPosix } from '../spk/posix';
import { projectName, type PluginRecipeVersion } from './recipe-record';

/**
 * Environment variables that change what a build produces or resolves against.
 * spfs/spk read many variables; most (storage root, tag namespace, verbosity) change where
 * things go, not what is built. These change the result:
 * - `SPFS_REMOTE__ORIGIN__ADDRESS`: which origin repository dependencies resolve from;
 * - `SPK_SOLVER__SOLVER_TO_RUN`: which solver picks the build environment;
 * - `NX_SPK_DRY_RUN`: a dry run produces no archive, so it must never share a cache entry
 *   with a real build.
 * `SPK_BIN` is NOT one: it is a path, and the same spk installed elsewhere must hit the same
 * cache entries; the version of the binary it selects is hashed instead ({@link spkVersionRuntimeInput}).
 * Variables a recipe template reads (`{{ env.X }}`) are added per recipe.
 */
export const BUILD_ENV_INPUTS = ['NX_SPK_DRY_RUN', 'SPFS_REMOTE__ORIGIN__ADDRESS', 'SPK_SOLVER__SOLVER_TO_RUN'];

/** Where the spk-version runtime input memoises its answer, relative to the workspace root (bin/spk-version.sh). */
export const SPK_VERSION_CACHE_DIR = 'node_modules/.cache/nx-spk/spk-version';

/** The script behind the spk-version runtime input, as installed with the plugin. */
export const SPK_VERSION_SCRIPT = resolve(__dirname, '..', '..', '..', 'bin', 'spk-version.sh');

/** POSIX shell single-quoting (the runtime input is a shell command line). */
function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * spk's version, as a runtime input: the VERSION of the binary the executors will run, never
 * its path, memoised per calling Nx process (bin/spk-version.sh says how and why).
 *
 * The command only sources that script: every spk-build and spk-test target carries it, and
 * Nx copies each project configuration across its plugin-worker IPC, into project-graph.json
 * and into the source maps, so its length is paid per target on every Nx command (the script
 * written out inline was about 1.4 KB, a third of a project configuration). Nx hashes what the
 * command prints, not its text. Sourcing (`.`) keeps `$PPID` the hashing Nx process.
 * `script` is relative to the workspace root (where Nx runs runtime inputs) when the plugin is
 * installed inside it, else absolute.
 */
export function spkVersionRuntimeInput(spkBin: string | undefined, script: string): string {
  const opt = spkBin !== undefined && spkBin !== '' ? shQuote(spkBin) : "''";
  return `NX_SPK_BIN_OPTION=${opt}; . ${/^[\w./-]+$/.test(script) ? script : shQuote(script)}`;
}

/** {@link SPK_VERSION_SCRIPT} as the runtime input names it from `nxRoot`. */
export function spkVersionScriptFrom(nxRoot: string, script = SPK_VERSION_SCRIPT): string {
  const rel = toPosix(relative(nxRoot, script));
  return insideWorkspace(rel) && rel !== '' ? rel : toPosix(script);
}

/**
 * What else a task's result depends on that is known when the graph is computed: the host
 * identity (when host options are not pinned it drives rendering and variant selection; the
 * plugin computed it for rendering anyway) and nx-spk's own version (it changes what the
 * executors run). They travel in the target options, which Nx hashes with the project
 * configuration, instead of runtime inputs: a runtime input starts a shell per task.
 */
export interface GraphTimeFingerprint {
  /** nx-spk's version. */
  plugin: string;
  /** `os=…,arch=…,…` of the machine that computed the graph; absent when host options are pinned. */
  host?: string;
}

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

/** True when `p` is `dir` or inside it (posix, workspace-relative, normalised). */
function within(p: string, dir: string): boolean {
  return dir === '' || p === dir || p.startsWith(`${dir}/`);
}

/**
 * The recipe file and its `path` sources as Nx inputs, each file covered once. Nx reads a
 * glob-free fileset as "that file, or everything under it" (its hasher and its affected
 * matcher alike), so one entry per source path covers a file or a directory; the recipe file
 * is listed only when no source path already covers it. A source outside the workspace (a
 * hostile or mistaken `path: ../../etc`) never becomes an input: Nx could not hash it
 * reproducibly and it must not widen what a task reads; it is reported instead.
 */
export function sourceInputs(rv: PluginRecipeVersion, warn: (message: string) => void = () => undefined): string[] {
  const bases: string[] = [];
  for (const p of rv.sources.paths) {
    if (!insideWorkspace(p)) {
      warn(`${rv.file}: source path ${p} is outside the workspace; it is not a cache input of ${rv.name}@${rv.version}`);
      continue;
    }
    const norm = posix.normalize(p).replace(/\/+$/, '');
    bases.push(norm === '.' ? '' : norm);
  }
  // A base inside another base adds nothing.
  const kept = [...new Set(bases)].filter((b, _i, all) => !all.some((o) => o !== b && within(b, o)));
  const inputs: string[] = [];
  if (!kept.some((b) => within(rv.file, b))) inputs.push(fileset(rv.file));
  for (const b of kept) inputs.push(b === '' ? '{workspaceRoot}/**/*' : fileset(b));
  for (const ex of rv.sources.excludes) {
    for (const base of kept) for (const g of excludeGlobs(base, ex)) inputs.push(`!${fileset(g)}`);
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
  /** The host options the graph was rendered with (unused when they are pinned). */
  host?: Record<string, string> | false;
  /** The environment the graph is computed in (for `$SPK_BIN` in the help command). */
  env?: Record<string, string | undefined>;
  warn?: (message: string) => void;
  /**
   * Workspace projects that this recipe-version's test stages require (test-role requests
   * resolved to a project, e.g. `usd` with `prereleasePolicy: IncludeAll` → usd@24.11.0-rc.1):
   * their spk-build runs before spk-test, so the test environment can resolve on a fresh machine.
   */
  testRequires?: readonly string[];
  /** The spk-version runtime input ({@link spkVersionRuntimeInput}), the same for every target of a run. */
  spkVersionInput: string;
}

/** The spk the executors will run, for display (`metadata.help`): spkBin, else $SPK_BIN, else `spk`. */
function displayedSpk(opts: NormalizedOptions, env: Record<string, string | undefined>): string {
  const bin = opts.spkBin || env.SPK_BIN || 'spk';
  return /^[A-Za-z0-9_./@+-]+$/.test(bin) ? bin : shQuote(bin);
}

export function fingerprintOf(opts: NormalizedOptions, host: Record<string, string> | false | undefined): GraphTimeFingerprint {
  const fp: GraphTimeFingerprint = { plugin: `nx-spk@${opts.pluginVersion}` };
  if (opts.hostOptions === undefined) {
    const h = host === false || host === undefined ? {} : host;
    fp.host = Object.keys(h).sort().map((k) => `${k}=${h[k]}`).join(',');
  }
  return fp;
}

export function buildTargets({ rv, opts, spkWorkspace, host, env: graphEnv = process.env, warn, testRequires = [], spkVersionInput }: BuildTargetsInput): Record<string, TargetConfiguration> {
  const env = [...new Set([...BUILD_ENV_INPUTS, ...opts.envInputs, ...rv.envRefs])].sort();
  const envInputs: InputDefinition[] = env.map((e) => ({ env: e }));
  const common: InputDefinition[] = [...envInputs, { runtime: spkVersionInput }];
  // Hashed with the target options (see GraphTimeFingerprint). The plugin version is not an
  // `externalDependencies` input: that fails hashing where nx-spk is linked, not installed.
  const fingerprint = fingerprintOf(opts, host);
  const spk = displayedSpk(opts, graphEnv);
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
    fingerprint,
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
          command: `${spk} build --help`,
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
      // Never cached, so no fingerprint in its options (it only keys cache entries); but Nx
      // still hashes every task it runs, and without explicit inputs it would fall back to
      // `{projectRoot}/**/*`, which a virtual root cannot resolve.
      inputs: envInputs,
      dependsOn: [opts.buildTargetName],
      cache: false,
      metadata: {
        technologies: ['spk'],
        description: `spk publish ${rv.name}/${rv.version} (to origin unless targetRepo is set)`,
        help: {
          command: `${spk} publish --help`,
          example: { options: { targetRepo: 'origin' } },
        },
      },
    },
  };
  if (rv.tests.length > 0) {
    targets[opts.testTargetName] = {
      executor: 'nx-spk:spk-test',
      options: { ...shared, handoff: opts.handoff, outputPath: out },
      inputs: [...sourceInputs(rv), ...common, { dependentTasksOutputFiles: '**/*.spk', transitive: true }],
      outputs: [],
      dependsOn: [
        opts.buildTargetName,
        ...[...new Set(testRequires)].sort().map((project) => ({ projects: [project], target: opts.buildTargetName })),
      ],
      cache: true,
      metadata: {
        technologies: ['spk'],
        help: {
          command: `${spk} test --help`,
          example: { options: { stages: ['build'] } },
        },
        description: `spk test ${rv.file} (${rv.tests.length} test${rv.tests.length === 1 ? '' : 's'}: ${[...new Set(rv.tests.map((t) => t.stage))].join(', ')})`,
      },
    };
  }
  return targets;
}

/**
 * `spk-build-platform` of a platform project: depends on the build target of every pinned
 * recipe-version of the workspace (and through their `^build`, on everything they need), never
 * on the platform's own build: pins are not edges of the project graph, so a package that
 * requests its platform at build time while the platform pins it is no cycle. Its own run only
 * reports what was built or restored (executors/spk-build-platform).
 */
export function buildPlatformTarget(
  rv: PluginRecipeVersion,
  platform: PlatformPinsMeta,
  opts: NormalizedOptions,
  byProject: ReadonlyMap<string, PluginRecipeVersion>,
): TargetConfiguration {
  const projects = [...new Set(platform.pins.flatMap((p) => (p.project ? [p.project] : [])))].sort();
  const pins = platform.pins.map((p) => {
    const target = p.project ? byProject.get(p.project) : undefined;
    return {
      pkg: p.pkg,
      version: p.version,
      from: p.from,
      status: p.status,
      ...(p.project ? { project: p.project } : {}),
      ...(target ? { outputPath: outputPath(opts, target) } : {}),
      reason: p.reason,
    };
  });
  return {
    executor: 'nx-spk:spk-build-platform',
    options: { platform: projectName(rv.name, rv.version), handoff: opts.handoff, pins },
    inputs: [
      { runtime: `echo nx-spk@${opts.pluginVersion}` },
      ...(opts.handoff ? [{ dependentTasksOutputFiles: '**/*.spk', transitive: true }] : []),
    ],
    outputs: [],
    dependsOn: projects.length ? [{ projects, target: opts.buildTargetName }] : [],
    cache: true,
    metadata: {
      technologies: ['spk'],
      description: `Build everything ${rv.name}/${rv.version} pins (${projects.length} recipe-version${projects.length === 1 ? '' : 's'} of this workspace${
        pins.length > projects.length ? `; ${pins.length - projects.length} pin(s) not built here, see the options` : ''
      }) and their dependencies`,
    },
  };
}
