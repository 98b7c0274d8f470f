/**
 * Property tests of the version model (fast-check): total order, display round-trips, trailing-zero
 * equality, and "every parser either returns or throws SpkError, quickly" on random input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SpkError } from './errors';
import { TagSet, Version, parseVersion } from './version';
import { parseCompat } from './compat';
import { parseVersionFilter, parseVersionRange } from './range';
import { validateOptName, validatePkgName } from './name';
import { parseRangeIdent, parseRequest } from './request';
import { parseBuildOption } from './option';

const tagName = fc.stringMatching(/^[a-z][a-z0-9]{0,4}$/);
const tagSet = fc
  .uniqueArray(fc.tuple(tagName, fc.nat(20)), { maxLength: 3, selector: (t) => t[0] })
  .map((entries) => new TagSet(entries));
const version = fc
  .record({ parts: fc.array(fc.nat(12), { minLength: 1, maxLength: 5 }), pre: tagSet, post: tagSet })
  .map(({ parts, pre, post }) => new Version(parts, pre, post));

test('versions form a total order (antisymmetric, transitive, total)', () => {
  fc.assert(
    fc.property(version, version, version, (a, b, c) => {
      const ab = a.compare(b);
      // `-ab` is -0 for equal versions, and assert.equal is Object.is: compare with a plain 0 then.
      assert.equal(b.compare(a), ab === 0 ? 0 : (-ab as -1 | 1));
      assert.equal(ab === 0, a.equals(b));
      if (ab <= 0 && b.compare(c) <= 0) assert.ok(a.compare(c) <= 0);
    }),
    { numRuns: 2000 },
  );
});

test('display and written forms parse back to an equal version', () => {
  fc.assert(
    fc.property(version, (v) => {
      const fromDisplay = parseVersion(v.toString());
      const fromAlt = parseVersion(v.toAltString());
      assert.ok(fromDisplay.equals(v));
      assert.equal(fromDisplay.compare(v), 0);
      assert.deepEqual([...fromAlt.parts], [...v.parts]);
      assert.equal(fromAlt.toAltString(), v.toAltString());
      // Also through the range scanner (tag names here always contain a letter).
      assert.ok(parseVersionFilter(`=${v}`).isApplicable(v));
    }),
  );
});

test('equality and ordering ignore trailing zero parts', () => {
  fc.assert(
    fc.property(version, fc.integer({ min: 1, max: 4 }), (v, zeros) => {
      const padded = new Version([...v.parts, ...Array(zeros).fill(0)], v.pre, v.post);
      assert.ok(padded.equals(v));
      assert.equal(padded.compare(v), 0);
      assert.equal(padded.toString().length >= v.toString().length, true);
    }),
  );
});

const spkish = fc.stringMatching(/^[-a-zA-Z0-9.,:+*=<>!^~/{}\[\]_ ]{0,40}$/);
const anyText = fc.oneof(spkish, fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }));

const parsers: Array<[string, (s: string) => unknown]> = [
  ['parseVersion', parseVersion],
  ['parseVersionRange', parseVersionRange],
  ['parseVersionFilter', parseVersionFilter],
  ['parseCompat', parseCompat],
  ['parseRangeIdent', (s) => parseRangeIdent(s)],
  ['parseRequest(string)', (s) => parseRequest(s)],
  ['parseRequest(object)', (s) => parseRequest({ pkg: s, fromBuildEnv: s.length % 2 === 0 ? 'x.x' : undefined })],
  ['parseRequest(var)', (s) => parseRequest({ var: s })],
  ['validatePkgName', validatePkgName],
  ['validateOptName', validateOptName],
  ['parseBuildOption(pkg)', (s) => parseBuildOption({ pkg: s })],
  ['parseBuildOption(var)', (s) => parseBuildOption({ var: s, compat: s })],
];

for (const [name, parse] of parsers) {
  test(`${name}: random input gives a value or SpkError, never another exception`, () => {
    fc.assert(
      fc.property(anyText, (s) => {
        try {
          parse(s);
        } catch (e) {
          if (!(e instanceof SpkError)) throw e;
          assert.ok(e.message.trim().length > 0, 'a refusal says why');
        }
      }),
      { numRuns: 1500 },
    );
  });
}

test('parsers stay fast on long adversarial input (no catastrophic backtracking)', () => {
  const inputs = [
    '1.'.repeat(5000) + 'x',
    '1-a.1,'.repeat(3000) + '!',
    '>=1,'.repeat(3000) + '<',
    Array.from({ length: 99 }, (_, i) => `>=${i}`).join(','),
    Array.from({ length: 3000 }, (_, i) => `>=${i}`).join(','),
    'x.'.repeat(5000) + 'q',
    'a'.repeat(20000) + '/1',
    'pkg:{' + 'ab,'.repeat(3000),
    '1.0-' + 'a1'.repeat(10000),
  ];
  for (const s of inputs) {
    for (const [, parse] of parsers) {
      const t0 = Date.now();
      try {
        parse(s);
      } catch (e) {
        if (!(e instanceof SpkError)) throw e;
      }
      // a hang detector, not a benchmark: a quadratic blow-up on these inputs takes minutes
      assert.ok(Date.now() - t0 < 10_000, `no answer within 10 s on input of length ${s.length}`);
    }
  }
});
