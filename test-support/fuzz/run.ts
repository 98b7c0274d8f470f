/**
 * The fuzz runner shared by the fast test subset (`fuzz.test.ts`) and the long run (`long.ts`):
 * generates inputs per target from a seed, checks each, times each, and collects failures.
 */
import { SpkError } from '../../src/spk/errors';
import { loadSeeds } from './corpus';
import { Random } from './random';
import { bombInputs, FuzzFailure, TARGETS, type FuzzTarget } from './targets';

export interface TargetStats {
  inputs: number;
  ok: number;
  rejected: number;
  slowestMs: number;
}

export interface FuzzFinding {
  target: string;
  input: string;
  message: string;
  seed: number;
  iteration: number;
}

export interface FuzzReport {
  seed: number;
  inputs: number;
  elapsedMs: number;
  perTarget: Record<string, TargetStats>;
  failures: FuzzFinding[];
}

export interface FuzzRunOptions {
  seed: number;
  /** Iterations of a weight-1 target; a target of weight w gets w times as many. */
  baseIterations: number;
  /** Stop early after this long (ms). */
  timeBudgetMs?: number;
  /** One input slower than this is a failure (a hang in the making). */
  slowMs: number;
  targets?: readonly FuzzTarget[];
  /** Also run the known bomb shapes first. */
  bombs?: boolean;
  /** Called before each input is checked (the long run saves it, to report a crash). */
  onInput?: (target: string, iteration: number, input: string) => void;
}

function runOne(t: FuzzTarget, input: string, stats: TargetStats, slowMs: number): string | undefined {
  const start = performance.now();
  let failure: string | undefined;
  try {
    const outcome = t.check(input);
    if (outcome === 'ok') stats.ok++;
    else stats.rejected++;
  } catch (e) {
    failure = e instanceof FuzzFailure ? e.message : `${t.name}: check threw ${e instanceof SpkError ? 'SpkError' : (e as Error)?.constructor?.name}: ${String((e as Error)?.message ?? e)}`;
  }
  const ms = performance.now() - start;
  stats.inputs++;
  if (ms > stats.slowestMs) stats.slowestMs = ms;
  if (!failure && ms > slowMs) failure = `${t.name}: took ${Math.round(ms)} ms (limit ${slowMs} ms)`;
  return failure;
}

export function runFuzz(opts: FuzzRunOptions): FuzzReport {
  const seeds = loadSeeds();
  const targets = opts.targets ?? TARGETS;
  const start = performance.now();
  const report: FuzzReport = { seed: opts.seed, inputs: 0, elapsedMs: 0, perTarget: {}, failures: [] };
  const statsOf = (name: string) => (report.perTarget[name] ??= { inputs: 0, ok: 0, rejected: 0, slowestMs: 0 });
  if (opts.bombs) {
    for (const b of bombInputs()) {
      const t = targets.find((x) => x.name === b.target);
      if (!t) continue;
      opts.onInput?.(t.name, -1, b.input);
      const failure = runOne(t, b.input, statsOf(t.name), opts.slowMs);
      if (failure) report.failures.push({ target: t.name, input: b.input, message: `${b.label}: ${failure}`, seed: opts.seed, iteration: -1 });
    }
  }
  const deadline = opts.timeBudgetMs !== undefined ? start + opts.timeBudgetMs : Infinity;
  targets.forEach((t, ti) => {
    const rng = new Random(opts.seed * 7919 + ti);
    const n = Math.round(opts.baseIterations * t.weight);
    // Spread the time budget over the targets so a slow one cannot starve the others.
    const targetDeadline = Math.min(deadline, start + ((ti + 1) * (deadline - start)) / targets.length);
    for (let i = 0; i < n && performance.now() < targetDeadline; i++) {
      const input = t.generate(rng, seeds);
      opts.onInput?.(t.name, i, input);
      const failure = runOne(t, input, statsOf(t.name), opts.slowMs);
      if (failure) report.failures.push({ target: t.name, input, message: failure, seed: opts.seed, iteration: i });
    }
  });
  report.inputs = Object.values(report.perTarget).reduce((a, s) => a + s.inputs, 0);
  report.elapsedMs = Math.round(performance.now() - start);
  return report;
}
