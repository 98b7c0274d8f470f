import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { normalizeOptions } from './options';
import { projectRootDefaultsProblems } from './nx-json-check';
import type { PluginRecipeVersion } from './recipe-record';
import { buildTargets, sourceInputs, spkVersionRuntimeInput, SPK_VERSION_CACHE_DIR, SPK_VERSION_SCRIPT, spkVersionScriptFrom } from './targets';

function rv(over: Partial<PluginRecipeVersion> = {}): PluginRecipeVersion {
  return {
    file: 'packages/zlib/zlib.spk.yaml',
    name: 'zlib',
    version: '1.2.13',
    kind: 'v0/package',
    templated: false,
    compat: 'x.a.b',
    requirements: [],
    provides: [],
    sources: { paths: ['packages/zlib'], excludes: [], remote: [] },
    tests: [{ stage: 'build' } as PluginRecipeVersion['tests'][number]],
    variants: [{}],
    warnings: [],
    envRefs: [],
    ...over,
  };
}

describe('sourceInputs: each file covered once', () => {
  const cases: Array<{ name: string; paths: string[]; excludes?: string[]; want: string[] }> = [
    { name: 'recipe inside its source dir: the dir alone', paths: ['packages/zlib'], want: ['{workspaceRoot}/packages/zlib'] },
    { name: 'trailing slash is the same dir', paths: ['packages/zlib/'], want: ['{workspaceRoot}/packages/zlib'] },
    {
      name: 'source elsewhere: recipe file and the source',
      paths: ['vendor/zlib-src'],
      want: ['{workspaceRoot}/packages/zlib/zlib.spk.yaml', '{workspaceRoot}/vendor/zlib-src'],
    },
    { name: 'a nested source adds nothing', paths: ['packages/zlib', 'packages/zlib/src'], want: ['{workspaceRoot}/packages/zlib'] },
    { name: 'the workspace root covers everything', paths: ['.', 'packages/zlib'], want: ['{workspaceRoot}/**/*'] },
    {
      name: 'excludes are negated under the kept base',
      paths: ['packages/zlib'],
      excludes: ['*.o'],
      want: ['{workspaceRoot}/packages/zlib', '!{workspaceRoot}/packages/zlib/**/*.o', '!{workspaceRoot}/packages/zlib/**/*.o/**/*'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(sourceInputs(rv({ sources: { paths: c.paths, excludes: c.excludes ?? [], remote: [] } })), c.want);
    });
  }
});

describe('buildTargets: inputs, help, fingerprint', () => {
  const opts = normalizeOptions({ spkBin: 'tools/spk' });
  const spkVersionInput = spkVersionRuntimeInput(opts.spkBin, 'node_modules/nx-spk/bin/spk-version.sh');
  const targets = buildTargets({ rv: rv(), opts, spkWorkspace: '.', host: { os: 'linux', arch: 'x86_64' }, env: {}, spkVersionInput });

  test('every target declares inputs (none may fall back to {projectRoot})', () => {
    for (const [name, t] of Object.entries(targets)) {
      assert.ok(Array.isArray(t.inputs), `${name} has inputs`);
      for (const i of t.inputs!) assert.ok(!JSON.stringify(i).includes('{projectRoot}'), `${name}: ${JSON.stringify(i)}`);
    }
  });
  test('SPK_BIN is not an env input (a path); the version of spkBin is a runtime input', () => {
    const build = targets['spk-build'].inputs!;
    assert.ok(!build.some((i) => typeof i === 'object' && 'env' in i && i.env === 'SPK_BIN'));
    assert.ok(build.some((i) => typeof i === 'object' && 'runtime' in i && i.runtime === spkVersionInput));
  });
  test('no input is listed twice', () => {
    for (const t of Object.values(targets)) {
      const keys = t.inputs!.map((i) => JSON.stringify(i));
      assert.equal(new Set(keys).size, keys.length, keys.join('\n'));
    }
  });
  test('help on every target names the spk the executors run', () => {
    assert.equal(targets['spk-build'].metadata?.help?.command, 'tools/spk build --help');
    assert.equal(targets['spk-test'].metadata?.help?.command, 'tools/spk test --help');
    assert.equal(targets['spk-publish'].metadata?.help?.command, 'tools/spk publish --help');
    const fromEnv = buildTargets({ rv: rv(), opts: normalizeOptions({}), spkWorkspace: '.', env: { SPK_BIN: '/opt/spk/bin/spk' }, spkVersionInput });
    assert.equal(fromEnv['spk-build'].metadata?.help?.command, '/opt/spk/bin/spk build --help');
  });
  test('plugin version and unpinned host travel in the options (hashed with the project configuration)', () => {
    assert.deepEqual(targets['spk-build'].options.fingerprint, { plugin: `nx-spk@${opts.pluginVersion}`, host: 'arch=x86_64,os=linux' });
    assert.ok(!targets['spk-build'].inputs!.some((i) => typeof i === 'object' && 'runtime' in i && /uname|echo nx-spk/.test(String(i.runtime))));
    const pinned = buildTargets({ rv: rv(), opts: normalizeOptions({ hostOptions: { os: 'linux' } }), spkWorkspace: '.', env: {}, spkVersionInput });
    assert.equal(pinned['spk-build'].options.fingerprint.host, undefined);
  });
});

describe('spk version runtime input', () => {
  // The real script (bin/spk-version.sh), by absolute path: the tests run in a temp workspace.
  const input = (spkBin?: string) => spkVersionRuntimeInput(spkBin, SPK_VERSION_SCRIPT);
  function sh(cmd: string, cwd: string, env: Record<string, string>) {
    const r = spawnSync('/bin/sh', ['-c', cmd], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
    return r.stdout.trim();
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'nx-spk-version-input-'));
  const counter = path.join(dir, 'calls');
  function fakeSpk(at: string, version: string) {
    mkdirSync(path.dirname(at), { recursive: true });
    writeFileSync(at, `#!/bin/sh\necho x >> '${counter}'\n[ "$1" = version ] && echo 'spk ${version}'\n`);
    chmodSync(at, 0o755);
  }
  fakeSpk(path.join(dir, 'a', 'spk'), '0.42.0');
  fakeSpk(path.join(dir, 'b', 'spk'), '0.42.0');
  fakeSpk(path.join(dir, 'tools', 'spk'), '0.43.0');
  const calls = () => {
    try {
      return readdirSync(dir).includes('calls') ? require('node:fs').readFileSync(counter, 'utf8').split('\n').filter(Boolean).length : 0;
    } catch {
      return 0;
    }
  };

  test('the same spk at two paths hashes the same; the path never appears', () => {
    const a = sh(input(), dir, { SPK_BIN: path.join(dir, 'a', 'spk') });
    const b = sh(input(), dir, { SPK_BIN: path.join(dir, 'b', 'spk') });
    assert.equal(a, 'spk 0.42.0');
    assert.equal(b, a);
  });
  test('the spkBin option wins over $SPK_BIN (relative to the workspace root)', () => {
    assert.equal(sh(input('tools/spk'), dir, { SPK_BIN: path.join(dir, 'a', 'spk') }), 'spk 0.43.0');
  });
  test('a missing binary hashes as a fixed string', () => {
    assert.equal(sh(input('nowhere/spk'), dir, {}), 'spk-unavailable');
  });
  test('spk runs once per calling process and binary (memoised), and the memo is read back', () => {
    rmSync(path.join(dir, SPK_VERSION_CACHE_DIR), { recursive: true, force: true });
    const before = calls();
    // One shell calls the input three times: same $PPID, as Nx's hasher does within one run.
    const cmd = input('tools/spk').replace(/'/g, `'\\''`);
    const out = sh(`for i in 1 2 3; do sh -c '${cmd}'; done`, dir, {});
    assert.deepEqual(out.split('\n'), ['spk 0.43.0', 'spk 0.43.0', 'spk 0.43.0']);
    assert.equal(calls() - before, 1);
  });
  test('a reinstalled spk (modified after the memo) is asked again', () => {
    const cmd = input('re/spk');
    fakeSpk(path.join(dir, 're', 'spk'), '1.0.0');
    assert.equal(sh(cmd, dir, {}), 'spk 1.0.0');
    assert.equal(sh(cmd, dir, {}), 'spk 1.0.0');
    fakeSpk(path.join(dir, 're', 'spk'), '2.0.0');
    assert.equal(sh(cmd, dir, {}), 'spk 2.0.0');
  });
  test('shells hashing in parallel still start spk once (the others wait for its answer)', () => {
    rmSync(path.join(dir, SPK_VERSION_CACHE_DIR), { recursive: true, force: true });
    fakeSpk(path.join(dir, 'slow', 'spk'), '0.44.0');
    const before = calls();
    const cmd = input('slow/spk').replace(/'/g, `'\\''`);
    const out = sh(`for i in 1 2 3 4 5 6; do sh -c '${cmd}' > out.$i & done; wait; cat out.1 out.2 out.3 out.4 out.5 out.6`, dir, {});
    assert.deepEqual(out.split('\n'), Array(6).fill('spk 0.44.0'));
    assert.equal(calls() - before, 1);
  });
  test('a NX_SPK_BIN_OPTION in the environment does not leak in when spkBin is unset', () => {
    assert.equal(sh(input(), dir, { NX_SPK_BIN_OPTION: 'tools/spk', SPK_BIN: path.join(dir, 'a', 'spk') }), 'spk 0.42.0');
  });
  test('the command only sources the script (it is copied into every target of every project)', () => {
    assert.equal(spkVersionRuntimeInput(undefined, 'node_modules/nx-spk/bin/spk-version.sh'), "NX_SPK_BIN_OPTION=''; . node_modules/nx-spk/bin/spk-version.sh");
    assert.equal(spkVersionRuntimeInput("it's/spk", '/opt/my plugins/spk-version.sh'), `NX_SPK_BIN_OPTION='it'\\''s/spk'; . '/opt/my plugins/spk-version.sh'`);
  });
});

describe('spkVersionScriptFrom: how the runtime input names the script', () => {
  const cases = [
    { name: 'installed in the workspace: relative (the same text on every machine)', root: '/ws', script: '/ws/node_modules/nx-spk/bin/spk-version.sh', want: 'node_modules/nx-spk/bin/spk-version.sh' },
    { name: 'linked from outside the workspace: absolute', root: '/ws', script: '/src/nx-spk/bin/spk-version.sh', want: '/src/nx-spk/bin/spk-version.sh' },
  ];
  for (const c of cases) test(c.name, () => assert.equal(spkVersionScriptFrom(c.root, c.script), c.want));
  test('the shipped script exists where the plugin looks for it', () => {
    assert.ok(existsSync(SPK_VERSION_SCRIPT), SPK_VERSION_SCRIPT);
  });
});

describe('targetDefaults with {projectRoot}', () => {
  const opts = normalizeOptions({});
  const cases: Array<{ name: string; nxJson: object; want: RegExp | null }> = [
    { name: 'direct {projectRoot} fileset on spk-build', nxJson: { targetDefaults: { 'spk-build': { inputs: ['{projectRoot}/**/*'] } } }, want: /targetDefaults\["spk-build"\].*virtual roots/ },
    { name: 'Nx built-in "default" named input', nxJson: { targetDefaults: { 'spk-publish': { inputs: ['default'] } } }, want: /built-in named input "default"/ },
    {
      name: 'through a named input, keyed by executor',
      nxJson: { namedInputs: { production: ['{projectRoot}/src/**/*'] }, targetDefaults: { 'nx-spk:spk-test': { inputs: ['^production'] } } },
      want: /via "\^production"/,
    },
    { name: 'workspaceRoot inputs are fine', nxJson: { targetDefaults: { 'spk-build': { inputs: ['{workspaceRoot}/x'] } } }, want: null },
    { name: 'other targets are not ours', nxJson: { targetDefaults: { build: { inputs: ['default'] } } }, want: null },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const msgs = projectRootDefaultsProblems(c.nxJson, opts);
      if (c.want === null) assert.deepEqual(msgs, []);
      else {
        assert.equal(msgs.length, 1, msgs.join('\n'));
        assert.match(msgs[0], c.want);
      }
    });
  }
});
