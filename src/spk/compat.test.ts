import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SpkError } from './errors';
import { DEFAULT_COMPAT, parseCompat } from './compat';

// One case per row (spk's rstest `#[case]` style), so a failure names its case.

describe('compatibility', () => {
  const CASES: Array<{ name: string; compat: string; kind: 'API' | 'Binary'; base: string; other: string; want: boolean }> = [
    { name: 'default x.a.b API: same major, minor >=', compat: 'x.a.b', kind: 'API', base: '3.7.1', other: '3.9.0', want: true },
    { name: 'default x.a.b API: lower minor is not', compat: 'x.a.b', kind: 'API', base: '3.7.1', other: '3.6.9', want: false },
    { name: 'default x.a.b API: other major is not', compat: 'x.a.b', kind: 'API', base: '3.7.1', other: '4.0.0', want: false },
    { name: 'default x.a.b Binary: same major.minor, patch >=', compat: 'x.a.b', kind: 'Binary', base: '3.7.1', other: '3.7.5', want: true },
    { name: 'default x.a.b Binary: other minor is not', compat: 'x.a.b', kind: 'Binary', base: '3.7.1', other: '3.8.0', want: false },
    { name: 'post rule set b allows a post-release for Binary', compat: 'x.x.x+b', kind: 'Binary', base: '1.0.0', other: '1.0.0+r.2', want: true },
    { name: 'post rule set b refuses a post-release for API', compat: 'x.x.x+b', kind: 'API', base: '1.0.0', other: '1.0.0+r.2', want: false },
    { name: 'no post rule set: post-release ignored', compat: 'x.x.x', kind: 'API', base: '1.0.0', other: '1.0.0+r.2', want: true },
    { name: 'pre rule set x: other pre-release incompatible', compat: 'x.x.x-x', kind: 'API', base: '1.0.0-a.1', other: '1.0.0-a.2', want: false },
  ];
  for (const c of CASES) {
    test(c.name, () => {
      const compat = c.compat === 'x.a.b' ? DEFAULT_COMPAT : parseCompat(c.compat);
      assert.equal(c.kind === 'API' ? compat.isApiCompatible(c.base, c.other) : compat.isBinaryCompatible(c.base, c.other), c.want);
    });
  }
});

describe('check() explains incompatibility', () => {
  const CASES: Array<{ name: string; base: string; other: string; kind: 'API' | 'Binary'; want: RegExp | undefined }> = [
    { name: 'compatible: no explanation', base: '1.2.3', other: '1.2.4', kind: 'Binary', want: undefined },
    { name: 'major differs', base: '1.2.3', other: '2.0.0', kind: 'API', want: /pos 1 \(Major\)/ },
    { name: 'minor lower', base: '1.2.3', other: '1.1.0', kind: 'API', want: /1 < 2/ },
  ];
  for (const c of CASES) {
    test(c.name, () => {
      const got = DEFAULT_COMPAT.check(c.base, c.other, c.kind);
      if (c.want === undefined) assert.equal(got, undefined);
      else assert.match(got ?? '', c.want);
    });
  }
});

describe('display', () => {
  const CASES: Array<{ name: string; got: () => string; want: string }> = [
    { name: 'default is x.a.b', got: () => DEFAULT_COMPAT.toString(), want: 'x.a.b' },
    { name: 'letter order normalized', got: () => parseCompat('x.ba').toString(), want: 'x.ab' },
    { name: 'pre/post kept', got: () => parseCompat('x.x.x-x+ab').toString(), want: 'x.x.x-x+ab' },
    { name: 'render pads to the compat length', got: () => parseCompat('x.x.x.x').render('1.2'), want: '~1.2.0.0' },
  ];
  for (const c of CASES) test(c.name, () => assert.equal(c.got(), c.want));
});

describe('malformed compat throws SpkError kind compat with position', () => {
  const CASES: Array<{ name: string; input: string; position: number }> = [
    { name: 'empty', input: '', position: 0 },
    { name: 'trailing dot', input: 'x.', position: 2 },
    { name: 'unknown letter', input: 'x.a.q', position: 4 },
    { name: 'trailing space', input: 'x.a.b ', position: 5 },
    { name: 'empty pre rule set', input: 'x.a.b-', position: 6 },
  ];
  for (const c of CASES) {
    test(`${c.name}: ${JSON.stringify(c.input)}`, () =>
      assert.throws(() => parseCompat(c.input), (e: unknown) => e instanceof SpkError && e.kind === 'compat' && e.position === c.position));
  }
});
