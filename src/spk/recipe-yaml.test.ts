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
 *   format the number: `default: 3.10` is "3.1" to spk, `0x1F` is "31", `~` is "". Our reader
 *   has no field types and keeps the text; those rows are marked `spkStringified` (a known
 *   divergence, see docs/yaml.md).
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

interface Row {
  name: string;
  text: string;
  /** What our reader produces (both parsers, see the tests below). */
  want: unknown;
  /** What spk's `Stringified` fields would read instead, when it differs (known divergence). */
  spkStringified?: string;
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
  { name: '~ is null', text: 'a: ~\n', want: { a: null }, spkStringified: '' },
  { name: 'null is null', text: 'a: null\n', want: { a: null }, spkStringified: '' },
  { name: 'empty value is null', text: 'a:\n', want: { a: null }, spkStringified: '' },
  { name: 'Null is a string (parse_null is exact)', text: 'a: Null\n', want: { a: 'Null' } },
  { name: 'NULL is a string', text: 'a: NULL\n', want: { a: 'NULL' } },
  { name: 'version 3.10 keeps its text (deserialize_str)', text: 'version: 3.10\n', want: { version: '3.10' }, spkStringified: '3.1' },
  { name: 'quoted "3.10" is the string', text: 'a: "3.10"\n', want: { a: '3.10' } },
  { name: '0x1F keeps its text', text: 'a: 0x1F\n', want: { a: '0x1F' }, spkStringified: '31' },
  { name: '1e3 keeps its text', text: 'a: 1e3\n', want: { a: '1e3' }, spkStringified: '1000' },
  { name: '010 is a string (leading zero, YAML 1.2)', text: 'a: 010\n', want: { a: '010' } },
  { name: 'pkg: name/3.10 is a string', text: 'pkg: python/3.10\n', want: { pkg: 'python/3.10' } },
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

  test('rows marked spkStringified are exactly the ones spk would format differently', () => {
    // A reminder that the divergence is known and bounded: numbers and nulls only.
    const marked = SCALARS.filter((c) => c.spkStringified !== undefined).map((c) => c.name);
    assert.deepEqual(marked, ['~ is null', 'null is null', 'empty value is null', 'version 3.10 keeps its text (deserialize_str)', '0x1F keeps its text', '1e3 keeps its text']);
  });
});

describe('rendered versions take the same reading', () => {
  const RENDERED: Array<{ name: string; raw: string; rendered: string; want: unknown }> = [
    { name: 'a substituted True stays a string', raw: 'a: x\n', rendered: 'a: True\n', want: { a: 'True' } },
    { name: 'a substituted NULL stays a string', raw: 'a: x\n', rendered: 'a: NULL\n', want: { a: 'NULL' } },
    { name: 'a substituted off stays a string', raw: 'a: x\n', rendered: 'a: off\n', want: { a: 'off' } },
    { name: 'a substituted 3.10 keeps its text', raw: 'a: x\n', rendered: 'a: 3.10\n', want: { a: '3.10' } },
  ];
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
