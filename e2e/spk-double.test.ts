/**
 * Tests of the spk test double itself (e2e/fixtures/spk-double): the CLI contract it
 * enforces, its directory repositories, export/import with real tar archives, ls/publish,
 * build-time dependency resolution, fault injection and the invocation log.
 *
 * The double is an independent model of spk: it never loads nx-spk's code. Its own range check
 * and template reader are tested here against tables transcribed from spk's source and tests
 * (test-support/data/spk-version-vectors.json and explicit rows below), never against the
 * plugin's model.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  readBuildJson, readDoubleLog, repoRoot, repoVersions, seedSpkPackage, spkDoubleBin, spkDoubleDir, spkDoubleEnv,
} from './helpers';

// The double is plain CommonJS: its modules are loaded by path, exactly the code the spk binary runs.
interface DoubleRange {
  isApplicable(v: string): boolean;
  isSatisfiedBy(v: string, compat?: string, required?: string): boolean;
}
const doubleRange = require(path.join(spkDoubleDir(), 'lib', 'range.js')) as {
  parseRange(text: string): DoubleRange;
  checkCompat(compat: string, base: unknown, other: unknown, required: string): boolean;
};
const doubleVersion = require(path.join(spkDoubleDir(), 'lib', 'version.js')) as {
  parseVersion(text: string): unknown;
  compareVersions(a: string, b: string): number;
};
const doubleTemplate = require(path.join(spkDoubleDir(), 'lib', 'template.js')) as {
  renderTemplate(text: string, o: { options?: Record<string, string>; env?: Record<string, string>; file?: string }): string;
};

interface SpkResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let scratch: string;
before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-double-test-'));
});
after(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** A fresh simulated machine: its own local repo, an origin, a log. */
function machine(name: string, extra: Parameters<typeof spkDoubleEnv>[1] = {}) {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir, { recursive: true });
  const env = spkDoubleEnv(dir, extra);
  const spk = (args: string[], o: { env?: Record<string, string>; cwd?: string } = {}): SpkResult => {
    const r = spawnSync(spkDoubleBin(), args, { cwd: o.cwd ?? dir, env: { ...process.env, ...env, ...o.env }, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return { dir, env, local: env.SPK_DOUBLE_REPO, origin: env.SPK_DOUBLE_ORIGIN, log: env.SPK_DOUBLE_LOG, spk };
}

function write(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

describe('CLI contract', () => {
  const m = () => machine('cli');

  test('--version prints "spk 0.44.0", overridable by SPK_DOUBLE_VERSION; `spk version` prints spk and spfs', () => {
    const s = m();
    assert.equal(s.spk(['--version']).stdout, 'spk 0.44.0\n');
    assert.equal(s.spk(['--version'], { env: { SPK_DOUBLE_VERSION: '0.43.1' } }).stdout, 'spk 0.43.1\n');
    assert.equal(s.spk(['version']).stdout, ' spk 0.44.0\nspfs 0.44.0\n');
  });

  const rejected: Array<[string, string[], RegExp]> = [
    ['unknown subcommand', ['frobnicate'], /unrecognized subcommand 'frobnicate'/],
    ['--local does not exist (docs are stale; -L is the flag)', ['build', '--local', 'x.spk.yaml'], /unexpected argument '--local' found/],
    ['publish has no -L', ['publish', '-L', 'a/1.0.0'], /unexpected argument '-L' found/],
    ['ls has no --opt', ['ls', '--opt', 'a=b'], /unexpected argument '--opt' found/],
    ['import has no -o', ['import', '-o', 'a=b', 'f.spk'], /unexpected argument '-o' found/],
    ['no prefix inference', ['build', '--no-ho', 'x'], /unexpected argument '--no-ho' found/],
    ['bool flag given twice', ['build', '--no-host', '--no-host', 'x'], /cannot be used multiple times/],
    ['bool flag with a value', ['build', '--no-host=true', 'x'], /unexpected value 'true' for '--no-host'/],
    ['value flag without value', ['build', '-o'], /a value is required for '--opt <OPT>'/],
    ['value flag followed by a flag', ['build', '--workspace', '--no-host', 'x'], /a value is required for '--workspace/],
    ['single-value flag twice', ['build', '--workspace', 'a', '--workspace', 'b', 'x'], /cannot be used multiple times/],
    ['bad enum value', ['build', '--solver-to-run', 'fast', 'x'], /invalid value 'fast' for '--solver-to-run/],
    ['numeric flag', ['build', '--timeout', 'soon', 'x'], /invalid value 'soon' for '--timeout/],
    ['conflicting ls flags', ['ls', '--host', '--no-host'], /cannot be used with/],
    ['too many ls positionals', ['ls', 'a', 'b'], /unexpected argument 'b' found/],
    ['export needs PKG', ['export'], /required arguments were not provided/],
    ['publish needs PKG', ['publish'], /required arguments were not provided/],
    ['test needs a target', ['test', '--no-host'], /required arguments were not provided/],
    ['unknown top-level flag', ['--frob', 'ls'], /unexpected argument '--frob' found/],
  ];
  for (const [what, args, re] of rejected) {
    test(`exit 2: ${what}`, () => {
      const r = m().spk(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, re);
      assert.match(r.stderr, /Usage: spk /);
    });
  }

  test('flags after -- are positionals (and so not flag-checked)', () => {
    const r = m().spk(['ls', '--', '--weird']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
  });

  test('accepts every flag form an orchestrator uses: -o k=v, -ok:v, --opt=k=v, --variant=S, -r, --disable-repo, --workspace, -vv, global -v', () => {
    const s = machine('forms');
    const recipe = write(path.join(s.dir, 'ws', 'a.spk.yaml'), 'pkg: a/{{ opt.version }}\n');
    const r = s.spk(['-v', 'build', '--workspace', path.join(s.dir, 'ws'), '-o', 'version=1.2.3', '-oextra:1', '--opt=more=2',
      '--no-host', '--variant=0', '-r', 'origin', '--disable-repo', 'none', '-vv', '--timeout=5', '--solver-to-run', 'all', '--', recipe]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Completed builds:\n {3}a\/1\.2\.3\/src/);
    const b = readBuildJson(s.local, 'a', '1.2.3');
    assert.deepEqual(b?.options, { version: '1.2.3', extra: '1', more: '2' }, '--no-host: no host options');
  });

  test('host options are part of the build options unless --no-host', () => {
    const s = machine('host');
    const recipe = write(path.join(s.dir, 'a.spk.yaml'), 'pkg: a/{{ opt.version }}\n');
    assert.equal(s.spk(['build', '-o', 'version=1.0.0', recipe]).code, 0);
    // option_map/mod.rs host_options: os, arch, and distro + <ID>=VERSION_ID from /etc/os-release.
    const rel = fs.existsSync('/etc/os-release') ? fs.readFileSync('/etc/os-release', 'utf8') : '';
    const id = /^ID="?([^"\n]*)"?$/m.exec(rel)?.[1];
    const versionId = /^VERSION_ID="?([^"\n]*)"?$/m.exec(rel)?.[1];
    const distro: Record<string, string> = id ? { distro: id, ...(versionId !== undefined ? { [id]: versionId } : {}) } : {};
    assert.deepEqual(readBuildJson(s.local, 'a', '1.0.0')?.options, { os: 'linux', arch: 'x86_64', ...distro, version: '1.0.0' });
    assert.equal(s.spk(['build', '--no-host', '-o', 'version=1.0.1', recipe]).code, 0);
    assert.deepEqual(readBuildJson(s.local, 'a', '1.0.1')?.options, { version: '1.0.1' });
  });

  test('missing SPK_DOUBLE_REPO is an error (exit 1), not a silent default', () => {
    const r = spawnSync(spkDoubleBin(), ['ls'], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /SPK_DOUBLE_REPO is not set/);
  });

  test('an invalid -o value is a runtime error (exit 1) like spk', () => {
    const s = machine('badopt');
    const recipe = write(path.join(s.dir, 'a.spk.yaml'), 'pkg: a/1.0.0\n');
    const r = s.spk(['build', '-o', 'novalue', recipe]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Invalid option: -o novalue/);
  });
});

describe('repositories: ls and publish', () => {
  test('ls: names sorted; versions newest first in spk order, de-duplicated across local+origin', () => {
    const s = machine('ls');
    for (const v of ['1.9.0', '1.10.0', '2.0.0-pre.1', '1.0.0+r.1', '1.0.0']) seedSpkPackage(s.local, { name: 'zlib', version: v });
    seedSpkPackage(s.origin!, { name: 'zlib', version: '1.10.0' });
    seedSpkPackage(s.origin!, { name: 'zlib', version: '3.0.0' });
    seedSpkPackage(s.local, { name: 'bzip2', version: '1.0.8' });
    assert.equal(s.spk(['ls']).stdout, 'bzip2\nzlib\n');
    assert.equal(s.spk(['ls', 'zlib']).stdout, '3.0.0\n2.0.0-pre.1\n1.10.0\n1.9.0\n1.0.0+r.1\n1.0.0\n');
    assert.equal(s.spk(['ls', '-L', 'zlib']).stdout, '2.0.0-pre.1\n1.10.0\n1.9.0\n1.0.0+r.1\n1.0.0\n');
    assert.equal(s.spk(['ls', '--disable-repo', 'local', '-r', 'origin', 'zlib']).stdout, '3.0.0\n1.10.0\n');
    assert.equal(s.spk(['ls', '-v', '-L', 'bzip2']).stdout, '[local] 1.0.8\n');
    assert.equal(s.spk(['ls', 'nothing']).stdout, '', 'an unknown package lists nothing, exit 0');
  });

  test('ls NAME/VERSION lists builds (binary build id, then src); 1.0 finds 1.0.0', () => {
    const s = machine('lsb');
    seedSpkPackage(s.local, { name: 'a', version: '1.0.0' });
    const out = s.spk(['ls', 'a/1.0']).stdout.split('\n').filter(Boolean);
    assert.equal(out.length, 2);
    assert.match(out[0], /^a\/1\.0\.0\/[A-Z2-7]{8}$/);
    assert.equal(out[1], 'a/1.0.0/src');
    assert.deepEqual(s.spk(['ls', '--no-src', 'a/1.0.0']).stdout.split('\n').filter(Boolean), [out[0]]);
  });

  test('ls -r of an unconfigured repo fails', () => {
    const s = machine('lsr');
    const r = s.spk(['ls', '-r', 'nowhere', 'a']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /repository not found: nowhere/);
  });

  test('publish copies local → origin; again → "Version exists" unless --force; missing → exit 0 + warning (publish.rs)', () => {
    const s = machine('pub');
    seedSpkPackage(s.local, { name: 'a', version: '1.0.0' });
    assert.equal(s.spk(['publish', 'a/1.0.0']).code, 0);
    assert.deepEqual(repoVersions(s.origin!, 'a'), ['1.0.0']);
    const again = s.spk(['publish', 'a/1.0.0']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Failed to publish recipe a\/1\.0\.0: Version exists/);
    assert.equal(s.spk(['publish', '--force', 'a/1.0.0']).code, 0);
    const missing = s.spk(['publish', 'b/1.0.0']);
    assert.equal(missing.code, 0);
    assert.match(missing.stderr, /WARN no builds of b\/1\.0\.0 found in the local repository; nothing published/);
  });

  test('publish -r NAME targets a named repo; publish without origin fails', () => {
    const shared = path.join(scratch, 'shared-named');
    const s = machine('pubr', { repos: { shared }, origin: false });
    seedSpkPackage(s.local, { name: 'a', version: '2.0.0' });
    assert.equal(s.spk(['publish', '-r', 'shared', 'a/2.0.0']).code, 0);
    assert.deepEqual(repoVersions(shared, 'a'), ['2.0.0']);
    const r = s.spk(['publish', 'a/2.0.0']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /repository not found: origin/);
  });
});

describe('export / import', () => {
  test('round trip through a real tar archive, wiping the local repo in between', () => {
    const s = machine('export');
    seedSpkPackage(s.local, { name: 'a', version: '1.2.0', deps: [{ name: 'b', version: '3.0.0' }] });
    const before = readBuildJson(s.local, 'a', '1.2.0');
    const r = s.spk(['export', 'a/1.2.0']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Created: "a_1.2.0.spk"\n');
    const archive = path.join(s.dir, 'a_1.2.0.spk');
    const listing = spawnSync('tar', ['-tf', archive], { encoding: 'utf8' });
    assert.equal(listing.status, 0, 'the .spk file is a tar archive');
    assert.ok(listing.stdout.includes('spk-double-archive.json'));
    assert.ok(listing.stdout.includes('packages/a/1.2.0/build.json'));
    assert.deepEqual(fs.readdirSync(s.dir).filter((f) => f.includes('.tmp-')), [], 'no temp file left');

    fs.rmSync(s.local, { recursive: true, force: true });
    assert.equal(s.spk(['ls', '-L', 'a']).stdout, '');
    const imp = s.spk(['import', archive]);
    assert.equal(imp.code, 0, imp.stderr);
    assert.equal(s.spk(['ls', '-L', 'a']).stdout, '1.2.0\n');
    assert.deepEqual(readBuildJson(s.local, 'a', '1.2.0'), before);
  });

  test('export to an explicit FILE on another "machine", import there', () => {
    const s1 = machine('exp-m1', { origin: false });
    const s2 = machine('exp-m2', { origin: false });
    seedSpkPackage(s1.local, { name: 'x', version: '0.1.0' });
    const file = path.join(scratch, 'x.spk');
    assert.equal(s1.spk(['export', 'x/0.1.0', file]).code, 0);
    assert.equal(s2.spk(['ls', 'x']).stdout, '');
    assert.equal(s2.spk(['import', file]).code, 0);
    assert.equal(s2.spk(['ls', 'x']).stdout, '0.1.0\n');
  });

  test('export of a missing package fails (exit 1) and leaves no file', () => {
    const s = machine('exp-missing');
    const r = s.spk(['export', 'nope/1.0.0']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Package not found: nope\/1\.0\.0/);
    assert.equal(fs.existsSync(path.join(s.dir, 'nope_1.0.0.spk')), false);
  });

  test('import rejects corrupt files and foreign tar archives (exit 1)', () => {
    const s = machine('imp-bad');
    const junk = write(path.join(s.dir, 'junk.spk'), 'this is not a tar file at all'.repeat(40));
    const r1 = s.spk(['import', junk]);
    assert.equal(r1.code, 1);
    assert.match(r1.stderr, /Failed to collect tags from archive/);
    write(path.join(s.dir, 'stuff', 'hello.txt'), 'hi');
    const foreign = path.join(s.dir, 'foreign.spk');
    assert.equal(spawnSync('tar', ['-cf', foreign, '-C', path.join(s.dir, 'stuff'), 'hello.txt']).status, 0);
    const r2 = s.spk(['import', foreign]);
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /unexpected entry 'hello.txt'/);
    const r3 = s.spk(['import', path.join(s.dir, 'absent.spk')]);
    assert.equal(r3.code, 1);
    assert.deepEqual(fs.existsSync(s.local) ? fs.readdirSync(s.local) : [], []);
  });
});

describe('build: resolution, fault injection, log', () => {
  const recipes = (dir: string) => ({
    a: write(path.join(dir, 'recipes', 'a.spk.yaml'), 'pkg: a/{{ opt.version }}\n'),
    b: write(path.join(dir, 'recipes', 'b.spk.yaml'), 'pkg: b/1.0.0\nbuild:\n  options:\n    - pkg: a/1.0\n'),
    c: write(path.join(dir, 'recipes', 'c.spk.yaml'), 'pkg: c/1.0.0\nbuild:\n  options:\n    - pkg: a/>=2.0\n'),
    pre: write(path.join(dir, 'recipes', 'pre.spk.yaml'), 'pkg: pre/1.0.0\nbuild:\n  options:\n    - pkg: a/>=2.0\n'),
    preOk: write(path.join(dir, 'recipes', 'preok.spk.yaml'), 'pkg: preok/1.0.0\nbuild:\n  options:\n    - pkg: a/>=2.0\n      prereleasePolicy: IncludeAll\n'),
  });

  test('refuses to build while a build dependency is missing, succeeds once it is built, records deps', () => {
    const s = machine('order');
    const r = recipes(s.dir);
    const fail = s.spk(['build', r.b]);
    assert.equal(fail.code, 1);
    assert.match(fail.stderr, /Failed to resolve: a\/1\.0: package not found in any enabled repository/);
    assert.deepEqual(repoVersions(s.local, 'b'), [], 'nothing published on failure');
    assert.equal(s.spk(['build', '-o', 'version=1.0.0', r.a]).code, 0);
    const ok = s.spk(['build', r.b]);
    assert.equal(ok.code, 0, ok.stderr);
    const deps = readBuildJson(s.local, 'b', '1.0.0')?.deps as Array<Record<string, string>>;
    assert.deepEqual(deps.map((d) => [d.name, d.version, d.repo]), [['a', '1.0.0', 'local']]);
  });

  test('a version that does not satisfy the range does not count; the newest satisfying one is picked', () => {
    const s = machine('range');
    const r = recipes(s.dir);
    assert.equal(s.spk(['build', '-o', 'version=1.5.0', r.a]).code, 0);
    assert.equal(s.spk(['build', r.c]).code, 1);
    assert.equal(s.spk(['build', '-o', 'version=2.1.0', r.a]).code, 0);
    assert.equal(s.spk(['build', '-o', 'version=2.0.0', r.a]).code, 0);
    assert.equal(s.spk(['build', r.c]).code, 0);
    assert.equal((readBuildJson(s.local, 'c', '1.0.0')?.deps as Array<{ version: string }>)[0].version, '2.1.0');
  });

  test('pre-releases only satisfy requests with prereleasePolicy IncludeAll', () => {
    const s = machine('pre');
    const r = recipes(s.dir);
    assert.equal(s.spk(['build', '-o', 'version=3.0.0-beta.1', r.a]).code, 0);
    assert.equal(s.spk(['build', r.pre]).code, 1);
    assert.equal(s.spk(['build', r.preOk]).code, 0);
  });

  test('dependencies resolve from origin by default, not with -L; from -r NAME repos', () => {
    const extra = path.join(scratch, 'extra-repo');
    const s = machine('origin', { repos: { extra } });
    const r = recipes(s.dir);
    seedSpkPackage(s.origin!, { name: 'a', version: '1.0.0' });
    assert.equal(s.spk(['build', '-L', r.b]).code, 1);
    assert.equal(s.spk(['build', r.b]).code, 0);
    assert.equal((readBuildJson(s.local, 'b', '1.0.0')?.deps as Array<{ repo: string }>)[0].repo, 'origin');
    seedSpkPackage(extra, { name: 'a', version: '2.5.0' });
    assert.equal(s.spk(['build', r.c]).code, 1, 'named repos are not enabled by default');
    assert.equal(s.spk(['build', '-r', 'extra', r.c]).code, 0);
  });

  test('several positionals build in order and stop at the first failure', () => {
    const s = machine('multi');
    const r = recipes(s.dir);
    const res = s.spk(['build', '-o', 'version=1.0.0', r.a, r.c, r.b]);
    assert.equal(res.code, 1);
    assert.deepEqual(repoVersions(s.local, 'a'), ['1.0.0']);
    assert.deepEqual(repoVersions(s.local, 'b'), [], 'b comes after the failing c');
  });

  test('SPK_DOUBLE_FAIL fails the named package (exit 1, nothing published), by name or name/version', () => {
    const s = machine('fail');
    const r = recipes(s.dir);
    const res = s.spk(['build', '-o', 'version=1.0.0', r.a], { env: { SPK_DOUBLE_FAIL: 'zzz,a' } });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /Build script returned non-zero exit status: 1/);
    assert.deepEqual(repoVersions(s.local, 'a'), []);
    assert.equal(s.spk(['build', '-o', 'version=1.0.0', r.a], { env: { SPK_DOUBLE_FAIL: 'a/2.0.0' } }).code, 0);
    assert.equal(s.spk(['build', '-o', 'version=2.0.0', r.a], { env: { SPK_DOUBLE_FAIL: 'a/2.0.0' } }).code, 1);
  });

  test('SPK_DOUBLE_SLEEP delays the named build; SLEEP_ALL the others', () => {
    const s = machine('sleep');
    const r = recipes(s.dir);
    let t = Date.now();
    assert.equal(s.spk(['build', '-o', 'version=1.0.0', r.a], { env: { SPK_DOUBLE_SLEEP: 'a=600' } }).code, 0);
    assert.ok(Date.now() - t >= 600);
    t = Date.now();
    assert.equal(s.spk(['build', r.b], { env: { SPK_DOUBLE_SLEEP: 'a=5000', SPK_DOUBLE_SLEEP_ALL: '300' } }).code, 0);
    const took = Date.now() - t;
    assert.ok(took >= 300 && took < 5000, `took ${took} ms`);
  });

  test('SIGTERM during a slow build ends it promptly, unpublished, and is logged with the signal', async () => {
    const s = machine('sigterm');
    const r = recipes(s.dir);
    const child = spawn(spkDoubleBin(), ['build', '-o', 'version=1.0.0', r.a], {
      cwd: s.dir, env: { ...process.env, ...s.env, SPK_DOUBLE_SLEEP: 'a=30000' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    await new Promise<void>((resolve) => child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('sleeping')) resolve();
    }));
    const t = Date.now();
    child.kill('SIGTERM');
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('close', (c, sg) => resolve([c, sg])));
    assert.ok(Date.now() - t < 2000);
    assert.equal(code, null);
    assert.equal(signal, 'SIGTERM');
    assert.deepEqual(repoVersions(s.local, 'a'), []);
    const last = readDoubleLog(s.log).at(-1)!;
    assert.equal(last.signal, 'SIGTERM');
    assert.equal(last.exit, null);
  });

  test('parallel builds into one repo all land (repo lock + atomic writes)', async () => {
    const s = machine('parallel');
    const files = Array.from({ length: 6 }, (_, i) => write(path.join(s.dir, 'p', `p${i}.spk.yaml`), `pkg: p${i}/1.0.0\n`));
    const codes = await Promise.all(files.map((f) => new Promise<number | null>((resolve) => {
      const c = spawn(spkDoubleBin(), ['build', f], { cwd: s.dir, env: { ...process.env, ...s.env }, stdio: 'ignore' });
      c.on('close', resolve);
    })));
    assert.deepEqual(codes, [0, 0, 0, 0, 0, 0]);
    assert.equal(s.spk(['ls', '-L']).stdout, 'p0\np1\np2\np3\np4\np5\n');
    assert.equal(fs.existsSync(path.join(s.local, '.spk-double.lock')), false);
  });

  test('spk test: install stage needs the package; SPK_DOUBLE_FAIL_TEST fails it', () => {
    const s = machine('test');
    const r = recipes(s.dir);
    assert.equal(s.spk(['test', 'a/1.0.0@install']).code, 1);
    assert.equal(s.spk(['test', `${r.a}@build`, '-o', 'version=1.0.0']).code, 0, 'build-stage tests need no package');
    assert.equal(s.spk(['build', '-o', 'version=1.0.0', r.a]).code, 0);
    assert.equal(s.spk(['test', `${r.a}@install`, '-o', 'version=1.0.0']).code, 0);
    assert.equal(s.spk(['test', 'a/1.0.0@install'], { env: { SPK_DOUBLE_FAIL_TEST: 'a' } }).code, 1);
    const bad = s.spk(['test', 'a/1.0.0@deploy']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Unknown test stage 'deploy'/);
  });

  test('make-recipe prints the rendered recipe', () => {
    const s = machine('mkr');
    const r = recipes(s.dir);
    const res = s.spk(['make-recipe', '-o', 'version=4.5.6', r.a]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'pkg: a/4.5.6\n');
  });

  test('build by name/version finds the recipe through workspace.spk.yaml', () => {
    const s = machine('byname');
    recipes(s.dir);
    write(path.join(s.dir, 'workspace.spk.yaml'), "api: v0/workspace\nrecipes:\n  - recipes/*.spk.yaml\n  - path: recipes/a.spk.yaml\n    versions: ['1.{0..3}.0']\n");
    const res = s.spk(['build', '-o', 'version=1.2.0', 'a/1.2']);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(repoVersions(s.local, 'a'), ['1.2.0']);
    const none = s.spk(['build', 'a/7.0']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /did not find recipe template/);
  });

  test('every invocation is logged once, in completion order, with exact argv, cwd and exit code', () => {
    const s = machine('log');
    const r = recipes(s.dir);
    s.spk(['--version']);
    s.spk(['build', '--bogus']);
    s.spk(['build', r.b]);
    s.spk(['build', '-o', 'version=1.0.0', r.a]);
    s.spk(['ls', '-L', 'a']);
    const log = readDoubleLog(s.log);
    assert.deepEqual(log.map((e) => [e.argv, e.exit]), [
      [['--version'], 0],
      [['build', '--bogus'], 2],
      [['build', r.b], 1],
      [['build', '-o', 'version=1.0.0', r.a], 0],
      [['ls', '-L', 'a'], 0],
    ]);
    for (const e of log) {
      assert.equal(e.cwd, fs.realpathSync(s.dir));
      assert.ok(e.end >= e.start && typeof e.pid === 'number' && !Number.isNaN(Date.parse(e.time)));
    }
  });
});

describe('build with templated recipes (read by the double itself)', () => {
  test('build order is enforced; ~1.0.0 excludes 1.1.0', () => {
    const s = machine('real');
    const a = write(path.join(s.dir, 'alpha.spk.yaml'), 'pkg: alpha/{{ opt.version }}\nbuild:\n  script:\n    - echo a\n');
    const b = write(path.join(s.dir, 'beta.spk.yaml'), 'pkg: beta/1.0.0\nbuild:\n  options:\n    - pkg: alpha/~1.0.0\n  script:\n    - echo b\n');
    const fail = s.spk(['build', '--no-host', b]);
    assert.equal(fail.code, 1, fail.stderr);
    assert.match(fail.stderr, /Failed to resolve: alpha\/~1\.0\.0/);
    const built = s.spk(['build', '--no-host', '-o', 'version=1.0.5', a]);
    assert.equal(built.code, 0, built.stderr);
    assert.deepEqual(repoVersions(s.local, 'alpha'), ['1.0.5']);
    const tooNew = s.spk(['build', '--no-host', '-o', 'version=1.1.0', a]);
    assert.equal(tooNew.code, 0, tooNew.stderr);
    const ok = s.spk(['build', '--no-host', b]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((readBuildJson(s.local, 'beta', '1.0.0')?.deps as Array<{ version: string }>)[0].version, '1.0.5', '~1.0.0 excludes 1.1.0');
  });

  test('make-recipe renders default_opts and -o; exit 2 for a requirements file, 1 for an undefined variable', () => {
    const s = machine('real-mkr');
    const a = write(path.join(s.dir, 'gamma.spk.yaml'), '# {% set opt = opt | default_opts(version="2.0.0") %}\npkg: gamma/{{ opt.version }}\n');
    const r1 = s.spk(['make-recipe', '--no-host', a]);
    assert.equal(r1.code, 0, r1.stderr);
    assert.match(r1.stdout, /^pkg: gamma\/2\.0\.0$/m);
    const r2 = s.spk(['make-recipe', '--no-host', '-o', 'version=3.1.0', a]);
    assert.match(r2.stdout, /^pkg: gamma\/3\.1\.0$/m);
    const reqs = write(path.join(s.dir, 'reqs.spk.yaml'), 'api: v0/requirements\nrequirements:\n  - pkg: gamma\n');
    assert.equal(s.spk(['make-recipe', '--no-host', reqs]).code, 2);
    const bad = write(path.join(s.dir, 'bad.spk.yaml'), 'pkg: delta/{{ opt.nope }}\n');
    assert.equal(s.spk(['make-recipe', '--no-host', bad]).code, 1);
  });
});

// ---------------------------------------------------------------------------------------------
// The double's own range check, compared with spk (never with nx-spk's model).

interface Vector {
  id: string;
  kind: string;
  source: string;
  [k: string]: unknown;
}
const VECTORS = (JSON.parse(fs.readFileSync(path.join(repoRoot(), 'test-support', 'data', 'spk-version-vectors.json'), 'utf8')) as { vectors: Vector[] }).vectors;
const vectorsOf = (kind: string) => VECTORS.filter((v) => v.kind === kind);

describe('double range check: range.is_applicable vectors (crates/spk-schema/src/version_range_test.rs)', () => {
  for (const v of vectorsOf('range.is_applicable')) {
    test(`${v.id}: ${String(v.range)} applicable to ${String(v.version)} = ${String(v.expected)}`, () => {
      assert.equal(doubleRange.parseRange(String(v.range)).isApplicable(String(v.version)), v.expected);
    });
  }
});

describe('double range check: range.is_satisfied_by vectors (crates/spk-schema/src/version_range_test.rs)', () => {
  for (const v of vectorsOf('range.is_satisfied_by')) {
    test(`${v.id}: ${String(v.range)} by ${String(v.package_version)} (compat ${String(v.package_compat)}, ${String(v.required_compat)}) = ${String(v.expected)}`, () => {
      const r = doubleRange.parseRange(String(v.range));
      assert.equal(r.isSatisfiedBy(String(v.package_version), v.package_compat as string | undefined, String(v.required_compat)), v.expected);
    });
  }
});

describe('double range check: compat vectors (crates/spk-schema/crates/foundation/src/version/compat/compat_test.rs)', () => {
  for (const v of [...vectorsOf('compat.is_api_compatible'), ...vectorsOf('compat.is_binary_compatible')]) {
    const rule = v.kind === 'compat.is_api_compatible' ? 'API' : 'Binary';
    test(`${v.id}: ${String(v.compat)} ${rule} ${String(v.base)} -> ${String(v.other)} = ${String(v.expected)}`, () => {
      const got = doubleRange.checkCompat(String(v.compat), doubleVersion.parseVersion(String(v.base)), doubleVersion.parseVersion(String(v.other)), rule);
      assert.equal(got, v.expected);
    });
  }
});

describe('double version order: version.compare / version.parse vectors (crates/spk-schema/crates/foundation/src/version/version_test.rs)', () => {
  const ops: Record<string, (c: number) => boolean> = {
    '>': (c) => c > 0, '<': (c) => c < 0, '==': (c) => c === 0, '>=': (c) => c >= 0, '<=': (c) => c <= 0, '!=': (c) => c !== 0,
  };
  for (const v of vectorsOf('version.compare')) {
    test(`${v.id}: ${String(v.a)} ${String(v.op)} ${String(v.b)} = ${String(v.expected)}`, () => {
      assert.equal(ops[String(v.op)](doubleVersion.compareVersions(String(v.a), String(v.b))), v.expected);
    });
  }
  for (const v of [...vectorsOf('version.parse'), ...vectorsOf('range.parse').map((r): Vector => ({ ...r, input: r.range, range: true }))]) {
    test(`${v.id}: ${v.range ? 'range' : 'version'} '${String(v.input)}' parses = ${String(v.ok)}`, () => {
      const parse = () => (v.range ? doubleRange.parseRange(String(v.input)) : doubleVersion.parseVersion(String(v.input)));
      if (v.ok) assert.doesNotThrow(parse);
      else assert.throws(parse);
    });
  }
});

/**
 * Explicit rows for the request forms the e2e fixtures use (transcribed from spk's rules in
 * crates/spk-schema/crates/foundation/src/version_range/mod.rs and version/compat/mod.rs):
 * [name, range, version, compat of the candidate (undefined = x.a.b), satisfied?].
 */
const RANGE_CASES: Array<[string, string, string, string | undefined, boolean]> = [
  ['plain version: same version', '9.3', '9.3.0', undefined, true],
  ['plain version: newer patch is binary compatible under x.a.b', '9.3', '9.3.7', undefined, true],
  ['plain version: newer minor is NOT binary compatible under x.a.b', '1.2', '1.3.0', undefined, false],
  ['plain version: newer major never compatible under x.a.b', '3', '4.0.0', undefined, false],
  ['plain version: compat x.x.x forbids a newer patch', '1.2.3', '1.2.4', 'x.x.x', false],
  ['plain version: older is too low', '1.2', '1.1.9', undefined, false],
  ['empty range: any version', '', '0.0.1', undefined, true],
  ['~X.Y.Z: same minor', '~1.0.0', '1.0.9', undefined, true],
  ['~X.Y.Z: next minor excluded', '~1.0.0', '1.1.0', undefined, false],
  ['~X.Y.Z: pre-release of the bound excluded (minus epsilon)', '~1.0.0', '1.1.0-pre.1', undefined, false],
  ['~X.Y: same major', '~3.10', '3.99.0', undefined, true],
  ['~X.Y: next major excluded', '~3.10', '4.0.0', undefined, false],
  ['^X.Y: same major', '^3.20', '3.27.1', undefined, true],
  ['^X.Y: next major excluded', '^3.20', '4.0.0', undefined, false],
  ['^0.X: bumps the first non-zero part', '^0.2.3', '0.3.0', undefined, false],
  ['>=: bound included', '>=9', '9.0.0', undefined, true],
  ['>: bound excluded', '>2.0', '2.0.0', undefined, false],
  ['<: bound excluded', '<11.2.0', '11.2.0', undefined, false],
  ['<=: bound included, trailing zeros insignificant', '<=9.3.0', '9.3', undefined, true],
  ['=: trailing zeros insignificant', '=1.2', '1.2.0', undefined, true],
  ['=: post tags of the base must be present', '=1.0.0+r.1', '1.0.0', undefined, false],
  ['==: post tags must be equal', '==1.0.0', '1.0.0+r.1', undefined, false],
  ['!=: other version', '!=1.0', '1.1.0', undefined, true],
  ['!=: same version', '!=1.0', '1.0.5', undefined, false],
  ['wildcard: same major', '1.*', '1.7.3', undefined, true],
  ['wildcard: other major', '1.*', '2.0.0', undefined, false],
  ['Binary:X: needs binary compat', 'Binary:4.5.0', '4.5.3', undefined, true],
  ['Binary:X: minor bump breaks binary compat', 'Binary:4.5.0', '4.6.0', undefined, false],
  ['API:X: minor bump keeps API compat under x.a.b', 'API:4.5.0', '4.6.0', undefined, true],
  ['comma: every item must hold (in range)', '>=1.6,<1.7', '1.6.39', undefined, true],
  ['comma: every item must hold (out of range)', '>=1.6,<1.7', '1.7.0', undefined, false],
  ['pre-release tags stay with their version in a comma list', '>=2.0.0-beta.1,rc.2', '2.0.0-beta.1,rc.2', undefined, true],
];

describe('double range check: explicit rows for the request forms of the fixtures', () => {
  for (const [name, range, version, compat, expected] of RANGE_CASES) {
    test(`${name}: '${range}' by ${version}${compat ? ` (compat ${compat})` : ''} = ${expected}`, () => {
      assert.equal(doubleRange.parseRange(range).isSatisfiedBy(version, compat, 'Binary'), expected);
    });
  }
});

/** Range texts the double refuses (DoubleError naming the text) instead of guessing. */
const RANGE_REFUSED: Array<[string, string, RegExp]> = [
  ['~ needs two parts', '~2', /'~2'.*at least 2 digits/],
  ['two wildcards', '1.*.*', /'1\.\*\.\*'.*exactly one '\*'/],
  ['not a version', '>=abc', /'>=abc'/],
  ['white space', '>=1.0, <2.0', /'>=1\.0, <2\.0'.*white space/],
  ['unknown compat rule', 'Foo:1.0', /'Foo:1\.0'/],
];

describe('double range check: refusals', () => {
  for (const [name, range, message] of RANGE_REFUSED) {
    test(`${name}: '${range}'`, () => {
      assert.throws(() => doubleRange.parseRange(range), message);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The double's own template reader.

const TEMPLATE_CASES: Array<{ name: string; template: string; options?: Record<string, string>; env?: Record<string, string>; rendered?: string; error?: RegExp }> = [
  ...vectorsOf('template.default_opts').map((v) => {
    const call = String(v.call);
    return {
      name: `${v.id}: opt | ${call}`,
      template: `{% set opt = opt | ${call} %}${Object.keys(v.result as object).sort().map((k) => `${k}={{ opt.${k} }}`).join(';')}`,
      options: v.opt as Record<string, string>,
      rendered: Object.entries(v.result as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => `${k}=${x}`).join(';'),
    };
  }),
  ...vectorsOf('template.replace_regex').map((v) => ({
    name: `${v.id}: ${String(v.input)} | ${String(v.call)}`,
    template: `{{ opt.version | ${String(v.call)} }}`,
    options: { version: String(v.input) },
    rendered: String(v.rendered),
  })),
  ...vectorsOf('template.namespaced_opt').map((v) => ({
    name: `${v.id}: namespaced option`,
    template: String(v.template),
    options: v.options as Record<string, string>,
    rendered: `pkg: mypackage/${String(v.rendered_version)}`,
  })),
  ...vectorsOf('template.undefined_variable').map((v) => ({
    name: `${v.id}: undefined variable`,
    template: String(v.template),
    options: v.options as Record<string, string>,
    error: new RegExp(String(v.error_contains).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
  })),
  { name: 'python-style cpXX set from the version', template: '# {% set cpXX = opt.version | replace_regex(from="(\\d+)\\.(\\d+).*", to="cp$1$2") %}\nabi: {{ cpXX }}', options: { version: '3.9.18' }, rendered: '# \nabi: cp39' },
  { name: 'comment removed', template: 'a{# note #}b', rendered: 'ab' },
  { name: 'env and spk data', template: '{{ env.HOME_X }} {{ spk.version }}', env: { HOME_X: '/h' }, rendered: '/h 0.44.0' },
  { name: 'refuses an if block', template: 'x\n{% if opt.a %}y{% endif %}', error: /t\.yaml:2: .*'\{% if opt\.a %\}' is not modelled/ },
  { name: 'refuses whitespace control', template: '{{- opt.version }}', options: { version: '1' }, error: /whitespace control/ },
  { name: 'refuses an unknown filter', template: '{{ opt.version | upper }}', options: { version: '1' }, error: /filter 'upper' is not modelled/ },
  { name: 'refuses an unclosed tag', template: 'pkg: a/{{ opt.version', options: { version: '1' }, error: /unclosed/ },
];

describe('double template reader', () => {
  for (const c of TEMPLATE_CASES) {
    test(c.name, () => {
      const run = () => doubleTemplate.renderTemplate(c.template, { options: c.options ?? {}, env: c.env ?? {}, file: 't.yaml' });
      if (c.error) assert.throws(run, c.error);
      else assert.equal(run(), c.rendered);
    });
  }
});

describe('double recipe reading of the repository fixtures', () => {
  const { readRecipe } = require(path.join(spkDoubleDir(), 'lib', 'recipe.js')) as {
    readRecipe(file: string, o: { options?: Record<string, string>; cliOptions?: Record<string, string> }): {
      recipeVersions: Array<{ name: string; version: string; requirements: Array<{ role: string; request: string; variants?: number[] }> }>;
    };
  };
  // [fixture file, -o options, name/version, build requests as `role:request@variants`]
  const CASES: Array<[string, Record<string, string>, string, string[]]> = [
    ['e2e/fixtures/build-ws/packages/python/python.spk.yaml', {}, 'python/3.10.0', ['build:stdfs@0', 'build:gcc/9.3@0', 'build:zlib/1.2@0']],
    ['e2e/fixtures/build-ws/packages/python/python.spk.yaml', { version: '3.9.1' }, 'python/3.9.1', ['build:stdfs@0', 'build:gcc/9.3@0', 'build:zlib/1.2@0']],
    ['e2e/fixtures/build-ws/packages/imath/imath.spk.yaml', {}, 'imath/3.1.0', ['build:gcc/9.3@0,1', 'build:cmake/^3.20@0,1', 'build:python/~3.9.0@0', 'build:python/~3.10.0@1']],
    ['e2e/fixtures/build-ws/packages/imath/imath.spk.yaml', { python: '~3.10.0' }, 'imath/3.1.0', ['build:gcc/9.3@0,1', 'build:cmake/^3.20@0,1', 'build:python/~3.10.0@0,1']],
    ['e2e/fixtures/build-ws/packages/studio-platform/studio-platform.spk.yaml', {}, 'studio-platform/2024.0.0', ['platform-base:base-platform/1.0.0@']],
    ['e2e/fixtures/edge-cases/packages/comp/comp.spk.yaml', {}, 'comp/1.0.0', ['build:python:{build,run}/3.9@0']],
  ];
  for (const [file, opts, ident, reqs] of CASES) {
    test(`${file} ${JSON.stringify(opts)} -> ${ident}`, () => {
      const [rv] = readRecipe(path.join(repoRoot(), file), { options: opts, cliOptions: opts }).recipeVersions;
      assert.equal(`${rv.name}/${rv.version}`, ident);
      assert.deepEqual(rv.requirements.map((q) => `${q.role}:${q.request}@${(q.variants ?? []).join(',')}`), reqs);
    });
  }
  test('a recipe with an undefined template variable fails naming the file and line', () => {
    const file = path.join(repoRoot(), 'e2e/fixtures/edge-cases/packages/broken/broken.spk.yaml');
    assert.throws(() => readRecipe(file, { options: { version: '1.0.0' } }), /broken\.spk\.yaml:7: .*Variable `opt\.typo` not found/);
  });
});
