/**
 * What our recipe YAML reader produces (or refuses) for the scalars and constructs where YAML
 * readers disagree, against spk's reading: serde_yaml 0.9 (spk's Cargo.toml: serde_yaml =
 * "0.9.25"). Facts cited per row:
 * - serde_yaml 0.9 src/de.rs `visit_untagged_str` (used by `deserialize_any`): empty, `~` and
 *   `null` are null (`parse_null`); only `true` and `false` are bools (`parse_bool`); `0x`/`0o`/
 *   `0b` prefixes and decimal text are numbers; `.inf`/`.nan` floats; anything else a string
 *   (so YAML 1.1's `off`/`on`/`yes`/`no` and YAML 1.2 core's `True`/`NULL` are strings).
 * - serde_yaml 0.9 src/de.rs `deserialize_str`: any scalar is visited as its text. spk's
 *   `Version` deserialises through it (crates/spk-schema/crates/foundation/src/version/mod.rs,
 *   `deserializer.deserialize_str(VersionVisitor)`), so `version: 3.10` is "3.10".
 * - spk's scalar-to-string fields (`Stringified` / `string_from_scalar`,
 *   crates/spk-schema/crates/foundation/src/option_map/mod.rs) go through `deserialize_any` and
 *   format the number with Rust's `to_string()`: `default: 3.10` is "3.1" to spk, `0x1F` is
 *   "31", `~` is "" (`visit_unit`). Our reader keeps the text in the data and the number in a
 *   side-table (yaml-number.ts); `stringified` is what `stringifiedAt` gives for the row's
 *   first key, i.e. what a `Stringified` field reads.
 * - Merge keys: serde_yaml 0.9 applies `<<` only through an explicit `Value::apply_merge`, which
 *   spk never calls; `SpecTemplate::from_file` (crates/spk-schema/src/spec.rs) reads the raw text
 *   as a `serde_yaml::Mapping`, where `<<` is an ordinary key.
 * - Duplicate keys: `serde_yaml::Mapping`'s Deserialize (src/mapping.rs) refuses a repeated key
 *   ("duplicate entry with key …"), and spk reads every recipe into a Mapping first (spec.rs).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SpkError } from './errors';
import { parseRawYaml, parseRenderedYaml, parseYaml } from './recipe-yaml';
import { fastYamlData } from './yaml-fast';
import { stringifiedAt } from './yaml-number';

interface Row {
  name: string;
  text: string;
  /** What our reader produces (both parsers, see the tests below). */
  want: unknown;
  /** What spk's `Stringified` fields read for the first key (option_map/mod.rs `StringifyVisitor`). */
  stringified?: string;
}

const SCALARS: Row[] = [
  { name: 'off is a string (not YAML 1.1 false)', text: 'a: off\n', want: { a: 'off' } },
  { name: 'on is a string', text: 'a: on\n', want: { a: 'on' } },
  { name: 'yes is a string', text: 'a: yes\n', want: { a: 'yes' } },
  { name: 'no is a string', text: 'a: no\n', want: { a: 'no' } },
  { name: 'true is a bool', text: 'a: true\n', want: { a: true } },
  { name: 'false is a bool', text: 'a: false\n', want: { a: false } },
  { name: 'True is a string (parse_bool is exact)', text: 'a: True\n', want: { a: 'True' } },
  { name: 'FALSE is a string', text: 'a: FALSE\n', want: { a: 'FALSE' } },
  { name: '~ is null', text: 'a: ~\n', want: { a: null }, stringified: '' },
  { name: 'null is null', text: 'a: null\n', want: { a: null }, stringified: '' },
  { name: 'empty value is null', text: 'a:\n', want: { a: null }, stringified: '' },
  { name: 'Null is a string (parse_null is exact)', text: 'a: Null\n', want: { a: 'Null' } },
  { name: 'NULL is a string', text: 'a: NULL\n', want: { a: 'NULL' } },
  { name: 'version 3.10 keeps its text (deserialize_str); Stringified visit_f64 gives 3.1', text: 'version: 3.10\n', want: { version: '3.10' }, stringified: '3.1' },
  { name: 'quoted "3.10" is the string', text: 'a: "3.10"\n', want: { a: '3.10' }, stringified: '3.10' },
  { name: "single-quoted '3.10' is the string", text: "a: '3.10'\n", want: { a: '3.10' }, stringified: '3.10' },
  { name: '1.0 is the float 1 (f64 Display)', text: 'a: 1.0\n', want: { a: '1.0' }, stringified: '1' },
  { name: '3 is the integer 3', text: 'a: 3\n', want: { a: '3' }, stringified: '3' },
  { name: '+12 is the integer 12 (parse_unsigned_int strips +)', text: 'a: +12\n', want: { a: '+12' }, stringified: '12' },
  { name: '-0x1F is -31 (parse_negative_int)', text: 'a: -0x1F\n', want: { a: '-0x1F' }, stringified: '-31' },
  { name: '0o17 is 15', text: 'a: 0o17\n', want: { a: '0o17' }, stringified: '15' },
  { name: '0b101 is 5 (serde_yaml, not YAML 1.2 core)', text: 'a: 0b101\n', want: { a: '0b101' }, stringified: '5' },
  { name: '0X1F is a string (the prefix is lowercase)', text: 'a: 0X1F\n', want: { a: '0X1F' }, stringified: '0X1F' },
  { name: '1_000 is a string (from_str_radix has no separators)', text: 'a: 1_000\n', want: { a: '1_000' }, stringified: '1_000' },
  { name: '.5 is 0.5 (Rust f64 grammar)', text: 'a: .5\n', want: { a: '.5' }, stringified: '0.5' },
  { name: '1e-7 is 0.0000001 (Display never uses an exponent)', text: 'a: 1e-7\n', want: { a: '1e-7' }, stringified: '0.0000001' },
  { name: '.inf is inf', text: 'a: .inf\n', want: { a: '.inf' }, stringified: 'inf' },
  { name: '-.inf is -inf', text: 'a: -.inf\n', want: { a: '-.inf' }, stringified: '-inf' },
  { name: '.nan is NaN', text: 'a: .nan\n', want: { a: '.nan' }, stringified: 'NaN' },
  { name: 'inf is a string (f64 parses it, but not finite)', text: 'a: inf\n', want: { a: 'inf' }, stringified: 'inf' },
  { name: '2^64 is a u128, printed in full', text: 'a: 18446744073709551616\n', want: { a: '18446744073709551616' }, stringified: '18446744073709551616' },
  { name: 'past u128 it is an f64', text: 'a: 1000000000000000000000000000000000000001\n', want: { a: '1000000000000000000000000000000000000001' }, stringified: '1000000000000000000000000000000000000000' },
  { name: 'true is "true" to Stringified (visit_bool)', text: 'a: true\n', want: { a: true }, stringified: 'true' },
  { name: 'a list of numbers: each one formatted', text: 'a: [3.10, 3.9]\n', want: { a: ['3.10', '3.9'] } },
  { name: '0x1F keeps its text; Stringified parse_unsigned_int gives 31', text: 'a: 0x1F\n', want: { a: '0x1F' }, stringified: '31' },
  { name: '1e3 keeps its text; Stringified f64 Display gives 1000', text: 'a: 1e3\n', want: { a: '1e3' }, stringified: '1000' },
  { name: '010 is a string (leading zero, YAML 1.2)', text: 'a: 010\n', want: { a: '010' }, stringified: '010' },
  { name: 'pkg: name/3.10 is a string', text: 'pkg: python/3.10\n', want: { pkg: 'python/3.10' }, stringified: 'python/3.10' },
  { name: 'true as a key reads "true"', text: 'true: 1\n', want: { true: '1' } },
];

const MERGE: Row[] = [
  { name: 'merge key << is an ordinary key, not merged', text: 'base: &b {k: 1}\nx:\n  <<: *b\n  j: 2\n', want: { base: { k: '1' }, x: { '<<': { k: '1' }, j: '2' } } },
  { name: 'merge key with a sequence of aliases is kept as written', text: 'a: &a {p: 1}\nb: &b {q: 2}\nc:\n  <<: [*a, *b]\n', want: { a: { p: '1' }, b: { q: '2' }, c: { '<<': [{ p: '1' }, { q: '2' }] } } },
];

describe('recipe YAML scalars as serde_yaml 0.9 reads them', () => {
  for (const c of [...SCALARS, ...MERGE]) {
    test(`canonical: ${c.name}`, () => assert.deepEqual(parseYaml(c.text, 'r.spk.yaml').data, c.want));
    test(`fast path agrees: ${c.name}`, () => {
      const raw = parseRawYaml(c.text, 'r.spk.yaml');
      assert.deepEqual(raw.data, c.want);
      assert.equal(raw.fastAgrees, true, 'js-yaml reads the raw text to the same data');
    });
  }

});

describe('Stringified fields read the number serde_yaml resolved (both parsers)', () => {
  const first = (data: unknown): [object, string] => [data as object, Object.keys(data as object)[0]];
  for (const c of SCALARS.filter((r) => r.stringified !== undefined)) {
    test(`canonical: ${c.name}`, () => assert.equal(stringifiedAt(...first(parseYaml(c.text, 'r.spk.yaml').data)), c.stringified));
    test(`fast path: ${c.name}`, () => {
      const fast = fastYamlData(c.text);
      assert.ok(fast, 'js-yaml reads it');
      assert.equal(stringifiedAt(...first(fast.data)), c.stringified);
    });
  }
  test('list items: [3.10, 3.9] is ["3.1", "3.9"] (Vec<Stringified>)', () => {
    for (const data of [parseYaml('a: [3.10, 3.9]\n', 'r.spk.yaml').data, fastYamlData('a: [3.10, 3.9]\n')!.data]) {
      const list = (data as { a: string[] }).a;
      assert.deepEqual(list.map((_x, i) => stringifiedAt(list, i)), ['3.1', '3.9']);
    }
  });
  test('an environment op value: 3.10 reads "3.1" (environ.rs `next_value::<Stringified>`; nx-spk reads no env ops yet)', () => {
    const text = 'install:\n  environment:\n    - set: PYVER\n      value: 3.10\n';
    for (const data of [parseYaml(text, 'r.spk.yaml').data, fastYamlData(text)!.data]) {
      const op = (data as { install: { environment: object[] } }).install.environment[0];
      assert.equal(stringifiedAt(op, 'value'), '3.1');
    }
  });
  test('an aliased number is a number at each place it is used', () => {
    const data = parseYaml('a: &x 3.10\nb: *x\n', 'r.spk.yaml').data as object;
    assert.deepEqual([stringifiedAt(data, 'a'), stringifiedAt(data, 'b')], ['3.1', '3.1']);
  });
});

describe('rendered versions take the same reading', () => {
  const RENDERED: Array<{ name: string; raw: string; rendered: string; want: unknown }> = [
    { name: 'a substituted True stays a string', raw: 'a: x\n', rendered: 'a: True\n', want: { a: 'True' } },
    { name: 'a substituted NULL stays a string', raw: 'a: x\n', rendered: 'a: NULL\n', want: { a: 'NULL' } },
    { name: 'a substituted off stays a string', raw: 'a: x\n', rendered: 'a: off\n', want: { a: 'off' } },
    { name: 'a substituted 3.10 keeps its text', raw: 'a: x\n', rendered: 'a: 3.10\n', want: { a: '3.10' } },
  ];
  test('a substituted 3.10 is still the number 3.1 to Stringified on the fast path', () => {
    const got = parseRenderedYaml('a: 3.10\n', parseRawYaml('a: x\n', 'r.spk.yaml'), 'r.spk.yaml');
    assert.equal(got.via, 'fast');
    assert.equal(stringifiedAt(got.data as object, 'a'), '3.1');
  });
  for (const c of RENDERED) {
    test(c.name, () => {
      const raw = parseRawYaml(c.raw, 'r.spk.yaml');
      const got = parseRenderedYaml(c.rendered, raw, 'r.spk.yaml');
      assert.equal(got.via, 'fast');
      assert.deepEqual(got.data, c.want);
    });
  }
});

describe('refused like serde_yaml::Mapping refuses', () => {
  const REFUSED: Array<{ name: string; text: string; line: number }> = [
    { name: 'duplicate top-level key', text: 'a: 1\na: 2\n', line: 2 },
    { name: 'duplicate nested key', text: 'build:\n  script: a\n  script: b\n', line: 3 },
    { name: 'duplicate key in a flow mapping', text: 'a: {b: 1, b: 2}\n', line: 1 },
  ];
  for (const c of REFUSED) {
    test(`${c.name}: an error with its line`, () =>
      assert.throws(
        () => parseRawYaml(c.text, 'r.spk.yaml'),
        (e: unknown) => e instanceof SpkError && e.file === 'r.spk.yaml' && e.line === c.line && /unique|duplicate/i.test(e.message),
      ));
  }
});
