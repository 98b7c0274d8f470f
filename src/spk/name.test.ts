import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpkError } from './errors';
import {
  isValidComponentName,
  isValidOptName,
  isValidPkgName,
  splitOptNamespace,
  validateOptName,
  validatePkgName,
} from './name';

test('package names: [a-z0-9-]{2,64}, no leading hyphen', () => {
  assert.ok(isValidPkgName('python'));
  assert.ok(isValidPkgName('a'.repeat(64)));
  assert.ok(!isValidPkgName('a'.repeat(65)));
  assert.ok(!isValidPkgName('a'));
  assert.ok(!isValidPkgName('Python'));
  assert.ok(!isValidPkgName('-py'));
  assert.equal(validatePkgName('gcc'), 'gcc');
});

test('validation errors carry kind name and the bad character position', () => {
  assert.throws(
    () => validatePkgName('my_pkg'),
    (e: unknown) => e instanceof SpkError && e.kind === 'name' && e.position === 2,
  );
  assert.throws(
    () => validateOptName('python.ABI'),
    (e: unknown) => e instanceof SpkError && e.kind === 'name' && e.position === 7,
  );
});

test('option names may be namespaced by a package name', () => {
  assert.ok(isValidOptName('python.abi'));
  assert.ok(isValidOptName('my_opt'));
  assert.ok(!isValidOptName('my_pkg.abi'));
  assert.ok(!isValidOptName('py.'));
  assert.deepEqual(splitOptNamespace('a-b.c.d'), { namespace: 'a-b', baseName: 'c.d' });
});

test('component names', () => {
  assert.ok(isValidComponentName('lib'));
  assert.ok(!isValidComponentName('l'));
  assert.ok(!isValidComponentName('Lib'));
});
