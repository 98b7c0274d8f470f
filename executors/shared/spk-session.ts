/**
 * One executor run's way of calling spk: the resolved binary, cwd (Nx workspace root), extra env,
 * dry-run switch and interrupt guard in one place, so every step prints/runs commands the same way.
 */
import { formatCommand } from '../../src/spk/cli';
import { resolveSpkBin, runSpk, spkBinCandidate, type RunSpkResult } from './spk-process';
import type { InterruptGuard } from './interrupt';

export interface SpkSessionOptions {
  root: string;
  spkBin?: string;
  env: Record<string, string>;
  dryRun: boolean;
  guard?: InterruptGuard;
  /** Where progress lines go (default console.log, which Nx captures into the task output). */
  log?: (line: string) => void;
  killGraceMs?: number;
}

export class SpkSession {
  /** The binary as it is executed (resolved path) or, in a dry run, as configured. */
  readonly bin: string;
  /** The binary as the user configured it, for display. */
  readonly displayBin: string;
  readonly log: (line: string) => void;

  constructor(private readonly opts: SpkSessionOptions) {
    this.log = opts.log ?? ((line) => console.log(line));
    const candidate = spkBinCandidate(opts.spkBin);
    this.displayBin = candidate.bin;
    // A dry run must work without spk installed; a real run fails here, before any side effect,
    // with the one clear "spk binary not found" message.
    this.bin = opts.dryRun ? candidate.bin : resolveSpkBin(opts.spkBin, process.env, opts.root);
  }

  get dryRun(): boolean {
    return this.opts.dryRun;
  }

  get root(): string {
    return this.opts.root;
  }

  /** Aborted when the task is interrupted (undefined without a guard). */
  get signal(): AbortSignal | undefined {
    return this.opts.guard?.signal;
  }

  describe(args: readonly string[]): string {
    return formatCommand(this.displayBin, args);
  }

  /**
   * Runs spk (or, in a dry run, prints `[dry-run] <command>` and reports success).
   * `stream` = inherit stdio so Nx shows and caches spk's output.
   */
  async run(args: readonly string[], stream: boolean): Promise<RunSpkResult> {
    if (this.opts.dryRun) {
      this.log(`[dry-run] ${this.describe(args)}`);
      return { exitCode: 0, stdout: '', stderr: '' };
    }
    if (stream) this.log(`> ${this.describe(args)}`);
    return runSpk(this.bin, args, {
      cwd: this.opts.root,
      // spk resolves a relative `--workspace` against $PWD, not the process cwd
      // (crates/spk-workspace/src/file.rs), and nx may run from a subdirectory: PWD = cwd.
      env: { ...this.opts.env, PWD: this.opts.root },
      stream,
      signal: this.opts.guard?.signal,
      killGraceMs: this.opts.killGraceMs,
    });
  }
}

/** "exit 3" / "signal SIGTERM", for failure messages. */
export function describeExit(r: RunSpkResult): string {
  if (r.exitCode !== undefined) return `exit ${r.exitCode}`;
  return `signal ${r.signal ?? 'unknown'}`;
}
