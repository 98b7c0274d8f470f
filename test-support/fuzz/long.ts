/**
 * The long fuzz run (`npm run fuzz`): every parser of the reading layer on many random and
 * mutated inputs, seed after seed, for a time budget. Prints a summary (inputs per target,
 * accepted / rejected, slowest input) and every failure; exits 1 when anything failed.
 *
 *   node dist/test-support/fuzz/long.js [--minutes 10] [--seed 1] [--seeds 1000] [--slow-ms 3000] [--out fuzz-failures.json]
 *
 * Each seed runs in its own child process with a 1.5 GB heap, so an input that crashes or
 * exhausts memory is reported (with the input that was running) instead of ending the run.
 * Every seed replays exactly (seeded PRNG): reproduce with `--seed N --seeds 1`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runFuzz, type FuzzReport, type TargetStats } from './run';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** Child: one seed; the current input is kept in `--current` so the parent can report a crash. */
function worker(): number {
  const seed = Number(arg('seed', '1'));
  const current = arg('current', '');
  const report = runFuzz({
    seed,
    baseIterations: Number(arg('iterations', '500')),
    slowMs: Number(arg('slow-ms', '2000')),
    bombs: arg('bombs', 'false') === 'true',
    timeBudgetMs: Number(arg('budget-ms', '600000')),
    onInput: current ? (target, iteration, input) => fs.writeFileSync(current, JSON.stringify({ target, iteration, input })) : undefined,
  });
  process.stdout.write(`${JSON.stringify(report)}\n`);
  return 0;
}

function main(): number {
  const minutes = Number(arg('minutes', process.env.NX_SPK_FUZZ_MINUTES ?? '10'));
  const firstSeed = Number(arg('seed', '1'));
  const seeds = Number(arg('seeds', '1000'));
  const slowMs = arg('slow-ms', '3000');
  const out = arg('out', 'fuzz-failures.json');
  const deadline = Date.now() + minutes * 60_000;
  const current = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-fuzz-')), 'current.json');
  const total: Record<string, TargetStats> = {};
  const failures: FuzzReport['failures'] = [];
  let runs = 0;
  for (let seed = firstSeed; seed < firstSeed + seeds && Date.now() < deadline; seed++) {
    const budget = Math.max(1000, deadline - Date.now());
    fs.rmSync(current, { force: true });
    const child = spawnSync(
      process.execPath,
      [
        '--max-old-space-size=1536',
        ...process.execArgv,
        __filename,
        '--worker', '--seed', String(seed), '--slow-ms', slowMs, '--bombs', String(seed === firstSeed),
        '--budget-ms', String(budget), '--current', current,
      ],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: budget + 120_000 },
    );
    runs++;
    let report: FuzzReport | undefined;
    try {
      report = JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as FuzzReport;
    } catch {
      report = undefined;
    }
    if (!report) {
      // The worker died: out of memory, a native crash, or the timeout (a hang).
      let last: { target: string; iteration: number; input: string } = { target: '?', iteration: -1, input: '' };
      try {
        last = JSON.parse(fs.readFileSync(current, 'utf8'));
      } catch {
        // nothing recorded
      }
      const why = child.error ? String(child.error.message) : `exit ${child.status}${child.signal ? ` (${child.signal})` : ''}`;
      const tail = (child.stderr ?? '').split('\n').filter((l) => l.trim() && !/^\s*\d+: 0x/.test(l)).slice(-3).join(' | ');
      failures.push({ ...last, seed, message: `${last.target}: the fuzz worker died (${why}): ${tail}` });
      process.stderr.write(`seed ${seed}: worker died (${why}) on ${last.target} #${last.iteration}\n`);
      continue;
    }
    for (const [name, s] of Object.entries(report.perTarget)) {
      const t = (total[name] ??= { inputs: 0, ok: 0, rejected: 0, slowestMs: 0 });
      t.inputs += s.inputs;
      t.ok += s.ok;
      t.rejected += s.rejected;
      t.slowestMs = Math.max(t.slowestMs, s.slowestMs);
    }
    failures.push(...report.failures);
    process.stderr.write(`seed ${seed}: ${report.inputs} inputs in ${report.elapsedMs} ms, ${report.failures.length} failures\n`);
  }
  const inputs = Object.values(total).reduce((a, t) => a + t.inputs, 0);
  console.log(`nx-spk fuzz: ${inputs} inputs over ${runs} seeds (from ${firstSeed}), ${failures.length} failures`);
  console.log('target            inputs   valid  rejected  slowest');
  for (const [name, t] of Object.entries(total).sort()) {
    console.log(`${name.padEnd(16)} ${String(t.inputs).padStart(7)} ${String(t.ok).padStart(7)} ${String(t.rejected).padStart(9)}  ${Math.round(t.slowestMs)} ms`);
  }
  fs.rmSync(path.dirname(current), { recursive: true, force: true });
  if (failures.length > 0) {
    fs.writeFileSync(out, JSON.stringify(failures, null, 2));
    for (const f of failures.slice(0, 20)) console.log(`FAIL ${f.target} (seed ${f.seed}, #${f.iteration}): ${f.message.slice(0, 400)}`);
    console.log(`all failures with their inputs: ${out}`);
    return 1;
  }
  return 0;
}

process.exitCode = process.argv.includes('--worker') ? worker() : main();
