/**
 * The spk command-line wrapper: argv builders (pure) and a process runner.
 *
 * No Nx imports here: the Nx executors in `executors/` build on this module.
 *
 * Safety rule for every argv builder: a string that comes from a recipe, a workspace file or a
 * target option must never turn into an extra spk flag. spk's CLI is clap-based
 * (`crates/spk/src/cli.rs`, shared flags in `crates/spk-cli/common/src/flags.rs`), so any argv
 * element starting with `-` is parsed as a flag. Therefore:
 * - positional paths starting with `-` get `./` prepended (same file, no longer a flag);
 * - option keys are validated as spk option names and `k=v` always travels as ONE argv element
 *   after `-o` (spk splits it at the first `=`; `flags::Options::get_options`);
 * - variant specs are glued to their flag (`--variant=<spec>`), so clap never re-parses them;
 * - package names, versions and repository names are validated before they reach argv.
 * Processes are started with an argv array (execa, never a shell).
 */
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import path from 'node:path';
import { SpkError } from './errors';

// ---------------------------------------------------------------------------------------------
// Validation of recipe-controlled strings
// ---------------------------------------------------------------------------------------------

/**
 * spk package names: 2-64 chars of `[a-z0-9-]`, not starting with `-`
 * (`validate_pkg_name`, crates/spk-schema/crates/foundation/src/name/mod.rs).
 */
export function assertPackageName(name: string, what = 'package name'): void {
  const bad = /[^a-z0-9-]/.exec(name);
  if (name.length < 2 || name.length > 64 || name.startsWith('-') || bad) {
    throw new SpkError('name', `invalid ${what}: must be 2-64 characters of a-z, 0-9 and '-', not starting with '-'`, {
      input: name,
      position: bad ? bad.index : name.startsWith('-') ? 0 : undefined,
    });
  }
}

/**
 * spk option names: `[ns.]base` where `ns` is a package name and `base` is 2-64 chars of
 * `[a-z0-9_-]` (`validate_opt_name`, same file). We additionally refuse a leading `-` in the base
 * name (spk would accept it) because `-o -x=1` is exactly the kind of argv we must never emit.
 */
export function assertOptionName(key: string): void {
  const dot = key.indexOf('.');
  const ns = dot >= 0 ? key.slice(0, dot) : undefined;
  const base = dot >= 0 ? key.slice(dot + 1) : key;
  if (ns !== undefined) {
    try {
      assertPackageName(ns, 'option namespace');
    } catch {
      throw new SpkError('option', `invalid option name: the namespace before '.' must be a package name`, {
        input: key,
        position: 0,
      });
    }
  }
  const bad = /[^a-z0-9_-]/.exec(base);
  if (base.length < 2 || base.length > 64 || base.startsWith('-') || bad) {
    throw new SpkError('option', 'invalid option name: must be 2-64 characters of a-z, 0-9, _ and -, not starting with -', {
      input: key,
      position: (ns !== undefined ? ns.length + 1 : 0) + (bad ? bad.index : 0),
    });
  }
}

/**
 * A canonical spk version text: starts with a digit and contains only the characters spk's
 * version grammar allows (`N(.N)*[-tag.N,…][+tag.N,…]`). The full grammar lives in
 * `src/spk/version.ts`; here we only need to guarantee it can never act as a flag or a path.
 */
export function assertVersionText(version: string): void {
  const bad = /[^0-9A-Za-z.,+-]/.exec(version);
  if (!/^[0-9]/.test(version) || bad) {
    throw new SpkError('version', 'invalid version: must start with a digit and contain only 0-9, a-z, A-Z, ".", ",", "+" and "-"', {
      input: version,
      position: bad ? bad.index : 0,
    });
  }
}

/**
 * A value for `-r/--enable-repo` or `--target-repo`: a configured repo name, `local`, a path or a
 * URL, optionally with a `~time`/`@time` suffix (`flags::Repositories`). We accept that broad set
 * but refuse a leading `-` and whitespace/control characters.
 */
export function assertRepoName(repo: string): void {
  const bad = /[\s\x00-\x1f\x7f]/.exec(repo);
  if (repo.length === 0 || repo.startsWith('-') || bad) {
    throw new SpkError('cli', 'invalid repository name: must be non-empty, not start with "-" and contain no whitespace', {
      input: repo,
      position: bad ? bad.index : 0,
    });
  }
}

/** A positional file path that can never be read as a flag: `-x.spk.yaml` → `./-x.spk.yaml`. */
export function safePath(p: string): string {
  if (p.length === 0) throw new SpkError('cli', 'empty path given', { input: p });
  return p.startsWith('-') ? `./${p}` : p;
}

function assertNoNewline(value: string, what: string): void {
  const i = value.search(/[\r\n\x00]/);
  if (i >= 0) throw new SpkError('option', `${what} must not contain line breaks or NUL`, { input: value, position: i });
}

// ---------------------------------------------------------------------------------------------
// argv builders
// ---------------------------------------------------------------------------------------------

export interface RecipeCommandInput {
  /** Recipe file path (relative to the spk process cwd, or absolute). */
  recipe: string;
  /** Canonical spk version text of the recipe-version being built. */
  version: string;
  /**
   * True when the recipe is a template that reads `opt.version`. spk does NOT inject the workspace
   * version into the template (spk.md §2.4), so `-o version=V` is how V reaches it; for a
   * non-templated recipe the version is hard-coded in the file and `-o version=V` would only add
   * a stray global `version` var request to the solver, so it is omitted.
   */
  templated: boolean;
  /** `--workspace <dir>`; omitted when undefined. */
  workspace?: string;
  /** Extra `-o k=v` options (sorted by key for a stable argv and cache key). */
  options?: Record<string, string>;
  noHost?: boolean;
  /** `--variant=<spec>` each (index, `k=v[,k=v]` or JSON). */
  variants?: string[];
  /** `-r <repo>` each. */
  repos?: string[];
  /** Passed through verbatim before the positional (trusted: written by the user in nx config). */
  extraArgs?: string[];
}

function commonRecipeFlags(input: RecipeCommandInput): string[] {
  const args: string[] = [];
  if (input.workspace !== undefined) args.push('--workspace', safePath(input.workspace));
  assertVersionText(input.version);
  const opts = { ...(input.options ?? {}) };
  if (input.templated) {
    if ('version' in opts && opts.version !== input.version) {
      throw new SpkError('option', `option "version" (${opts.version}) conflicts with the recipe version ${input.version}`, {
        input: opts.version,
      });
    }
    delete opts.version;
    args.push('-o', `version=${input.version}`);
  }
  for (const key of Object.keys(opts).sort()) {
    assertOptionName(key);
    const value = String(opts[key]);
    assertNoNewline(value, `value of option "${key}"`);
    args.push('-o', `${key}=${value}`);
  }
  if (input.noHost) args.push('--no-host');
  for (const v of input.variants ?? []) {
    assertNoNewline(v, 'variant spec');
    if (v.length === 0) throw new SpkError('option', 'empty variant spec', { input: v });
    args.push(`--variant=${v}`);
  }
  for (const r of input.repos ?? []) {
    assertRepoName(r);
    args.push('-r', r);
  }
  args.push(...(input.extraArgs ?? []));
  return args;
}

/**
 * `spk build [--workspace W] [-o version=V (templated only)] [-o k=v …sorted] [--no-host]
 * [--variant=S …] [-r R …] [extraArgs…] <recipe>` (crates/spk-cli/cmd-build/src/cmd_build.rs).
 */
export function buildArgs(input: RecipeCommandInput): string[] {
  return ['build', ...commonRecipeFlags(input), safePath(input.recipe)];
}

/** spk test stages (`TestStage`, crates/spk-schema/src/test.rs): `sources`, `build`, `install`. */
export const TEST_STAGES = ['sources', 'build', 'install'] as const;
export type TestStage = (typeof TEST_STAGES)[number];

/**
 * `spk test [--workspace W] [-o version=V (templated only)] [-o k=v …] [--no-host] [--variant=S …]
 * [-r R …] [extraArgs…] <recipe>[@stage]` (crates/spk-cli/cmd-test/src/cmd_test.rs; the stage
 * suffix is parsed by `parse_stage_specifier`).
 */
export function testArgs(input: RecipeCommandInput & { stage?: string }): string[] {
  // cmd_test.rs splits its argument at the FIRST '@' (`split_once('@')`) and reads what follows
  // as a stage, with or without a stage of ours: a recipe path containing '@' cannot be passed.
  if (input.recipe.includes('@')) {
    throw new SpkError(
      'option',
      "spk test cannot be given a recipe path containing '@' (spk splits <recipe>@<stage> at the first '@', crates/spk-cli/cmd-test/src/cmd_test.rs); rename the file or directory",
      { input: input.recipe },
    );
  }
  let target = safePath(input.recipe);
  if (input.stage !== undefined) {
    if (!(TEST_STAGES as readonly string[]).includes(input.stage)) {
      throw new SpkError('option', `invalid test stage: expected one of ${TEST_STAGES.join(', ')}`, { input: input.stage });
    }
    target += `@${input.stage}`;
  }
  return ['test', ...commonRecipeFlags(input), target];
}

/** `spk publish [-r <repo>] name/version` (crates/spk-cli/group2/src/cmd_publish.rs, `-r/--target-repo`). */
export function publishArgs(name: string, version: string, repo?: string): string[] {
  assertPackageName(name);
  assertVersionText(version);
  const args = ['publish'];
  if (repo !== undefined) {
    assertRepoName(repo);
    args.push('-r', repo);
  }
  args.push(`${name}/${version}`);
  return args;
}

/**
 * `spk export -L name/version <file>` (crates/spk-cli/group3/src/cmd_export.rs). Without a scope
 * spk reads the package from every repository of `get_repos_for_non_destructive_operation`
 * (local AND origin, crates/spk-cli/common/src/flags.rs) and writes the recipe plus every build of
 * the version it finds there (crates/spk-storage/src/storage/archive.rs), so the archive would
 * depend on origin's contents. The hand-off exports what this task has in the LOCAL repository
 * only (`-L`, `--local-repo-only`). spk removes a partial file on failure.
 */
export function exportArgs(name: string, version: string, file: string, from: 'local' | 'origin' = 'local'): string[] {
  assertPackageName(name);
  assertVersionText(version);
  // 'origin': a version `skipExisting: origin` found published and did not build: origin only.
  const scope = from === 'local' ? ['-L'] : ['--disable-repo', 'local'];
  return ['export', ...scope, `${name}/${version}`, safePath(file)];
}

/**
 * `spk import --sync f1 f2 …` into the local repository (crates/spk-cli/group3/src/cmd_import.rs).
 * Without `--sync` spfs's default policy `MissingDataOnly` skips every tag that already exists in
 * the local repository (crates/spfs/src/sync.rs, `check_existing_tags`), and a spk build id is a
 * digest of the build's options, not of its sources: a dependency rebuilt from changed sources has
 * the same build id, so a machine holding the old build would keep it. `--sync`
 * (crates/spfs-cli/common/src/args.rs, policy `LatestTags`) moves every tag to the archive's target.
 */
export function importArgs(files: readonly string[]): string[] {
  if (files.length === 0) throw new SpkError('cli', 'spk import needs at least one archive');
  return ['import', '--sync', ...files.map(safePath)];
}

export interface LsScope {
  /** Only the local repository (`-L/--local-repo-only`). */
  localOnly?: boolean;
  /**
   * Only this repository. `spk ls` enables `local` (+ `origin`) by default and `-r` is additive
   * (`get_repos_for_non_destructive_operation`), so we also pass `--disable-repo local`.
   * `repo: 'local'` is the same as `localOnly`.
   */
  repo?: string;
}

/**
 * `spk ls --no-src --no-host [-L | --disable-repo local [--disable-repo origin] -r R] <name>`:
 * lists the versions of `name`, newest first, one per line (crates/spk-cli/group2/src/cmd_ls.rs).
 * - `--no-src`: a version holding only its source package counts unless asked not to, and
 *   `spk build` publishes the recipe and `/src` before the binary build, so a failed build would
 *   otherwise read as "built";
 * - `--no-host`: pins host filtering, so a site's `cli.ls.host_filtering` config cannot change the
 *   answer;
 * - `-r R` ADDS a repository; origin stays enabled unless disabled by name
 *   (crates/spk-cli/common/src/flags.rs, `get_repos_for_non_destructive_operation`), so for
 *   R other than origin, origin is disabled explicitly.
 * Without a scope: local + origin.
 */
export function lsArgs(name: string, scope: LsScope = {}): string[] {
  assertPackageName(name);
  const args = ['ls', '--no-src', '--no-host'];
  if (scope.localOnly || scope.repo === 'local') {
    args.push('-L');
  } else if (scope.repo !== undefined) {
    assertRepoName(scope.repo);
    args.push('--disable-repo', 'local');
    if (scope.repo !== 'origin') args.push('--disable-repo', 'origin');
    args.push('-r', scope.repo);
  }
  args.push(name);
  return args;
}

/**
 * spfs tag namespace (`SPFS_STORAGE__TAG_NAMESPACE`): exactly one non-empty path component
 * (crates/spfs/src/storage/tag_namespace.rs `validate_path`): a namespace with directory
 * structure creates nested namespaces that `spfs clean` does not walk.
 */
export function assertTagNamespace(ns: string): void {
  const parts = ns.split('/').filter((p) => p !== '');
  if (parts.length !== 1) {
    throw new SpkError(
      'option',
      parts.length === 0 ? 'tag namespace must not be empty' : 'tag namespace must not contain any directory structure (no "/")',
      { input: ns },
    );
  }
}

/** `spk version` prints ` spk X` and `spfs Y` (crates/spk-cli/group4/src/cmd_version.rs). */
export function versionArgs(): string[] {
  return ['version'];
}

// ---------------------------------------------------------------------------------------------
// Display
// ---------------------------------------------------------------------------------------------

/** POSIX-shell quoting, for DISPLAY ONLY (dry runs, error messages). We never run a shell. */
export function shellQuote(arg: string): string {
  if (arg.length > 0 && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function formatCommand(bin: string, args: readonly string[]): string {
  return [bin, ...args].map(shellQuote).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Locating the binary
// ---------------------------------------------------------------------------------------------

export type SpkBinSource = 'option spkBin' | 'SPK_BIN' | 'PATH';

/** Which spk binary would be used and why, without touching the filesystem (dry runs). */
export function spkBinCandidate(option?: string, env: NodeJS.ProcessEnv = process.env): { bin: string; source: SpkBinSource } {
  if (option !== undefined && option !== '') return { bin: option, source: 'option spkBin' };
  const fromEnv = env.SPK_BIN;
  if (fromEnv !== undefined && fromEnv !== '') return { bin: fromEnv, source: 'SPK_BIN' };
  return { bin: 'spk', source: 'PATH' };
}

export function spkNotFound(bin: string, source: SpkBinSource | string, cause?: unknown): SpkError {
  return new SpkError(
    'cli',
    `spk binary not found: looked for '${bin}' (from ${source}); install spk or set spkBin / SPK_BIN`,
    cause !== undefined ? { cause } : {},
  );
}

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The spk executable to run: option `spkBin`, else `$SPK_BIN`, else `spk` looked up on `$PATH`.
 * A value containing `/` is a path (relative to `cwd`). Returns the path that will be executed.
 * Throws ONE clear SpkError (kind 'cli') when nothing executable is found.
 */
export function resolveSpkBin(option?: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const { bin, source } = spkBinCandidate(option, env);
  if (bin.includes('/')) {
    const p = path.resolve(cwd, bin);
    if (isExecutableFile(p)) return p;
    throw spkNotFound(bin, source);
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const p = path.join(dir, bin);
    if (isExecutableFile(p)) return p;
  }
  throw spkNotFound(bin, source);
}

// ---------------------------------------------------------------------------------------------
// Running spk
// ---------------------------------------------------------------------------------------------

export interface RunSpkOptions {
  cwd: string;
  /** Added on top of process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * true: stdout/stderr are inherited, so Nx shows spk's output live and stores it as the task's
   * terminal output for cache replay (nx.md §5.3); the result's stdout/stderr are then ''.
   * false: captured and returned.
   */
  stream: boolean;
  /** Aborting kills spk's whole process group, like SIGINT/SIGTERM does. */
  signal?: AbortSignal;
  /** Grace period between SIGTERM/SIGINT and SIGKILL for the process group. Default 10 s. */
  killGraceMs?: number;
}

export interface RunSpkResult {
  /** spk's exit code; undefined when it was killed by a signal. */
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** The signal that ended spk, if any. */
  signal?: string;
  /** Set when we stopped spk because our process got SIGINT/SIGTERM (or the abort signal fired). */
  interrupted?: NodeJS.Signals | 'abort';
}

const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

function killGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `bin args…` (argv array, no shell). spk runs in its own process group (`detached`) because
 * spk re-execs itself under `spfs run`, which spawns `spfs-enter`, the build script and its
 * children; killing only spk's pid would orphan them. When our process receives SIGINT/SIGTERM
 * (or `signal` aborts), the whole group gets that signal, then SIGKILL after `killGraceMs` if any
 * member is still alive. Handlers are removed when spk ends.
 */
export async function runSpk(bin: string, args: readonly string[], opts: RunSpkOptions): Promise<RunSpkResult> {
  const { execa } = await import('execa');
  const grace = opts.killGraceMs ?? 10_000;
  if (opts.signal?.aborted) {
    return { exitCode: undefined, stdout: '', stderr: '', interrupted: 'abort' };
  }
  const child = execa(bin, [...args], {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: true,
    detached: true,
    // Our own handlers below do the cleanup; execa's `cleanup` does not apply to detached children.
    cleanup: false,
    reject: false,
    stdin: 'ignore',
    stdout: opts.stream ? 'inherit' : 'pipe',
    stderr: opts.stream ? 'inherit' : 'pipe',
    stripFinalNewline: false,
  });
  const pid = child.pid;

  let interrupted: NodeJS.Signals | 'abort' | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const interrupt = (why: NodeJS.Signals | 'abort') => {
    if (interrupted !== undefined || pid === undefined) return;
    interrupted = why;
    killGroup(pid, why === 'abort' ? 'SIGTERM' : why);
    killTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), grace);
  };
  const onSignal = (sig: NodeJS.Signals) => interrupt(sig);
  const onAbort = () => interrupt('abort');
  if (pid !== undefined) {
    for (const sig of FORWARDED_SIGNALS) process.on(sig, onSignal);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  }
  try {
    const result = await child;
    if (result.failed && (result as { code?: string }).code === 'ENOENT') {
      throw spkNotFound(bin, 'the resolved spk path', result);
    }
    if (interrupted !== undefined && pid !== undefined) {
      // spk itself is gone; give the rest of its group (build scripts …) the grace period, then SIGKILL.
      const deadline = Date.now() + grace;
      while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      killGroup(pid, 'SIGKILL');
    }
    return {
      exitCode: result.exitCode,
      stdout: typeof result.stdout === 'string' ? result.stdout : '',
      stderr: typeof result.stderr === 'string' ? result.stderr : '',
      ...(result.signal ? { signal: result.signal } : {}),
      ...(interrupted !== undefined ? { interrupted } : {}),
    };
  } finally {
    if (killTimer) clearTimeout(killTimer);
    for (const sig of FORWARDED_SIGNALS) process.removeListener(sig, onSignal);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** `spk version` output (first line, trimmed), or undefined if spk cannot be run. Never throws. */
export async function spkVersion(bin: string): Promise<string | undefined> {
  try {
    const r = await runSpk(bin, versionArgs(), { cwd: process.cwd(), stream: false });
    if (r.exitCode !== 0) return undefined;
    const line = r.stdout.split('\n').map((l) => l.trim()).find((l) => l.startsWith('spk '));
    return line ? line.slice(4).trim() : r.stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The versions of `name` that `spk ls` reports (one per line; with `-d` spk appends
 * ` DEPRECATED`, which we strip). Throws SpkError('cli') when spk exits non-zero.
 */
export async function listPackageVersions(
  bin: string,
  name: string,
  scope: LsScope = {},
  run: Pick<RunSpkOptions, 'cwd' | 'env' | 'signal'> = { cwd: process.cwd() },
): Promise<string[]> {
  const args = lsArgs(name, scope);
  const r = await runSpk(bin, args, { ...run, stream: false });
  if (r.exitCode !== 0) {
    throw new SpkError('cli', `${formatCommand('spk', args)} failed (exit ${r.exitCode ?? r.signal}): ${r.stderr.trim()}`);
  }
  return parseLsVersions(r.stdout);
}

/** Parses `spk ls <name>` stdout: one version per line, possibly followed by a status word. */
export function parseLsVersions(stdout: string): string[] {
  return stdout
    .split('\n')
    // strip ANSI colour codes (spk colours "DEPRECATED")
    .map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim())
    .filter((l) => l.length > 0)
    .map((l) => l.split(/\s+/)[0]!)
    .filter((v) => /^[0-9]/.test(v));
}
