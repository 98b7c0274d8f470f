import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inheritPins, pinStatementOf, type EffectivePins, type PinStatement } from './platform';

const pin = (pkg: string, version: string, source = 'requirements[0]'): PinStatement => ({ pkg, kind: 'pin', version, text: `${pkg}/${version}`, source });
const base = (from: string, pins: Array<[string, string]>): EffectivePins => ({
  pins: pins.map(([pkg, version]) => ({ pkg, version, from, source: 'requirements[0]' })),
  notes: [],
});
const show = (e: EffectivePins) => e.pins.map((p) => `${p.pkg}/${p.version}<${p.from}`);

describe('pinStatementOf: what one platform requirement entry says about pins', () => {
  const rows: Array<{ name: string; pkg: string; atBuild?: unknown; want: Partial<PinStatement> | undefined }> = [
    { name: 'a complete version is a pin', pkg: 'gcc/9.3.1', want: { pkg: 'gcc', kind: 'pin', version: '9.3.1' } },
    { name: 'a two-part version is a pin of that version, shown canonically', pkg: 'python/3.9', want: { kind: 'pin', version: '3.9.0' } },
    { name: 'a name alone says nothing about pins', pkg: 'gcc', want: undefined },
    { name: 'a range is not a pin', pkg: 'gcc/~9.3', want: { kind: 'range' } },
    { name: 'an exact-range operator is still a range', pkg: 'gcc/=9.3.1', want: { kind: 'range' } },
    { name: 'atBuild: false removes, whatever the pkg line names', pkg: 'gcc/9.3.1', atBuild: false, want: { kind: 'remove' } },
    { name: 'atBuild: false on a bare name removes', pkg: 'imath', atBuild: false, want: { pkg: 'imath', kind: 'remove' } },
    { name: 'an atBuild range does not make the pkg line a pin', pkg: 'gcc', atBuild: '~9.3.0', want: undefined },
  ];
  for (const r of rows) {
    test(r.name, () => {
      const got = pinStatementOf(r.pkg, r.atBuild, ['requirements', 0]);
      if (r.want === undefined) assert.equal(got, undefined);
      else for (const [k, v] of Object.entries(r.want)) assert.equal(got === undefined ? undefined : got[k as keyof typeof got], v, k);
    });
  }
});

describe('inheritPins: bases in order, then the platform\'s own statements', () => {
  const one = base('one@1', [['cmake', '3.20.0'], ['zlib', '1.2.13']]);
  const two = base('two@1', [['cmake', '3.21.0'], ['gcc', '9.3.1']]);
  const rows: Array<{ name: string; own: PinStatement[]; bases: EffectivePins[]; want: string[]; note?: RegExp }> = [
    { name: 'pins from two bases', own: [], bases: [one, two], want: ['cmake/3.21.0<two@1', 'gcc/9.3.1<two@1', 'zlib/1.2.13<one@1'] },
    { name: 'a later base replaces an earlier pin', own: [], bases: [two, one], want: ['cmake/3.20.0<one@1', 'gcc/9.3.1<two@1', 'zlib/1.2.13<one@1'] },
    { name: "the platform's own pin replaces both", own: [pin('cmake', '3.22.0')], bases: [one, two], want: ['cmake/3.22.0<me@1', 'gcc/9.3.1<two@1', 'zlib/1.2.13<one@1'] },
    {
      name: 'atBuild: false removes an inherited pin',
      own: [{ pkg: 'zlib', kind: 'remove', text: 'zlib', source: 'requirements[1]' }],
      bases: [one],
      want: ['cmake/3.20.0<one@1'],
      note: /requirements\[1\].*drops the pin zlib\/1\.2\.13 inherited from one@1/,
    },
    {
      name: 'a range is not a pin and keeps the inherited pin',
      own: [{ pkg: 'cmake', kind: 'range', text: 'cmake/~3.22', source: 'requirements[0]' }],
      bases: [one],
      want: ['cmake/3.20.0<one@1', 'zlib/1.2.13<one@1'],
      note: /'cmake\/~3\.22' is a range, not a pin/,
    },
    { name: 'the last own statement for a package wins', own: [pin('gcc', '1.0.0'), pin('gcc', '2.0.0', 'requirements[1]')], bases: [], want: ['gcc/2.0.0<me@1'] },
    { name: 'removing what no base pins says nothing', own: [{ pkg: 'qt', kind: 'remove', text: 'qt', source: 'requirements[0]' }], bases: [one], want: ['cmake/3.20.0<one@1', 'zlib/1.2.13<one@1'] },
  ];
  for (const r of rows) {
    test(r.name, () => {
      const got = inheritPins('me@1', r.own, r.bases);
      assert.deepEqual(show(got), r.want);
      if (r.note) assert.ok(got.notes.some((n) => r.note!.test(n)), got.notes.join('\n'));
      else assert.deepEqual(got.notes, []);
    });
  }
});
