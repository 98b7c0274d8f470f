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
  const ERRORS: Array<{ name: string; pattern: string; message?: RegExp }> = [
    { name: '`**` glued to a file pattern', pattern: 'packages/**.spk.yaml', message: /single path component/ },
    { name: '`**` glued to a directory name', pattern: 'a**/b' },
    { name: 'an unclosed `[`', pattern: 'a/[bc', message: /invalid range pattern/ },
  ];
  for (const c of ERRORS) {
    test(`error: ${c.name} (${c.pattern})`, () =>
      assert.throws(() => compileGlob(c.pattern), (e: unknown) => e instanceof SpkError && (c.message === undefined || c.message.test(e.message))));
  }
  const LITERAL: Array<{ name: string; pattern: string; want: boolean }> = [
    { name: 'a plain path', pattern: 'packages/python/python2.spk.yaml', want: true },
    { name: 'a path with *', pattern: 'packages/*/x.spk.yaml', want: false },
  ];
  for (const c of LITERAL) test(`isLiteralGlob: ${c.name}`, () => assert.equal(isLiteralGlob(c.pattern), c.want));
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
  const LITERALS: Array<{ name: string; pattern: string; want: string[] }> = [
    { name: 'literal braces', pattern: '{x,y}.spk.yaml', want: ['{x,y}.spk.yaml'] },
    { name: 'a literal path', pattern: 'sub/b.spk.yaml', want: ['sub/b.spk.yaml'] },
    { name: 'a missing literal path', pattern: 'sub/missing.spk.yaml', want: [] },
  ];
  for (const c of LITERALS) test(c.name, () => assert.deepEqual(rel(expandGlob(c.pattern, dir)), c.want));
  test('absolute patterns stay absolute', () => {
    assert.deepEqual(rel(expandGlob(path.join(dir, 'sub', '*.spk.yaml'), '/nonexistent')), ['sub/b.spk.yaml']);
  });
});
