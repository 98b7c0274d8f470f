import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SpkError } from './errors';
import { PkgOption, VarOption, optionRequest, parseBuildOption } from './option';
import { PkgRequest, VarRequest, formatRangeIdent, parseRangeIdent } from './request';
import { parseYaml } from './recipe-yaml';
import { buildRequirements } from './recipe/variants';

// One case per row (spk's rstest `#[case]` style), so a failure names its case.
type Row = { name: string; got: () => unknown; want: unknown };
const isOptionError = (e: unknown) => e instanceof SpkError && e.kind === 'option';

describe('pkg option', () => {
  const o = () => parseBuildOption({ pkg: 'python:run/3.7' }) as PkgOption;
  const CASES: Row[] = [
    { name: 'is a PkgOption', got: () => o() instanceof PkgOption, want: true },
    { name: 'default from pkg text is stored normalized', got: () => o().default, want: '3.7.0' },
    { name: 'components', got: () => o().components, want: ['run'] },
  ];
  for (const c of CASES) test(c.name, () => assert.deepEqual(c.got(), c.want));

  const ERRORS: Array<{ name: string; input: Record<string, unknown> }> = [
    { name: 'default: and pkg/default conflict', input: { pkg: 'python/3.7', default: '3.9' } },
    { name: 'default: and PKG/default conflict (keys case-insensitive)', input: { default: '3.9', PKG: 'python/3.7' } },
    { name: 'repository prefix', input: { pkg: 'local/python' } },
    { name: 'build in the pkg text', input: { pkg: 'python/1.0/src' } },
  ];
  for (const c of ERRORS) test(`refused: ${c.name}`, () => assert.throws(() => parseBuildOption(c.input), SpkError));
});

describe('var option', () => {
  const o = () => parseBuildOption({ Var: 'python.abi/cp37', choices: ['cp37', 38], inheritance: 'Strong', compat: 'x.b', required: true }) as VarOption;
  const CASES: Row[] = [
    { name: 'is a VarOption (Var key is case-insensitive)', got: () => o() instanceof VarOption, want: true },
    { name: 'var name', got: () => o().var, want: 'python.abi' },
    { name: 'default', got: () => o().default, want: 'cp37' },
    { name: 'choices read as strings', got: () => o().choices, want: ['cp37', '38'] },
    { name: 'inheritance', got: () => o().inheritance, want: 'Strong' },
    { name: 'compat', got: () => o().compat?.toString(), want: 'x.b' },
    { name: 'required', got: () => o().required, want: true },
  ];
  for (const c of CASES) test(c.name, () => assert.deepEqual(c.got(), c.want));

  const ERRORS: Array<{ name: string; input: Record<string, unknown>; check: (e: unknown) => boolean }> = [
    { name: 'unknown inheritance', input: { var: 'x/1', inheritance: 'Medium' }, check: (e) => e instanceof SpkError },
    { name: 'bad compat', input: { var: 'abi', compat: 'q' }, check: (e) => e instanceof SpkError },
    { name: 'no name: kind option', input: { description: 'no name' }, check: isOptionError },
  ];
  for (const c of ERRORS) test(`refused: ${c.name}`, () => assert.throws(() => parseBuildOption(c.input), c.check));
});

describe('value actually requested: static, else given, else default', () => {
  const pkg = () => parseBuildOption({ pkg: 'gcc/9' });
  const any = () => optionRequest(parseBuildOption({ pkg: 'cmake' })) as PkgRequest;
  const CASES: Row[] = [
    { name: 'default', got: () => formatRangeIdent((optionRequest(pkg()) as PkgRequest).pkg), want: 'gcc/9.0.0' },
    { name: 'given', got: () => formatRangeIdent((optionRequest(pkg(), '~10.2') as PkgRequest).pkg), want: 'gcc/~10.2' },
    { name: 'static wins over given', got: () => formatRangeIdent((optionRequest(parseBuildOption({ pkg: 'gcc/9', static: '8' }), '10') as PkgRequest).pkg), want: 'gcc/8.0.0' },
    { name: 'no default: any version', got: () => any().pkg.version.isEmpty(), want: true },
    { name: 'no default: no components', got: () => any().pkg.components, want: [] },
    { name: 'components of the option', got: () => (optionRequest(parseBuildOption({ pkg: 'gcc:{run,lib}/9' }), '9') as PkgRequest).pkg.components, want: ['run', 'lib'] },
    // the option's request is built from the shared parse of `gcc/9`, which keeps no components
    { name: 'components do not leak into the shared parse', got: () => (optionRequest(parseBuildOption({ pkg: 'gcc:{run,lib}/9' }), '9'), parseRangeIdent('gcc/9').components), want: [] },
    { name: 'var option given', got: () => optionRequest(parseBuildOption({ var: 'debug/off' }), 'on') as VarRequest, want: { kind: 'var', name: 'debug', value: 'on' } },
  ];
  for (const c of CASES) test(c.name, () => assert.deepEqual(c.got(), c.want));
});

describe('validateValue', () => {
  const pkg = () => parseBuildOption({ pkg: 'gcc' }) as PkgOption;
  const v = () => parseBuildOption({ var: 'mode', choices: ['a', 'b'] }) as VarOption;
  test('pkg: a bad build is SpkError kind option', () => assert.throws(() => pkg().validateValue('9/notabuild'), isOptionError));
  test('pkg: version/build accepted as is', () => assert.equal(pkg().validateValue('9/src'), '9/src'));
  test('var: outside choices is SpkError kind option', () => assert.throws(() => v().validateValue('c'), isOptionError));
  test('var: no value until given', () => assert.equal(v().value, null));
});

// spk reads option `default`, `static`, `choices` (and variant values) through `Stringified`
// (crates/spk-schema/src/option.rs `map.next_value::<Stringified>()`,
// crates/spk-schema/src/v0/variant_spec.rs), so a plain YAML number is formatted as Rust does;
// `pkg`/`var` are string-typed (`PkgNameWithComponents`, `NameAndValue`) and keep the text.
describe('option values read from recipe YAML as spk Stringified', () => {
  const opt = (yaml: string) => parseBuildOption(parseYaml(yaml, 'r.spk.yaml').data as Record<string, unknown>);
  const CASES: Row[] = [
    { name: 'default: 3.10 is "3.1" (f64 Display)', got: () => opt('var: python\ndefault: 3.10\n').default, want: '3.1' },
    { name: 'default: "3.10" (quoted) stays "3.10"', got: () => opt('var: python\ndefault: "3.10"\n').default, want: '3.10' },
    { name: 'static: 0x1F is "31"', got: () => opt('var: abi\nstatic: 0x1F\n').static, want: '31' },
    { name: 'default: 1e3 is "1000"', got: () => opt('var: count\ndefault: 1e3\n').default, want: '1000' },
    { name: 'default: 1.0 is "1"', got: () => opt('var: count\ndefault: 1.0\n').default, want: '1' },
    { name: 'default: ~ is "" (visit_unit)', got: () => opt('var: count\ndefault: ~\n').default, want: '' },
    { name: 'default: true is "true" (visit_bool)', got: () => opt('var: debug\ndefault: true\n').default, want: 'true' },
    { name: 'choices: [3.10, 3.9] is ["3.1", "3.9"] (Vec<Stringified>)', got: () => (opt('var: py\nchoices: [3.10, 3.9]\n') as VarOption).choices, want: ['3.1', '3.9'] },
    { name: 'choices: ["3.10", 3.9] keeps the quoted one', got: () => (opt('var: py\nchoices: ["3.10", 3.9]\n') as VarOption).choices, want: ['3.10', '3.9'] },
    { name: 'var: python/3.10 keeps its text (NameAndValue is a string)', got: () => opt('var: python/3.10\n').default, want: '3.10' },
    { name: 'pkg: python/3.10 is untouched (normalized as a version)', got: () => opt('pkg: python/3.10\n').default, want: '3.10.0' },
    { name: 'pkg option default: 3.10 is the version 3.1', got: () => opt('pkg: python\ndefault: 3.10\n').default, want: '3.1' },
  ];
  for (const c of CASES) test(c.name, () => assert.deepEqual(c.got(), c.want));
  test('choices: 3.1 given is accepted for choices [3.10]', () => assert.equal((opt('var: py\nchoices: [3.10]\n') as VarOption).validateValue('3.1'), '3.1'));
});

describe('variant values read from recipe YAML as spk Stringified (v0/variant_spec.rs)', () => {
  const variants = (yaml: string) => buildRequirements(parseYaml(yaml, 'r.spk.yaml').data as Record<string, unknown>, 'x', {}, false, []).variants;
  const CASES: Row[] = [
    { name: 'python: 3.10 is "3.1"', got: () => variants('build:\n  options: [{var: python}]\n  variants: [{python: 3.10}]\n')[0].python, want: '3.1' },
    { name: 'python: "3.10" stays "3.10"', got: () => variants('build:\n  options: [{var: python}]\n  variants: [{python: "3.10"}]\n')[0].python, want: '3.10' },
    { name: 'no variants: the option default 3.10 is "3.1"', got: () => variants('build:\n  options: [{var: python, default: 3.10}]\n')[0].python, want: '3.1' },
  ];
  for (const c of CASES) test(c.name, () => assert.deepEqual(c.got(), c.want));
});
