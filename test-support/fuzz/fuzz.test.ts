/**
 * Fast fuzz subset (part of `npm test`; the long run is `npm run fuzz`, test-support/fuzz/long.ts).
 * Every parser of the reading layer gets random and corpus-mutated inputs from fixed seeds, so
 * the run is reproducible; each input must end as a valid result (checked by the target's
 * invariants, e.g. round-trips) or a SpkError / reported problem, within 10 s (a hang detector, not a benchmark).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSeeds } from './corpus';
import { runFuzz } from './run';
import { TARGETS } from './targets';

test('the seed corpus is loaded (vectors, recipes, workspace files)', () => {
  const seeds = loadSeeds();
  assert.ok(seeds.strings.length > 150, `only ${seeds.strings.length} seed strings`);
  assert.ok(seeds.recipes.length > 30, `only ${seeds.recipes.length} seed recipes`);
  assert.ok(seeds.workspaces.length >= 2, `only ${seeds.workspaces.length} seed workspace files`);
});

for (const seed of [20251128, 7]) {
  test(`every parser, random and mutated inputs (seed ${seed})`, () => {
    // 10 s: a hang detector, not a benchmark (npm test runs files in parallel on 2 cores).
    const report = runFuzz({ seed, baseIterations: 30, slowMs: 10_000 });
    const lines = report.failures.map((f) => `${f.target} #${f.iteration}: ${f.message.slice(0, 300)}\n  input: ${JSON.stringify(f.input.slice(0, 300))}`);
    assert.deepEqual(lines, []);
    // Every target ran, and the mutations reach both outcomes (otherwise the fuzzer is blind).
    for (const t of TARGETS) {
      const s = report.perTarget[t.name];
      assert.ok(s && s.inputs > 0, `${t.name} got no inputs`);
      assert.ok(s.ok + s.rejected === s.inputs);
    }
    const accepted = Object.values(report.perTarget).reduce((a, s) => a + s.ok, 0);
    const rejected = Object.values(report.perTarget).reduce((a, s) => a + s.rejected, 0);
    assert.ok(accepted > 100 && rejected > 100, `accepted ${accepted}, rejected ${rejected}`);
  });
}
