/**
 * Running the spk CLI: locating the binary (option `spkBin`, `$SPK_BIN`, `$PATH`) and starting it
 * in its own process group with signal forwarding and kill timers.
 *
 * Why here and not in src/spk: src/spk is the pure spk model (parsing and semantics, no processes,
 * no environment or filesystem reads). The argv builders stay there (src/spk/cli.ts); this module
 * is the one place that turns an argv into a running spk. It lives with the executors it was
 * written for; `nx-spk plan` (src/plan) and src/cli, which also run spk, import it from here, so
 * every caller shares one runner.
 */
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import path from 'node:path';
import { SpkError } from '../../src/spk/errors';
import { formatCommand, lsArgs, parseLsVersions, versionArgs, type LsScope } from '../../src/spk/cli';

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
