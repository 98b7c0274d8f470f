import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SpkError } from './errors';
import { explainUnsatisfied, isVersionRange, parseVersionFilter, parseVersionRange } from './range';

// One case per row (spk's rstest `#[case]` style), so a failure names its case.

describe('parseVersionRange display', () => {
  const CASES: Array<{ name: string; input: string; filter?: boolean; want: string }> = [
    { name: 'rules normalized and sorted', input: '<2,>=1.5', want: '<2.0.0,>=1.5.0' },
    { name: 'empty range is *', input: '', want: '*' },
    { name: '!= keeps its written precision', input: '!=1.0', want: '!=1.0' },
    { name: '~ keeps its written precision', input: '~1.2', want: '~1.2' },
    { name: 'API: is normalized', input: 'API:1.2', want: 'API:1.2.0' },
    { name: 'parse simplifies comparisons to the tightest', input: '>=1.0,>=3.0,>=2.0', want: '>=3.0.0' },
    { name: 'request filter keeps every rule', input: '2019,2020', filter: true, want: '2019.0.0,2020.0.0' },
    { name: 'empty request filter displays empty', input: '', filter: true, want: '' },
    { name: 'tags and comma lists disambiguate like spk', input: '>=1.0-a.1,b.2,<2', filter: true, want: '<2.0.0,>=1.0.0-a.1,b.2' },
  ];
  for (const c of CASES) {
    test(c.name, () => assert.equal((c.filter ? parseVersionFilter(c.input) : parseVersionRange(c.input)).toString(), c.want));
  }

  test('empty request filter is empty', () => assert.ok(parseVersionFilter('').isEmpty()));
  test('a tag after a comma joins the rule before it (2 rules, not 3)', () => assert.equal(parseVersionFilter('>=1.0-a.1,b.2,<2').rules.length, 2));
});

describe('malformed ranges throw SpkError kind range with position', () => {
  const CASES: Array<{ name: string; input: string; position: number }> = [
    { name: '~ needs two parts', input: '~2', position: 1 },
    { name: 'space after operator', input: '>= 1.0', position: 2 },
    { name: 'trailing comma', input: '1.0,', position: 4 },
    { name: 'compat word without colon', input: 'Binary1.0', position: 6 },
    { name: 'wildcard twice', input: '1.*.*', position: 2 },
    { name: 'not a version', input: 'abc', position: 0 },
    { name: 'trailing space', input: '1.0 ', position: 3 },
  ];
  for (const c of CASES) {
    test(`${c.name}: ${JSON.stringify(c.input)}`, () =>
      assert.throws(
        () => parseVersionRange(c.input),
        (e: unknown) => e instanceof SpkError && e.kind === 'range' && e.position === c.position,
      ));
  }
});

describe('isVersionRange', () => {
  const CASES: Array<{ name: string; input: string; want: boolean }> = [
    { name: '== is not a range', input: '==', want: false },
    { name: 'leading wildcard is a range', input: '*.2', want: true },
  ];
  for (const c of CASES) test(c.name, () => assert.equal(isVersionRange(c.input), c.want));
});

describe('matching', () => {
  const APPLICABLE: Array<{ name: string; range: string; version: string; want: boolean }> = [
    { name: '~ accepts a later patch', range: '~1.2.3', version: '1.2.9', want: true },
    { name: '~ excludes pre-releases of its upper bound (minus epsilon)', range: '~1.2.3', version: '1.3.0-a.1', want: false },
    { name: '^ accepts a pre-release of its upper bound', range: '^1.2.3', version: '2.0.0-a.1', want: true },
    { name: 'isApplicable ignores compat entirely', range: '3.7.1', version: '9.0', want: true },
  ];
  for (const c of APPLICABLE) test(`isApplicable: ${c.name}`, () => assert.equal(parseVersionRange(c.range).isApplicable(c.version), c.want));

  const SATISFIED: Array<{ name: string; range: string; version: string; compat?: string; required?: 'API' | 'Binary'; want: boolean }> = [
    { name: 'plain version: binary compatible patch', range: '3.7.1', version: '3.7.5', want: true },
    { name: 'plain version: binary compatibility by default', range: '3.7.1', version: '3.8.0', want: false },
    { name: 'plain version asked for API compatibility', range: '3.7.1', version: '3.8.0', compat: 'x.a.b', required: 'API', want: true },
    { name: 'API: only needs API compatibility', range: 'API:3.7.1', version: '3.8.0', want: true },
    { name: 'compat of the candidate decides (x.ab)', range: '3.7', version: '3.8.0', compat: 'x.ab', want: true },
  ];
  for (const c of SATISFIED) {
    test(`isSatisfiedBy: ${c.name}`, () => {
      const r = parseVersionRange(c.range);
      const got = c.required ? r.isSatisfiedBy(c.version, c.compat, c.required) : c.compat ? r.isSatisfiedBy(c.version, c.compat) : r.isSatisfiedBy(c.version);
      assert.equal(got, c.want);
    });
  }

  const EXPLAIN: Array<{ name: string; range: string; version: string; want: RegExp | undefined }> = [
    { name: 'no reason when satisfied', range: '>=1.0', version: '1.5', want: undefined },
    { name: 'comparison', range: '>=1.0', version: '0.5', want: /not >= 1\.0\.0/ },
    { name: 'Binary: names the position', range: 'Binary:1.2.3', version: '1.3.0', want: /pos 2 \(Minor\): has 3, requires 2/ },
    { name: 'wildcard names the position', range: '1.*', version: '2.0', want: /position 1 \(Major\)/ },
  ];
  for (const c of EXPLAIN) {
    test(`explainUnsatisfied: ${c.name}`, () => {
      const got = explainUnsatisfied(c.range, c.version);
      if (c.want === undefined) assert.equal(got, undefined);
      else assert.match(got ?? '', c.want);
    });
  }

  const BOUNDS: Array<{ name: string; got: () => unknown; want: unknown }> = [
    { name: 'greaterOrEqualTo of >=1.2,<3', got: () => parseVersionRange('>=1.2,<3').greaterOrEqualTo()?.toString(), want: '1.2.0' },
    { name: 'lessThan of >=1.2,<3', got: () => parseVersionRange('>=1.2,<3').lessThan()?.toString(), want: '3.0.0' },
    { name: '>2 lower bound is 2 plus epsilon', got: () => parseVersionRange('>2').greaterOrEqualTo()?.epsilon, want: 1 },
    { name: '* has no upper bound', got: () => parseVersionRange('*').lessThan(), want: undefined },
  ];
  for (const c of BOUNDS) test(`bounds: ${c.name}`, () => assert.equal(c.got(), c.want));
});

describe('restrict (request merge)', () => {
  const CASES: Array<{ name: string; a: string; b: string; allow?: boolean; want: string }> = [
    { name: 'keeps compat rules side by side', a: '2019', b: '2020', want: '2019.0.0,2020.0.0' },
    { name: 'folds comparisons', a: '>1', b: '>2', want: '>2.0.0' },
    { name: 'an exact version inside Binary: wins', a: 'Binary:1.2.3', b: '=1.2.3', want: '=1.2.3' },
    { name: 'non-intersecting ranges kept when allowed', a: '=1.0', b: '=2.0', allow: true, want: '=1.0.0,=2.0.0' },
  ];
  for (const c of CASES) test(c.name, () => assert.equal(parseVersionFilter(c.a).restrict(c.b, c.allow).toString(), c.want));

  test('non-intersecting ranges throw unless allowed', () =>
    assert.throws(() => parseVersionFilter('=1.0').restrict('=2.0'), (e: unknown) => e instanceof SpkError && e.kind === 'range'));

  const SET: Array<{ name: string; got: () => boolean; want: boolean }> = [
    { name: 'contains a version inside', got: () => parseVersionRange('>=1.0,<=3.0').contains('=2.0'), want: true },
    { name: 'does not intersect a range beyond', got: () => parseVersionRange('>=1.0,<=3.0').intersects('>=4'), want: false },
    { name: '!= intersects another exact version', got: () => parseVersionRange('!=1.2.0').intersects('=1.2.1'), want: true },
  ];
  for (const c of SET) test(`contains/intersects: ${c.name}`, () => assert.equal(c.got(), c.want));
});
