import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SpkError } from './errors';
import { TagSet, Version, compareVersions, isVersion, parseVersion, scanVersionAt } from './version';

describe('parseVersion', () => {
  test('display pads to 3 parts, written form keeps precision', () => {
    assert.equal(parseVersion('1').toString(), '1.0.0');
    assert.equal(parseVersion('1').toAltString(), '1');
    assert.equal(parseVersion('1.2.3.4').toString(), '1.2.3.4');
    assert.equal(parseVersion('1.2-b.1,a.2+r.1').toString(), '1.2.0-a.2,b.1+r.1');
    assert.equal(parseVersion('1.2.3+r.1').base, '1.2.3');
  });

  test('spk parse_version quirks: empty is 0.0.0, dangling tag separators are accepted', () => {
    assert.deepEqual([...parseVersion('').parts], []);
    assert.equal(parseVersion('').toString(), '0.0.0');
    assert.ok(parseVersion('1.0-').pre.isEmpty());
    assert.equal(parseVersion('01.2').toString(), '1.2.0');
  });

  test('errors are SpkError kind version with the offending position', () => {
    const cases: Array<[string, number]> = [
      ['1.x', 2],
      ['1..2', 2],
      ['1.2-alpha', 4],
      ['1.2-a.1,a.2', 8],
      ['1.2-a!.1', 5],
      ['4294967296', 0],
    ];
    for (const [input, position] of cases) {
      assert.throws(
        () => parseVersion(input),
        (e: unknown) => e instanceof SpkError && e.kind === 'version' && e.input === input && e.position === position,
        input,
      );
    }
    assert.equal(isVersion('1.0+post.1-pre.2'), false);
    assert.equal(isVersion('4294967295'), true);
  });

  test('is idempotent on Version values', () => {
    const v = parseVersion('1.2');
    assert.equal(parseVersion(v), v);
  });
});

describe('ordering', () => {
  test('pre-releases sort below the release, posts above', () => {
    const sorted = ['1.0.0+r.1', '1.0.0', '1.0.0-rc.1', '0.9', '1.0.0-alpha.1', '1.0.1'].map((s) => parseVersion(s));
    sorted.sort((a, b) => a.compare(b));
    assert.deepEqual(
      sorted.map((v) => v.toAltString()),
      ['0.9', '1.0.0-alpha.1', '1.0.0-rc.1', '1.0.0', '1.0.0+r.1', '1.0.1'],
    );
  });

  test('epsilon bounds sit just below / above every version with the same parts', () => {
    const base = parseVersion('1.3');
    assert.ok(base.minusEpsilon().lt(parseVersion('1.3.0-a.0')));
    assert.ok(base.minusEpsilon().gt(parseVersion('1.2.99+r.5')));
    assert.ok(base.plusEpsilon().gt(parseVersion('1.3.0+r.99')));
    assert.ok(!base.plusEpsilon().equals(base));
    assert.equal(base.minusEpsilon().toString(), '1.3.0-ε');
  });

  test('compareVersions and equals accept strings', () => {
    assert.equal(compareVersions('1.10', '1.9'), 1);
    assert.equal(compareVersions('1.0.0.0', '1'), 0);
    assert.ok(parseVersion('2').equals('2.0.0'));
    assert.ok(!parseVersion('2+r.1').equals('2'));
  });

  test('TagSet.compare is the raw set order (empty smallest)', () => {
    assert.equal(TagSet.compare(TagSet.EMPTY, new TagSet({ a: 0 })), -1);
    assert.equal(TagSet.compare(new TagSet({ b: 0 }), new TagSet({ a: 5 })), 1);
    assert.equal(new TagSet([['z', 1], ['a', 2]]).toString(), 'a.2,z.1');
  });
});

describe('scanVersionAt (range context)', () => {
  test('tag names need a letter, so a comma can start the next rule', () => {
    const r = scanVersionAt('1.0-a.1,2.0', 0);
    assert.ok(r);
    assert.equal(r.end, 7);
    assert.equal(r.version.toString(), '1.0.0-a.1');
  });
  test('a dot must be followed by digits (hard error)', () => {
    assert.throws(() => scanVersionAt('1.', 0), SpkError);
    assert.equal(scanVersionAt('x', 0), undefined);
  });
  test('isPrerelease / isZero', () => {
    assert.ok(parseVersion('1-a.1').isPrerelease());
    assert.ok(new Version([0, 0]).isZero());
  });
});
