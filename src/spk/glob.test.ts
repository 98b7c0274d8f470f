import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileGlob, expandGlob, isLiteralGlob, matchGlobSegments } from './glob';
import { SpkError } from './errors';

describe('compileGlob / matchGlobSegments (Rust glob crate rules)', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*.spk.yaml', 'a.spk.yaml', true],
    ['*.spk.yaml', '.hidden.spk.yaml', true], // require_literal_leading_dot = false
    ['*.spk.yaml', 'dir/a.spk.yaml', false], // `*` stays within one component
    ['**/*.spk.yaml', 'a.spk.yaml', true], // `**` = zero directories
    ['**/*.spk.yaml', 'a/b/c.spk.yaml', true],
    ['packages/**/*.spk.yaml', 'packages/x.spk.yaml', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['[ab]x', 'bx', true],
    ['[!ab]x', 'bx', false],
    ['[!ab]x', 'cx', true],
    ['[a-c]x', 'cx', true],
    ['[]]x', ']x', true],
    ['{a,b}.yaml', '{a,b}.yaml', true], // braces are literal
    ['{a,b}.yaml', 'a.yaml', false],
    ['A.yaml', 'a.yaml', false], // case-sensitive
  ];
  for (const [pattern, p, expected] of cases) {
    test(`${pattern} vs ${p} → ${expected}`, () => {
      assert.equal(matchGlobSegments(compileGlob(pattern), p.split('/')), expected);
    });
  }
  test('`**` that is not a whole component is an error', () => {
    assert.throws(() => compileGlob('packages/**.spk.yaml'), (e: unknown) => e instanceof SpkError && /single path component/.test(e.message));
    assert.throws(() => compileGlob('a**/b'), SpkError);
  });
  test('an unclosed `[` is an error', () => {
    assert.throws(() => compileGlob('a/[bc'), (e: unknown) => e instanceof SpkError && /invalid range pattern/.test(e.message));
  });
  test('isLiteralGlob', () => {
    assert.equal(isLiteralGlob('packages/python/python2.spk.yaml'), true);
    assert.equal(isLiteralGlob('packages/*/x.spk.yaml'), false);
  });
});

describe('expandGlob on disk', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-glob-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const f of ['a.spk.yaml', 'sub/b.spk.yaml', 'sub/deep/c.spk.yaml', '.hid/d.spk.yaml', '{x,y}.spk.yaml', 'sub/notes.txt']) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), 'x');
  }
  const rel = (ps: string[]) => ps.map((p) => path.relative(dir, p).split(path.sep).join('/'));
  test('recursive pattern, hidden dirs included, sorted', () => {
    assert.deepEqual(rel(expandGlob('**/*.spk.yaml', dir)), [
      '.hid/d.spk.yaml',
      'a.spk.yaml',
      'sub/b.spk.yaml',
      'sub/deep/c.spk.yaml',
      '{x,y}.spk.yaml',
    ]);
  });
  test('literal braces and literal paths', () => {
    assert.deepEqual(rel(expandGlob('{x,y}.spk.yaml', dir)), ['{x,y}.spk.yaml']);
    assert.deepEqual(rel(expandGlob('sub/b.spk.yaml', dir)), ['sub/b.spk.yaml']);
    assert.deepEqual(expandGlob('sub/missing.spk.yaml', dir), []);
  });
  test('absolute patterns stay absolute', () => {
    assert.deepEqual(rel(expandGlob(path.join(dir, 'sub', '*.spk.yaml'), '/nonexistent')), ['sub/b.spk.yaml']);
  });
});
