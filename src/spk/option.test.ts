import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SpkError } from './errors';
import { PkgOption, VarOption, optionRequest, parseBuildOption } from './option';
import { PkgRequest, VarRequest, formatRangeIdent } from './request';

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
