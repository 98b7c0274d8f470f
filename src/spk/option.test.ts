import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpkError } from './errors';
import { PkgOption, VarOption, optionRequest, parseBuildOption } from './option';
import { PkgRequest, VarRequest, formatRangeIdent } from './request';

test('pkg option: default from pkg text is stored normalized; default: and pkg/default conflict', () => {
  const o = parseBuildOption({ pkg: 'python:run/3.7' });
  assert.ok(o instanceof PkgOption);
  assert.equal(o.default, '3.7.0');
  assert.deepEqual(o.components, ['run']);
  assert.throws(() => parseBuildOption({ pkg: 'python/3.7', default: '3.9' }), SpkError);
  assert.throws(() => parseBuildOption({ default: '3.9', PKG: 'python/3.7' }), SpkError);
  assert.throws(() => parseBuildOption({ pkg: 'local/python' }), SpkError);
  assert.throws(() => parseBuildOption({ pkg: 'python/1.0/src' }), SpkError);
});

test('var option keys are case-insensitive; choices, inheritance, compat, required', () => {
  const o = parseBuildOption({ Var: 'python.abi/cp37', choices: ['cp37', 38], inheritance: 'Strong', compat: 'x.b', required: true });
  assert.ok(o instanceof VarOption);
  assert.equal(o.var, 'python.abi');
  assert.equal(o.default, 'cp37');
  assert.deepEqual(o.choices, ['cp37', '38']);
  assert.equal(o.inheritance, 'Strong');
  assert.equal(o.compat?.toString(), 'x.b');
  assert.equal(o.required, true);
  assert.throws(() => parseBuildOption({ var: 'x/1', inheritance: 'Medium' }), SpkError);
  assert.throws(() => parseBuildOption({ var: 'abi', compat: 'q' }), SpkError);
  assert.throws(() => parseBuildOption({ description: 'no name' }), (e: unknown) => e instanceof SpkError && e.kind === 'option');
});

test('value actually requested: static, else given, else default', () => {
  const pkg = parseBuildOption({ pkg: 'gcc/9' });
  assert.equal(formatRangeIdent((optionRequest(pkg) as PkgRequest).pkg), 'gcc/9.0.0');
  assert.equal(formatRangeIdent((optionRequest(pkg, '~10.2') as PkgRequest).pkg), 'gcc/~10.2');
  const stat = parseBuildOption({ pkg: 'gcc/9', static: '8' });
  assert.equal(formatRangeIdent((optionRequest(stat, '10') as PkgRequest).pkg), 'gcc/8.0.0');
  const any = optionRequest(parseBuildOption({ pkg: 'cmake' })) as PkgRequest;
  assert.ok(any.pkg.version.isEmpty());
  assert.deepEqual(any.pkg.components, []);
  const v = optionRequest(parseBuildOption({ var: 'debug/off' }), 'on') as VarRequest;
  assert.deepEqual(v, { kind: 'var', name: 'debug', value: 'on' });
});

test('validateValue errors are SpkError kind option', () => {
  const pkg = parseBuildOption({ pkg: 'gcc' }) as PkgOption;
  assert.throws(() => pkg.validateValue('9/notabuild'), (e: unknown) => e instanceof SpkError && e.kind === 'option');
  assert.equal(pkg.validateValue('9/src'), '9/src');
  const v = parseBuildOption({ var: 'mode', choices: ['a', 'b'] }) as VarOption;
  assert.throws(() => v.validateValue('c'), (e: unknown) => e instanceof SpkError && e.kind === 'option');
  assert.equal(v.value, null);
});
