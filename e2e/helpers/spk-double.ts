/**
 * Environment and inspection helpers for the spk test double (e2e/fixtures/spk-double).
 * One "machine" = one local repo dir; machines share an origin by passing the same `origin`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spkDoubleBin, spkDoubleDir } from './paths';

export interface SpkDoubleEnvOptions {
  /** Origin repo dir; default `<machineDir>/origin`; `false` = this machine has no origin. */
  origin?: string | false;
  /** Extra named repos (`-r NAME`), name → dir. */
  repos?: Record<string, string>;
  /** Invocation log; default `<machineDir>/spk-double.log`. */
  log?: string;
  /** Also set SPK_BIN to the double (default false: the double is found on PATH). */
  spkBin?: boolean;
  /** Any further SPK_DOUBLE_* variables (FAIL, SLEEP, SLEEP_ALL, FAIL_TEST, VERSION). */
  extra?: Record<string, string>;
}

/** Environment for a command that should see the double as `spk` on this machine. */
export function spkDoubleEnv(machineDir: string, opts: SpkDoubleEnvOptions = {}): Record<string, string> {
  fs.mkdirSync(machineDir, { recursive: true });
  const env: Record<string, string> = {
    PATH: `${spkDoubleDir()}${path.delimiter}${process.env.PATH ?? ''}`,
    SPK_DOUBLE_REPO: path.join(machineDir, 'local'),
    SPK_DOUBLE_LOG: opts.log ?? path.join(machineDir, 'spk-double.log'),
  };
  const origin = opts.origin === undefined ? path.join(machineDir, 'origin') : opts.origin;
  if (origin !== false) env.SPK_DOUBLE_ORIGIN = origin;
  if (opts.repos && Object.keys(opts.repos).length > 0) {
    env.SPK_DOUBLE_REPOS = Object.entries(opts.repos).map(([n, d]) => `${n}=${d}`).join(',');
  }
  if (opts.spkBin) env.SPK_BIN = spkDoubleBin();
  Object.assign(env, opts.extra ?? {});
  return env;
}

export interface DoubleLogEntry {
  argv: string[];
  cwd: string;
  pid: number;
  /** ISO start time. */
  time: string;
  /** Start and end, ms since the epoch (for overlap / ordering assertions). */
  start: number;
  end: number;
  /** Exit code; null when killed by `signal`. */
  exit: number | null;
  signal?: string;
}

/** The double's invocation log, in completion order ([] if it does not exist). */
export function readDoubleLog(file: string): DoubleLogEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return text
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l, i) => {
      try {
        return JSON.parse(l) as DoubleLogEntry;
      } catch {
        throw new Error(`${file}:${i + 1}: not a JSON line: ${l}`);
      }
    });
}

/** Only the `spk build` invocations, reduced to their last positional (the recipe), in completion order. */
export function builtRecipes(entries: DoubleLogEntry[]): string[] {
  return entries.filter((e) => e.argv[0] === 'build' && e.exit === 0).map((e) => e.argv[e.argv.length - 1]);
}

interface RepoModule {
  writePackage(repoDir: string, name: string, version: string, files: { spec: string; payload: string; build: object }): void;
  buildIdFor(options: Record<string, string>): string;
  listVersions(repoDir: string, name: string): string[];
}

function repoModule(): RepoModule {
  // The double's own repo code, so seeded packages have exactly its layout.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(spkDoubleDir(), 'lib', 'repo.js')) as RepoModule;
}

export interface SeedPackage {
  name: string;
  version: string;
  options?: Record<string, string>;
  compat?: string;
  deps?: Array<{ name: string; version: string }>;
}

/** Puts a (pretend) built package straight into a repo dir, e.g. a pre-populated origin. */
export function seedSpkPackage(repoDir: string, pkg: SeedPackage): void {
  const m = repoModule();
  const options = pkg.options ?? {};
  m.writePackage(repoDir, pkg.name, pkg.version, {
    spec: `pkg: ${pkg.name}/${pkg.version}\n`,
    payload: `seeded payload of ${pkg.name}/${pkg.version}\n`,
    build: {
      name: pkg.name, version: pkg.version, buildId: m.buildIdFor(options), options, variant: null, variantIndex: null,
      kind: 'package', compat: pkg.compat, recipeFile: null, builtAt: new Date().toISOString(), builtBy: 'seed',
      deps: pkg.deps ?? [],
    },
  });
}

/** Versions of `name` stored in a repo dir (unsorted). */
export function repoVersions(repoDir: string, name: string): string[] {
  return repoModule().listVersions(repoDir, name);
}

/** build.json of a stored package, or undefined. */
export function readBuildJson(repoDir: string, name: string, version: string): Record<string, unknown> | undefined {
  const p = path.join(repoDir, name, version, 'build.json');
  return fs.existsSync(p) ? (JSON.parse(fs.readFileSync(p, 'utf8')) as Record<string, unknown>) : undefined;
}
