/**
 * The long fuzz run (`npm run fuzz`): every parser of the reading layer on many random and
 * mutated inputs, several seeds, for a time budget. Prints a summary (inputs per target,
 * accepted / rejected, slowest input) and every failure; exits 1 when anything failed.
 *
 *   node dist/src/fuzz/long.js [--minutes 10] [--seed 1] [--seeds 20] [--slow-ms 2000] [--out fuzz-failures.json]
 *
 * Each seed replays exactly (the runner's PRNG is seeded), so a failure is reproduced with
 * `--seed N --seeds 1`.
 */
import * as fs from 'node:fs';
import { runFuzz, type FuzzReport } from './run';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function main(): number {
  const minutes = Number(arg('minutes', process.env.NX_SPK_FUZZ_MINUTES ?? '10'));
  const firstSeed = Number(arg('seed', '1'));
  const seeds = Number(arg('seeds', '1000'));
  const slowMs = Number(arg('slow-ms', '2000'));
  const out = arg('out', 'fuzz-failures.json');
  const deadline = Date.now() + minutes * 60_000;
  const total: Record<string, { inputs: number; ok: number; rejected: number; slowestMs: number }> = {};
  const failures: FuzzReport['failures'] = [];
  let runs = 0;
  for (let seed = firstSeed; seed < firstSeed + seeds && Date.now() < deadline; seed++) {
    const report = runFuzz({ seed, baseIterations: 500, slowMs, bombs: seed === firstSeed, timeBudgetMs: Math.max(1000, deadline - Date.now()) });
    runs++;
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
  if (failures.length > 0) {
    fs.writeFileSync(out, JSON.stringify(failures, null, 2));
    for (const f of failures.slice(0, 20)) console.log(`FAIL ${f.target} (seed ${f.seed}, #${f.iteration}): ${f.message.slice(0, 400)}`);
    console.log(`all failures with their inputs: ${out}`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
