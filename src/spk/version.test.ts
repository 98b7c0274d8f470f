import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SpkError } from './errors';
import { TagSet, Version, compareVersions, isVersion, parseVersion, scanVersionAt } from './version';

// One case per row (spk's rstest `#[case]` style), so a failure names its case.

describe('parseVersion display', () => {
  const CASES: Array<{ name: string; got: () => unknown; want: unknown }> = [
    { name: 'display pads to 3 parts', got: () => parseVersion('1').toString(), want: '1.0.0' },
    { name: 'written form keeps precision', got: () => parseVersion('1').toAltString(), want: '1' },
    { name: 'more than 3 parts kept', got: () => parseVersion('1.2.3.4').toString(), want: '1.2.3.4' },
    { name: 'tags sorted by name', got: () => parseVersion('1.2-b.1,a.2+r.1').toString(), want: '1.2.0-a.2,b.1+r.1' },
    { name: 'base drops the tags', got: () => parseVersion('1.2.3+r.1').base, want: '1.2.3' },
    // spk parse_version quirks
    { name: 'quirk: empty has no parts', got: () => [...parseVersion('').parts], want: [] },
    { name: 'quirk: empty is 0.0.0', got: () => parseVersion('').toString(), want: '0.0.0' },
    { name: 'quirk: dangling tag separator is accepted', got: () => parseVersion('1.0-').pre.isEmpty(), want: true },
    { name: 'quirk: leading zero accepted', got: () => parseVersion('01.2').toString(), want: '1.2.0' },
    { name: 'pre and post tags together are not a version', got: () => isVersion('1.0+post.1-pre.2'), want: false },
    { name: 'u32 max is a version', got: () => isVersion('4294967295'), want: true },
  ];
  for (const c of CASES) test(c.name, () => assert.deepEqual(c.got(), c.want));

  test('is idempotent on Version values', () => {
    const v = parseVersion('1.2');
    assert.equal(parseVersion(v), v);
  });
});

describe('parseVersion errors are SpkError kind version with the offending position', () => {
  const CASES: Array<{ name: string; input: string; position: number }> = [
    { name: 'non-digit part', input: '1.x', position: 2 },
    { name: 'empty part', input: '1..2', position: 2 },
    { name: 'tag without number', input: '1.2-alpha', position: 4 },
    { name: 'duplicate tag', input: '1.2-a.1,a.2', position: 8 },
    { name: 'bad tag character', input: '1.2-a!.1', position: 5 },
    { name: 'part overflows u32', input: '4294967296', position: 0 },
  ];
  for (const c of CASES) {
    test(`${c.name}: ${JSON.stringify(c.input)}`, () =>
      assert.throws(
        () => parseVersion(c.input),
        (e: unknown) => e instanceof SpkError && e.kind === 'version' && e.input === c.input && e.position === c.position,
      ));
  }
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

  const base = parseVersion('1.3');
  const CASES: Array<{ name: string; got: () => unknown; want: unknown }> = [
    { name: 'epsilon: minus sits below the first pre-release', got: () => base.minusEpsilon().lt(parseVersion('1.3.0-a.0')), want: true },
    { name: 'epsilon: minus sits above the previous post-release', got: () => base.minusEpsilon().gt(parseVersion('1.2.99+r.5')), want: true },
    { name: 'epsilon: plus sits above every post-release', got: () => base.plusEpsilon().gt(parseVersion('1.3.0+r.99')), want: true },
    { name: 'epsilon: plus is not the version', got: () => base.plusEpsilon().equals(base), want: false },
    { name: 'epsilon: display', got: () => base.minusEpsilon().toString(), want: '1.3.0-ε' },
    { name: 'compareVersions: numeric parts', got: () => compareVersions('1.10', '1.9'), want: 1 },
    { name: 'compareVersions: trailing zeros equal', got: () => compareVersions('1.0.0.0', '1'), want: 0 },
    { name: 'equals accepts strings', got: () => parseVersion('2').equals('2.0.0'), want: true },
    { name: 'equals sees post tags', got: () => parseVersion('2+r.1').equals('2'), want: false },
    { name: 'TagSet.compare: empty smallest', got: () => TagSet.compare(TagSet.EMPTY, new TagSet({ a: 0 })), want: -1 },
    { name: 'TagSet.compare: raw set order', got: () => TagSet.compare(new TagSet({ b: 0 }), new TagSet({ a: 5 })), want: 1 },
    { name: 'TagSet display sorted', got: () => new TagSet([['z', 1], ['a', 2]]).toString(), want: 'a.2,z.1' },
    { name: 'isPrerelease', got: () => parseVersion('1-a.1').isPrerelease(), want: true },
    { name: 'isZero', got: () => new Version([0, 0]).isZero(), want: true },
  ];
  for (const c of CASES) test(c.name, () => assert.equal(c.got(), c.want));
});

describe('scanVersionAt (range context)', () => {
  test('tag names need a letter, so a comma can start the next rule', () => {
    const r = scanVersionAt('1.0-a.1,2.0', 0);
    assert.ok(r);
    assert.equal(r.end, 7);
    assert.equal(r.version.toString(), '1.0.0-a.1');
  });
  test('a dot must be followed by digits (hard error)', () => assert.throws(() => scanVersionAt('1.', 0), SpkError));
  test('no digits: no version', () => assert.equal(scanVersionAt('x', 0), undefined));
});
