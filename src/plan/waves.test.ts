import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { computeWaves, cyclePaths } from './waves';

function edges(map: Record<string, string[]>) {
  return (n: string) => map[n] ?? [];
}

describe('computeWaves', () => {
  const diamond = { 'top@1': ['left@1', 'right@1'], 'left@1': ['base@1'], 'right@1': ['base@1'], 'base@1': [] };

  test('diamond: base, then left+right, then top', () => {
    const r = computeWaves(Object.keys(diamond), edges(diamond));
    assert.deepEqual(r.waves, [['base@1'], ['left@1', 'right@1'], ['top@1']]);
    assert.equal(r.cyclicWave, undefined);
    assert.deepEqual(r.cycles, []);
  });

  test('published nodes removed: an edge into a published node holds nothing back', () => {
    // base is published: left and right start in wave 1.
    const r = computeWaves(['top@1', 'left@1', 'right@1'], edges(diamond));
    assert.deepEqual(r.waves, [['left@1', 'right@1'], ['top@1']]);
  });

  test('only the top to build: one wave', () => {
    assert.deepEqual(computeWaves(['top@1'], edges(diamond)).waves, [['top@1']]);
  });

  test('nothing to build: no waves', () => {
    assert.deepEqual(computeWaves([], edges(diamond)).waves, []);
  });

  test('within a wave: package name, then spk version order', () => {
    const r = computeWaves(['b@1.10', 'b@1.9', 'a@2', 'b@1.9.0'], edges({}));
    assert.deepEqual(r.waves, [['a@2', 'b@1.9', 'b@1.9.0', 'b@1.10']]);
  });

  test('every edge goes to an earlier wave (chain + diamond + independent)', () => {
    const g: Record<string, string[]> = {
      'c@1': ['b@1'], 'b@1': ['a@1'], 'a@1': [], 'x@1': [], 'y@1': ['x@1', 'c@1'], 'z@1': ['y@1', 'a@1'],
    };
    const r = computeWaves(Object.keys(g), edges(g));
    const waveOf = new Map<string, number>();
    r.waves.forEach((w, i) => w.forEach((n) => waveOf.set(n, i)));
    assert.equal(waveOf.size, 6);
    for (const [n, ds] of Object.entries(g)) for (const d of ds) assert.ok(waveOf.get(d)! < waveOf.get(n)!, `${d} before ${n}`);
    assert.deepEqual(r.waves, [['a@1', 'x@1'], ['b@1'], ['c@1'], ['y@1'], ['z@1']]);
  });

  test('duplicate edges do not double count', () => {
    const r = computeWaves(['a@1', 'b@1'], (n) => (n === 'b@1' ? ['a@1', 'a@1'] : []));
    assert.deepEqual(r.waves, [['a@1'], ['b@1']]);
  });

  test('a cycle: the rest is ordered, the cycle and what waits on it go to a final marked wave', () => {
    const g = { 'a@1': [], 'b@1': ['a@1', 'd@1'], 'c@1': ['b@1'], 'd@1': ['c@1'], 'e@1': ['d@1'], 'f@1': ['a@1'] };
    const r = computeWaves(Object.keys(g), edges(g));
    assert.deepEqual(r.waves, [['a@1'], ['f@1'], ['b@1', 'c@1', 'd@1', 'e@1']]);
    assert.equal(r.cyclicWave, 3);
    assert.deepEqual(r.cycles, [['b@1', 'd@1', 'c@1', 'b@1']]);
  });

  test('a cycle through a published node is no cycle in the plan', () => {
    const g = { 'a@1': ['b@1'], 'b@1': ['a@1'] };
    assert.deepEqual(computeWaves(['a@1'], edges(g)).waves, [['a@1']]);
  });
});

describe('cyclePaths', () => {
  test('self loop', () => {
    assert.deepEqual(cyclePaths(new Set(['a@1']), () => ['a@1']), [['a@1', 'a@1']]);
  });

  test('two separate cycles, shortest path each, sorted', () => {
    const g: Record<string, string[]> = { 'x@1': ['y@1'], 'y@1': ['x@1'], 'a@1': ['b@1'], 'b@1': ['c@1', 'a@1'], 'c@1': ['a@1'] };
    assert.deepEqual(cyclePaths(new Set(Object.keys(g)), edges(g)), [['a@1', 'b@1', 'a@1'], ['x@1', 'y@1', 'x@1']]);
  });

  test('deep chains do not overflow the stack', () => {
    const n = 20000;
    const next = (s: string) => {
      const i = Number(s.slice(2, -2));
      return [`p-${(i + 1) % n}@1`];
    };
    const nodes = new Set(Array.from({ length: n }, (_, i) => `p-${i}@1`));
    const cycles = cyclePaths(nodes, next);
    assert.equal(cycles.length, 1);
    assert.equal(cycles[0].length, n + 1);
  });
});
