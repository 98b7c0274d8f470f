/**
 * Which recipe-versions this `nx` invocation has already put into this machine's local spk
 * repository.
 *
 * Why: with the hand-off on, a task imports the archives of its build environment before it
 * builds, because a dependency may have been restored from the Nx cache (its archive is on disk,
 * its package is not in the local repository). A dependency *built by this same invocation on
 * this machine* was published to the local repository by its own `spk build`, so importing its
 * archive again only repeats work; on a deep graph that repetition is most of the run
 * (BENCHMARKS.md, schedule section). Nx runs each task in its own process, so the record is a
 * directory of marker files named after the invocation: the pid of the nx process that forked
 * the task (the last pid of `NX_INVOCATION_ANCESTOR_PIDS`, which Nx 24 sets for every task) and
 * that process's start time from /proc, so a reused pid is never taken for the same run.
 * Without both (an older Nx, no /proc) nothing is recorded and every archive is imported.
 *
 * Another invocation (a rerun after `spk clean`, another CI agent) has another identity, so it
 * never trusts this one's markers: its dependencies come from archives and are imported.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/** Start time of `pid` in clock ticks since boot (/proc/<pid>/stat field 22), or undefined. */
export function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // no such process, or no /proc (not Linux)
  }
  // The command name (field 2) is in parentheses and may contain spaces: count after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[19]; // field 22 overall = index 19 after pid and comm
  return start && /^\d+$/.test(start) ? start : undefined;
}

/** Parent directory of every invocation's record. */
export function runsDirectory(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return path.join(os.tmpdir(), `nx-spk-runs-${uid}`);
}

export class RunLocalPackages {
  constructor(readonly dir: string) {}

  private marker(project: string): string {
    return path.join(this.dir, encodeURIComponent(project));
  }

  has(project: string): boolean {
    return existsSync(this.marker(project));
  }

  /** Records that `project`'s package is now in the local repository (after its build published it). */
  add(project: string): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(this.marker(project), '');
  }

  private importMarker(key: string): string {
    return path.join(this.dir, '.imported', createHash('sha256').update(key).digest('hex'));
  }

  /** Whether this invocation already imported the archive identified by `key` on this machine. */
  imported(key: string): boolean {
    return existsSync(this.importMarker(key));
  }

  markImported(key: string): void {
    mkdirSync(path.join(this.dir, '.imported'), { recursive: true });
    writeFileSync(this.importMarker(key), '');
  }

  /**
   * Runs `fn` holding this invocation's import lock (a directory made with mkdir, atomic; its
   * owner pid inside). A lock whose owner process is gone is taken over: a killed task must not
   * block the rest of the run. Returns undefined when `signal` aborts while waiting.
   */
  async withImportLock<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T | undefined> {
    mkdirSync(this.dir, { recursive: true });
    const lock = path.join(this.dir, '.import.lock');
    for (;;) {
      if (signal?.aborted) return undefined;
      try {
        mkdirSync(lock);
        writeFileSync(path.join(lock, 'owner'), String(process.pid));
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        let owner = NaN;
        try {
          owner = Number(readFileSync(path.join(lock, 'owner'), 'utf8'));
        } catch {
          /* being created or removed right now: wait */
        }
        if (owner && !pidAlive(owner)) rmSync(lock, { recursive: true, force: true });
        else await delay(100);
      }
    }
    try {
      return await fn();
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The record of the invocation running this task, or undefined when the invocation cannot be
 * identified safely (then every archive is imported, as without this optimisation).
 */
export function runLocalPackages(workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): RunLocalPackages | undefined {
  const pids = (env.NX_INVOCATION_ANCESTOR_PIDS ?? '').split(',').filter((p) => /^\d+$/.test(p));
  const pid = Number(pids[pids.length - 1]);
  if (!pid) return undefined;
  const started = processStartTime(pid);
  if (!started) return undefined;
  const root = runsDirectory();
  const name = `${pid}-${started}`;
  const run = path.join(root, name);
  if (!existsSync(run)) removeFinishedRuns(root, name);
  // One invocation runs in one Nx workspace; keyed by it anyway, so nothing can leak between two.
  return new RunLocalPackages(path.join(run, createHash('sha256').update(path.resolve(workspaceRoot)).digest('hex').slice(0, 16)));
}

/** Deletes the records of invocations that have ended (their pid is gone or is another process now). */
function removeFinishedRuns(root: string, keep: string): void {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return; // nothing recorded yet
  }
  for (const entry of entries) {
    if (entry === keep) continue;
    const m = /^(\d+)-(\d+)$/.exec(entry);
    if (!m || processStartTime(Number(m[1])) === m[2]) continue;
    // Best effort: a record left behind only costs a few empty files in the temp dir, and a
    // concurrent task may be deleting the same one.
    rmSync(path.join(root, entry), { recursive: true, force: true });
  }
}
