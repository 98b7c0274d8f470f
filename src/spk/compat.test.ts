import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpkError } from './errors';
import { DEFAULT_COMPAT, parseCompat } from './compat';

test('default compat x.a.b: API = same major, minor >=; Binary = same major.minor, patch >=', () => {
  assert.equal(DEFAULT_COMPAT.toString(), 'x.a.b');
  assert.ok(DEFAULT_COMPAT.isApiCompatible('3.7.1', '3.9.0'));
  assert.ok(!DEFAULT_COMPAT.isApiCompatible('3.7.1', '3.6.9'));
  assert.ok(!DEFAULT_COMPAT.isApiCompatible('3.7.1', '4.0.0'));
  assert.ok(DEFAULT_COMPAT.isBinaryCompatible('3.7.1', '3.7.5'));
  assert.ok(!DEFAULT_COMPAT.isBinaryCompatible('3.7.1', '3.8.0'));
});

test('pre/post rule sets only matter when numeric parts are equal', () => {
  const c = parseCompat('x.x.x+b');
  assert.ok(c.isBinaryCompatible('1.0.0', '1.0.0+r.2'));
  assert.ok(!c.isApiCompatible('1.0.0', '1.0.0+r.2'));
  assert.ok(parseCompat('x.x.x').isApiCompatible('1.0.0', '1.0.0+r.2'));
  assert.ok(!parseCompat('x.x.x-x').isApiCompatible('1.0.0-a.1', '1.0.0-a.2'));
});

test('check() explains incompatibility', () => {
  assert.equal(DEFAULT_COMPAT.check('1.2.3', '1.2.4', 'Binary'), undefined);
  assert.match(DEFAULT_COMPAT.check('1.2.3', '2.0.0', 'API') ?? '', /pos 1 \(Major\)/);
  assert.match(DEFAULT_COMPAT.check('1.2.3', '1.1.0', 'API') ?? '', /1 < 2/);
});

test('parse normalizes letter order and keeps pre/post', () => {
  assert.equal(parseCompat('x.ba').toString(), 'x.ab');
  assert.equal(parseCompat('x.x.x-x+ab').toString(), 'x.x.x-x+ab');
  assert.equal(parseCompat('x.x.x.x').render('1.2'), '~1.2.0.0');
});

test('malformed compat throws SpkError kind compat with position', () => {
  for (const [input, pos] of [['', 0], ['x.', 2], ['x.a.q', 4], ['x.a.b ', 5], ['x.a.b-', 6]] as const) {
    assert.throws(
      () => parseCompat(input),
      (e: unknown) => e instanceof SpkError && e.kind === 'compat' && e.position === pos,
      input,
    );
  }
});
