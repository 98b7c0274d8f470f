/**
 * Tests of the spk test double itself (e2e/fixtures/spk-double): the CLI contract it
 * enforces, its directory repositories, export/import with real tar archives, ls/publish,
 * build-time dependency resolution, fault injection and the invocation log.
 *
 * Build logic is tested twice: against a tiny fake model (deterministic, tests the double),
 * and against the project's real model (src/spk via tsx, or dist/) when that exists.
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

const FAKE_MODEL = path.join(spkDoubleDir(), 'test-support', 'fake-model.js');

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
  const env = spkDoubleEnv(dir, { model: FAKE_MODEL, ...extra });
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
    assert.deepEqual(readBuildJson(s.local, 'a', '1.0.0')?.options, { os: 'linux', arch: 'x86_64', version: '1.0.0' });
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

describe('build (fake model): resolution, fault injection, log', () => {
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

/** The real model: the TypeScript sources of src/spk through tsx. */
function realModelShim(): string {
  const root = repoRoot();
  const src = path.join(root, 'src', 'spk');
  const shim = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-model-shim-')), 'model.js');
  const tsxCjs = require.resolve('tsx/cjs', { paths: [root] });
  // merge the individual modules: the double reads some helpers index.ts does not re-export
  const parts = ['index', 'version', 'range', 'compat', 'host', 'template', 'recipe'];
  fs.writeFileSync(shim, `require(${JSON.stringify(tsxCjs)});\nmodule.exports = Object.assign({}, ${parts
    .map((p) => `require(${JSON.stringify(path.join(src, `${p}.ts`))})`).join(', ')});\n`);
  return shim;
}

describe('build (real nx-spk model)', () => {
  const shim = realModelShim();

  test('build order is enforced with the real recipe model', () => {
    const s = machine('real', { model: shim });
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

  test('make-recipe renders with the real template engine; exit 2 for a requirements file', () => {
    const s = machine('real-mkr', { model: shim });
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
