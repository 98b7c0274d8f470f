/**
 * The spk command-line wrapper: argv builders (pure). The process runner (PATH lookup, process
 * groups, signals) lives in executors/shared/spk-process.ts, so this module stays free of I/O.
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
 * Processes are started with an argv array (execa, never a shell; executors/shared/spk-process.ts).
 */
import { SpkError } from './errors';
import { assertOptionName, assertPackageName } from './name';
import { compareVersions } from './version';

// Re-exported: the argv layer's name checks live with spk's name rules in name.ts.
export { assertOptionName, assertPackageName };

// ---------------------------------------------------------------------------------------------
// Validation of recipe-controlled strings
// ---------------------------------------------------------------------------------------------

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

/**
 * Whether `spk ls <name>` stdout lists `version`. spk versions are equal modulo trailing zeros
 * (`1.2` == `1.2.0`, crates/spk-schema/crates/foundation/src/version/mod.rs `impl Ord`), and
 * `spk ls` prints the stored (normalised) form, which may differ textually from the option; a
 * line or an option that does not parse as a version compares as text.
 */
export function lsListsVersion(stdout: string, version: string): boolean {
  return parseLsVersions(stdout).some((v) => {
    try {
      return compareVersions(v, version) === 0;
    } catch {
      return v === version;
    }
  });
}
