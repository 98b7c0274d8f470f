import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SpkError } from './errors';
import { explainUnsatisfied, isVersionRange, parseVersionFilter, parseVersionRange } from './range';

describe('parseVersionRange', () => {
  test('displays rules normalized and sorted; empty is *', () => {
    assert.equal(parseVersionRange('<2,>=1.5').toString(), '<2.0.0,>=1.5.0');
    assert.equal(parseVersionRange('').toString(), '*');
    assert.equal(parseVersionRange('!=1.0').toString(), '!=1.0');
    assert.equal(parseVersionRange('~1.2').toString(), '~1.2');
    assert.equal(parseVersionRange('API:1.2').toString(), 'API:1.2.0');
  });

  test('parse simplifies, request filters keep every rule', () => {
    assert.equal(parseVersionRange('>=1.0,>=3.0,>=2.0').toString(), '>=3.0.0');
    assert.equal(parseVersionFilter('2019,2020').toString(), '2019.0.0,2020.0.0');
    assert.equal(parseVersionFilter('').toString(), '');
    assert.ok(parseVersionFilter('').isEmpty());
  });

  test('tags and comma lists disambiguate like spk', () => {
    const r = parseVersionFilter('>=1.0-a.1,b.2,<2');
    assert.equal(r.rules.length, 2);
    assert.equal(r.toString(), '<2.0.0,>=1.0.0-a.1,b.2');
  });

  test('malformed ranges throw SpkError kind range with position', () => {
    const cases: Array<[string, number]> = [
      ['~2', 1],
      ['>= 1.0', 2],
      ['1.0,', 4],
      ['Binary1.0', 6],
      ['1.*.*', 2],
      ['abc', 0],
      ['1.0 ', 3],
    ];
    for (const [input, position] of cases) {
      assert.throws(
        () => parseVersionRange(input),
        (e: unknown) => e instanceof SpkError && e.kind === 'range' && e.position === position,
        input,
      );
    }
    assert.ok(!isVersionRange('=='));
    assert.ok(isVersionRange('*.2'));
  });
});

describe('matching', () => {
  test('~ excludes pre-releases of its upper bound (minus epsilon)', () => {
    const r = parseVersionRange('~1.2.3');
    assert.ok(r.isApplicable('1.2.9'));
    assert.ok(!r.isApplicable('1.3.0-a.1'));
    assert.ok(parseVersionRange('^1.2.3').isApplicable('2.0.0-a.1'));
  });

  test('plain versions need binary compatibility by default, API: only API compatibility', () => {
    assert.ok(parseVersionRange('3.7.1').isSatisfiedBy('3.7.5'));
    assert.ok(!parseVersionRange('3.7.1').isSatisfiedBy('3.8.0'));
    assert.ok(parseVersionRange('3.7.1').isSatisfiedBy('3.8.0', 'x.a.b', 'API'));
    assert.ok(parseVersionRange('API:3.7.1').isSatisfiedBy('3.8.0'));
    assert.ok(parseVersionRange('3.7').isSatisfiedBy('3.8.0', 'x.ab'));
    // isApplicable ignores compat entirely.
    assert.ok(parseVersionRange('3.7.1').isApplicable('9.0'));
  });

  test('explainUnsatisfied gives a reason only when unsatisfied', () => {
    assert.equal(explainUnsatisfied('>=1.0', '1.5'), undefined);
    assert.match(explainUnsatisfied('>=1.0', '0.5') ?? '', /not >= 1\.0\.0/);
    assert.match(explainUnsatisfied('Binary:1.2.3', '1.3.0') ?? '', /pos 2 \(Minor\): has 3, requires 2/);
    assert.match(explainUnsatisfied('1.*', '2.0') ?? '', /position 1 \(Major\)/);
  });

  test('bounds', () => {
    const r = parseVersionRange('>=1.2,<3');
    assert.equal(r.greaterOrEqualTo()?.toString(), '1.2.0');
    assert.equal(r.lessThan()?.toString(), '3.0.0');
    assert.equal(parseVersionRange('>2').greaterOrEqualTo()?.epsilon, 1);
    assert.equal(parseVersionRange('*').lessThan(), undefined);
  });
});

describe('restrict (request merge)', () => {
  test('keeps compat rules side by side, folds comparisons', () => {
    assert.equal(parseVersionFilter('2019').restrict('2020').toString(), '2019.0.0,2020.0.0');
    assert.equal(parseVersionFilter('>1').restrict('>2').toString(), '>2.0.0');
    assert.equal(parseVersionFilter('Binary:1.2.3').restrict('=1.2.3').toString(), '=1.2.3');
  });
  test('non-intersecting ranges throw unless allowed', () => {
    assert.throws(() => parseVersionFilter('=1.0').restrict('=2.0'), (e: unknown) => e instanceof SpkError && e.kind === 'range');
    assert.equal(parseVersionFilter('=1.0').restrict('=2.0', true).toString(), '=1.0.0,=2.0.0');
  });
  test('contains / intersects on filters', () => {
    assert.ok(parseVersionRange('>=1.0,<=3.0').contains('=2.0'));
    assert.ok(!parseVersionRange('>=1.0,<=3.0').intersects('>=4'));
    assert.ok(parseVersionRange('!=1.2.0').intersects('=1.2.1'));
  });
});
