/**
 * e2e: the executors against what real spk does (issue: executors and plan correct against the
 * real spk), with the spk test double modelling each behaviour (its README cites the spk source):
 *  - `spk import` keeps a tag that already exists locally unless `--sync` (crates/spfs/src/sync.rs);
 *  - `spk import` writes back the archive it read (crates/spfs/src/storage/tar/repository.rs);
 *  - a failed `spk build` leaves the recipe and `/src` in local, and `spk ls` lists such a version
 *    unless `--no-src` (crates/spk-cli/group2/src/cmd_ls.rs);
 *  - `spk publish` fails with "Version exists" on a rerun (crates/spk-cli/common/src/publish.rs).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  buildFixtureWorkspace,
  machineEnv,
  readBuildJson,
  readDoubleLog,
  remoteCacheEnv,
  seedSpkPackage,
  startRemoteCacheServer,
  type ExecResult,
  type RemoteCacheServer,
  type TestWorkspace,
} from './helpers';

const STDFS_ARCHIVE = 'dist/spk/stdfs/1.0.0/stdfs_1.0.0.spk';

function output(r: ExecResult): string {
  return `${r.stdout}\n${r.stderr}`;
}

function sha(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** sha256 of every file under `dir`, by relative path. */
function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.spk')) out[path.relative(dir, p)] = sha(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

describe('e2e: executors against real spk behaviour (spk test double)', () => {
  describe('two machines: a restored archive wins over an older local build; imports never touch Nx files', () => {
    const token = 'e2e-real-spk-token';
    let server: RemoteCacheServer;
    let machines: string;
    let a: TestWorkspace;
    let b: TestWorkspace;
    before(async () => {
      machines = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-real-'));
      server = await startRemoteCacheServer({ dir: path.join(machines, 'cache'), token });
      [a, b] = [await buildFixtureWorkspace(), await buildFixtureWorkspace()];
    });
    after(async () => {
      await a?.cleanup();
      await b?.cleanup();
      await server?.close();
      if (machines) fs.rmSync(machines, { recursive: true, force: true });
    });

    test('machine B has an old stdfs build (same build id); the new one from the cache is what its builds use; --parallel=4 importers leave the cached archive byte-identical and import it once', async () => {
      // B built stdfs first, on its own (no remote cache): an old build in B's local repository.
      const envB0 = machineEnv(path.join(machines, 'b'), {}, 'nx-cache-0');
      await b.runNx(['run', 'stdfs@1.0.0:spk-build'], { env: envB0 });
      const old = readBuildJson(envB0.SPK_DOUBLE_REPO, 'stdfs', '1.0.0');
      assert.ok(old, 'B has its own stdfs build');

      // A builds stdfs later (a rebuild: same options, so the same build id) and shares it.
      const envA = { ...machineEnv(path.join(machines, 'a')), ...remoteCacheEnv(server, token) };
      await a.runNx(['run', 'stdfs@1.0.0:spk-build'], { env: envA });
      const fresh = readBuildJson(envA.SPK_DOUBLE_REPO, 'stdfs', '1.0.0')!;
      assert.equal(fresh.buildId, old!.buildId, 'same build id: the options are the same');
      assert.notEqual(fresh.builtAt, old!.builtAt);

      // B, fresh Nx cache + the remote cache: stdfs is restored from A's upload.
      const envB = { ...machineEnv(path.join(machines, 'b'), {}, 'nx-cache-1'), ...remoteCacheEnv(server, token) };
      seedSpkPackage(envB.SPK_DOUBLE_ORIGIN, { name: 'gcc', version: '0.0.0+bootstrap.1' });
      const r0 = await b.runNx(['run', 'stdfs@1.0.0:spk-build'], { env: envB });
      assert.match(output(r0), /remote cache|local cache|existing outputs match the cache/);
      const before = { dist: sha(path.join(b.root, STDFS_ARCHIVE)), cache: treeHashes(envB.NX_CACHE_DIRECTORY) };
      assert.ok(Object.keys(before.cache).length > 0, 'the Nx cache holds the stdfs archive');
      const logBefore = readDoubleLog(envB.SPK_DOUBLE_LOG).length;

      const r = await b.runNx(
        ['run-many', '-t', 'spk-build', '-p', 'gcc@6.3.0', 'gcc@9.3.0', '--excludeTaskDependencies', '--parallel=4', '--skip-nx-cache'],
        { env: envB },
      );
      assert.equal(r.code, 0, output(r));
      const now = readBuildJson(envB.SPK_DOUBLE_REPO, 'stdfs', '1.0.0')!;
      assert.equal(now.builtAt, fresh.builtAt, 'B\'s local stdfs is the build restored from the cache, not its old one');
      assert.equal(sha(path.join(b.root, STDFS_ARCHIVE)), before.dist, 'the restored archive in dist/ is byte-identical');
      assert.deepEqual(treeHashes(envB.NX_CACHE_DIRECTORY), before.cache, 'the Nx cache\'s archives are byte-identical');
      const imports = readDoubleLog(envB.SPK_DOUBLE_LOG).slice(logBefore)
        .filter((e) => e.argv[0] === 'import' && e.argv.some((x) => x.endsWith('stdfs_1.0.0.spk')));
      assert.equal(imports.length, 1, `stdfs imported once per invocation:\n${imports.map((e) => e.argv.join(' ')).join('\n')}`);
      assert.ok(imports[0]!.argv.includes('--sync'));
      assert.ok(!imports[0]!.argv.some((x) => x.startsWith(b.root)) && !imports[0]!.argv.some((x) => x.startsWith('dist/')), 'spk imported a private copy');
    });
  });

  test('a failed build leaves only the recipe and /src; skipExisting: local then builds it', async () => {
    const ws = await buildFixtureWorkspace({ skipExisting: 'local' });
    const machines = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-real-'));
    try {
      const failing = machineEnv(path.join(machines, 'm'), { extra: { SPK_DOUBLE_FAIL: 'stdfs' } });
      const r1 = await ws.runNx(['run', 'stdfs@1.0.0:spk-build'], { env: failing, allowFailure: true });
      assert.notEqual(r1.code, 0);
      assert.ok(fs.existsSync(path.join(failing.SPK_DOUBLE_REPO, 'stdfs', '1.0.0', 'src.json')), 'recipe + /src stay in local');
      const env = machineEnv(path.join(machines, 'm'));
      const r2 = await ws.runNx(['run', 'stdfs@1.0.0:spk-build', '--skip-nx-cache'], { env });
      assert.equal(r2.code, 0, output(r2));
      assert.doesNotMatch(output(r2), /already exists in local/);
      const builds = readDoubleLog(env.SPK_DOUBLE_LOG).filter((e) => e.argv[0] === 'build');
      assert.deepEqual(builds.map((e) => e.exit), [1, 0], 'the second run built stdfs');
      assert.ok(readBuildJson(env.SPK_DOUBLE_REPO, 'stdfs', '1.0.0'), 'a binary build is in local now');
    } finally {
      await ws.cleanup();
      fs.rmSync(machines, { recursive: true, force: true });
    }
  });

  test('publish twice: the second run succeeds and says the version is already published', async () => {
    // `inputs: []` so the publish target hashes without the virtual project root (another change
    // gives spk-publish its own inputs; this keeps the test about publish semantics).
    const ws = await buildFixtureWorkspace({}, { targetDefaults: { 'spk-publish': { inputs: [] } } });
    const machines = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-real-'));
    try {
      const env = machineEnv(path.join(machines, 'm'));
      await ws.runNx(['run', 'stdfs@1.0.0:spk-build'], { env });
      const r1 = await ws.runNx(['run', 'stdfs@1.0.0:spk-publish', '--skip-nx-cache'], { env });
      assert.equal(r1.code, 0, output(r1));
      assert.ok(readBuildJson(env.SPK_DOUBLE_ORIGIN, 'stdfs', '1.0.0'), 'published to origin');
      const r2 = await ws.runNx(['run', 'stdfs@1.0.0:spk-publish', '--skip-nx-cache'], { env, allowFailure: true });
      assert.equal(r2.code, 0, output(r2));
      assert.match(output(r2), /stdfs\/1\.0\.0 is already published in origin; nothing to do/);
      const publishes = readDoubleLog(env.SPK_DOUBLE_LOG).filter((e) => e.argv[0] === 'publish');
      assert.equal(publishes.length, 1, 'spk publish ran once');
    } finally {
      await ws.cleanup();
      fs.rmSync(machines, { recursive: true, force: true });
    }
  });
});
