import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildArgs,
  testArgs,
  publishArgs,
  exportArgs,
  importArgs,
  lsListsVersion,
  lsArgs,
  assertTagNamespace,
  versionArgs,
  parseLsVersions,
  shellQuote,
  formatCommand,
} from './cli';
import { SpkError } from './errors';

describe('buildArgs', () => {
  const cases: Array<{ name: string; input: Parameters<typeof buildArgs>[0]; want: string[] }> = [
    {
      name: 'templated: -o version=V',
      input: { recipe: 'pkgs/python3.spk.yaml', version: '3.11.4', templated: true },
      want: ['build', '-o', 'version=3.11.4', 'pkgs/python3.spk.yaml'],
    },
    {
      name: 'non-templated: no -o version',
      input: { recipe: 'pkgs/zlib.spk.yaml', version: '1.2.13', templated: false },
      want: ['build', 'pkgs/zlib.spk.yaml'],
    },
    {
      name: 'everything, options sorted',
      input: {
        recipe: 'a.spk.yaml',
        version: '1.0.0-pre.1',
        templated: true,
        workspace: 'sub',
        options: { zeta: '1', 'python.abi': 'cp311', alpha: 'x y' },
        noHost: true,
        variants: ['0', 'python=3.11,gcc=9'],
        repos: ['origin', 'file:///tmp/r'],
        extraArgs: ['-v'],
      },
      want: [
        'build', '--workspace', 'sub', '-o', 'version=1.0.0-pre.1', '-o', 'alpha=x y', '-o', 'python.abi=cp311', '-o', 'zeta=1',
        '--no-host', '--variant=0', '--variant=python=3.11,gcc=9', '-r', 'origin', '-r', 'file:///tmp/r', '-v', 'a.spk.yaml',
      ],
    },
    {
      name: 'hostile recipe path and option value',
      input: { recipe: '--help', version: '1.0', templated: true, options: { msg: `it's "quoted" --force` } },
      want: ['build', '-o', 'version=1.0', '-o', `msg=it's "quoted" --force`, './--help'],
    },
    {
      name: 'hostile variant spec stays glued to its flag',
      input: { recipe: 'r.spk.yaml', version: '1', templated: false, variants: ['--interactive'] },
      want: ['build', '--variant=--interactive', 'r.spk.yaml'],
    },
    {
      name: 'options.version equal to version is not duplicated when templated',
      input: { recipe: 'r.spk.yaml', version: '2.0', templated: true, options: { version: '2.0' } },
      want: ['build', '-o', 'version=2.0', 'r.spk.yaml'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(buildArgs(c.input), c.want));
  }

  const bad: Array<{ name: string; input: Parameters<typeof buildArgs>[0]; kind: string }> = [
    { name: 'version --help', input: { recipe: 'r', version: '--help', templated: true }, kind: 'version' },
    { name: 'version with space', input: { recipe: 'r', version: '1.0 -i', templated: false }, kind: 'version' },
    { name: 'option key starting with -', input: { recipe: 'r', version: '1', templated: false, options: { '-i': '1' } }, kind: 'option' },
    { name: 'option key with =', input: { recipe: 'r', version: '1', templated: false, options: { 'a=b': '1' } }, kind: 'option' },
    { name: 'option key uppercase', input: { recipe: 'r', version: '1', templated: false, options: { Abc: '1' } }, kind: 'option' },
    { name: 'option value newline', input: { recipe: 'r', version: '1', templated: false, options: { abc: '1\n2' } }, kind: 'option' },
    { name: 'repo starting with -', input: { recipe: 'r', version: '1', templated: false, repos: ['--no-local-repo'] }, kind: 'cli' },
    { name: 'repo with space', input: { recipe: 'r', version: '1', templated: false, repos: ['a b'] }, kind: 'cli' },
    {
      name: 'conflicting options.version',
      input: { recipe: 'r', version: '1.0', templated: true, options: { version: '2.0' } },
      kind: 'option',
    },
  ];
  for (const c of bad) {
    test(`rejects ${c.name}`, () => {
      assert.throws(() => buildArgs(c.input), (e: unknown) => e instanceof SpkError && e.kind === c.kind);
    });
  }
});

describe('other argv builders', () => {
  test('testArgs with and without stage', () => {
    assert.deepEqual(testArgs({ recipe: 'r.spk.yaml', version: '1.2', templated: true }), ['test', '-o', 'version=1.2', 'r.spk.yaml']);
    assert.deepEqual(
      testArgs({ recipe: '-r.spk.yaml', version: '1.2', templated: false, stage: 'install', repos: ['origin'], workspace: '.' }),
      ['test', '--workspace', '.', '-r', 'origin', './-r.spk.yaml@install'],
    );
    assert.throws(() => testArgs({ recipe: 'r', version: '1', templated: false, stage: 'deploy' }), SpkError);
  });
  test('publishArgs', () => {
    assert.deepEqual(publishArgs('my-pkg', '1.0.0'), ['publish', 'my-pkg/1.0.0']);
    assert.deepEqual(publishArgs('my-pkg', '1.0.0', 'origin'), ['publish', '-r', 'origin', 'my-pkg/1.0.0']);
    assert.throws(() => publishArgs('--force', '1.0'), (e: unknown) => e instanceof SpkError && e.kind === 'name');
    assert.throws(() => publishArgs('pkg', '--help'), (e: unknown) => e instanceof SpkError && e.kind === 'version');
    assert.throws(() => publishArgs('pkg', '1.0', '-f'), SpkError);
  });
  test('exportArgs / importArgs', () => {
    assert.deepEqual(exportArgs('zlib', '1.2.13', '/d/zlib_1.2.13.spk'), ['export', '-L', 'zlib/1.2.13', '/d/zlib_1.2.13.spk']);
    assert.deepEqual(exportArgs('zlib', '1.2.13', '-x.spk'), ['export', '-L', 'zlib/1.2.13', './-x.spk']);
    assert.deepEqual(importArgs(['/a.spk', '-b.spk']), ['import', '--sync', '/a.spk', './-b.spk']);
    assert.throws(() => importArgs([]), SpkError);
  });
  test("testArgs refuses a recipe path containing '@' (spk splits at the first '@')", () => {
    assert.throws(() => testArgs({ recipe: 'pkgs/a@b/zlib.spk.yaml', version: '1.0', templated: false }), (e: unknown) => e instanceof SpkError && /first '@'/.test(e.message));
    assert.throws(() => testArgs({ recipe: 'pkgs/a@b/zlib.spk.yaml', version: '1.0', templated: false, stage: 'build' }), SpkError);
  });
  for (const [ns, ok] of [['ci', true], ['ci/', true], ['a/b', false], ['', false], ['/', false]] as const) {
    test(`assertTagNamespace ${JSON.stringify(ns)} -> ${ok ? 'valid' : 'refused'}`, () => {
      if (ok) assertTagNamespace(ns);
      else assert.throws(() => assertTagNamespace(ns), SpkError);
    });
  }
  test('lsArgs scopes', () => {
    assert.deepEqual(lsArgs('zlib'), ['ls', '--no-src', '--no-host', 'zlib']);
    assert.deepEqual(lsArgs('zlib', { localOnly: true }), ['ls', '--no-src', '--no-host', '-L', 'zlib']);
    assert.deepEqual(lsArgs('zlib', { repo: 'local' }), ['ls', '--no-src', '--no-host', '-L', 'zlib']);
    assert.deepEqual(lsArgs('zlib', { repo: 'origin' }), ['ls', '--no-src', '--no-host', '--disable-repo', 'local', '-r', 'origin', 'zlib']);
    // -r ADDS a repository (flags.rs): any other target disables origin by name.
    assert.deepEqual(lsArgs('zlib', { repo: 'ci' }), ['ls', '--no-src', '--no-host', '--disable-repo', 'local', '--disable-repo', 'origin', '-r', 'ci', 'zlib']);
    assert.throws(() => lsArgs('-R'), SpkError);
  });
  test('versionArgs', () => assert.deepEqual(versionArgs(), ['version']));
  test('shellQuote is display-only POSIX quoting', () => {
    assert.equal(shellQuote('abc/d.e'), 'abc/d.e');
    assert.equal(shellQuote(`it's`), `'it'\\''s'`);
    assert.equal(shellQuote('a b'), `'a b'`);
    assert.equal(shellQuote(''), `''`);
    assert.equal(formatCommand('spk', ['build', '-o', 'msg=a b']), `spk build -o 'msg=a b'`);
  });
  test('parseLsVersions', () => {
    assert.deepEqual(parseLsVersions('3.11.4\n3.10.0 \x1b[31mDEPRECATED\x1b[0m\n\nwarning: x\n'), ['3.11.4', '3.10.0']);
  });
});

describe('lsListsVersion: does `spk ls` list the version (equal modulo trailing zeros)', () => {
  const CASES: { name: string; stdout: string; version: string; want: boolean }[] = [
    { name: 'exact line', stdout: '1.2.3\n', version: '1.2.3', want: true },
    { name: 'trailing zeros: ls prints 1.2.0 for option 1.2', stdout: '1.2.0\n', version: '1.2', want: true },
    { name: 'trailing zeros: ls prints 1.2 for option 1.2.0', stdout: '1.2\n', version: '1.2.0', want: true },
    { name: 'status word after the version', stdout: '1.2.3 DEPRECATED\n', version: '1.2.3', want: true },
    { name: 'ANSI colour around the status word', stdout: '1.2.3 \x1b[31mDEPRECATED\x1b[0m\n', version: '1.2.3', want: true },
    { name: 'other versions only', stdout: '1.2.4\n1.3.0\n', version: '1.2.3', want: false },
    { name: 'a pre-release is another version', stdout: '1.2.3-rc.1\n', version: '1.2.3', want: false },
    { name: 'empty output', stdout: '', version: '1.2.3', want: false },
    { name: 'an option that is not a version compares as text', stdout: '1.x\n', version: '1.x', want: true },
  ];
  for (const c of CASES) test(c.name, () => assert.equal(lsListsVersion(c.stdout, c.version), c.want));
});
