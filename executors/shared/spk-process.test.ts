import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, chmodSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveSpkBin, runSpk, spkVersion, listPackageVersions } from './spk-process';
import { SpkError } from '../../src/spk/errors';
import { writeFakeSpk, readFakeSpkLog, isProcessAlive } from '../../test-support/fake-spk';

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'nx-spk-cli-'));
}

describe('resolveSpkBin', () => {
  test('option > SPK_BIN > PATH', () => {
    const dir = tmp();
    try {
      const a = writeFakeSpk(path.join(dir, 'a'));
      const b = writeFakeSpk(path.join(dir, 'b'));
      const c = writeFakeSpk(path.join(dir, 'c'));
      assert.equal(resolveSpkBin(a, { SPK_BIN: b, PATH: path.dirname(c) }), a);
      assert.equal(resolveSpkBin(undefined, { SPK_BIN: b, PATH: path.dirname(c) }), b);
      assert.equal(resolveSpkBin(undefined, { PATH: `/nonexistent:${path.dirname(c)}` }), c);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('missing binary: one clear message naming the source', () => {
    assert.throws(
      () => resolveSpkBin(undefined, { PATH: '/nonexistent' }),
      (e: unknown) =>
        e instanceof SpkError &&
        e.kind === 'cli' &&
        e.message === "spk binary not found: looked for 'spk' (from PATH); install spk or set spkBin / SPK_BIN",
    );
    assert.throws(
      () => resolveSpkBin(undefined, { SPK_BIN: '/no/such/spk', PATH: '' }),
      /spk binary not found: looked for '\/no\/such\/spk' \(from SPK_BIN\)/,
    );
    assert.throws(() => resolveSpkBin('/no/spk', {}), /looked for '\/no\/spk' \(from option spkBin\)/);
  });
  test('a non-executable file is not accepted', () => {
    const dir = tmp();
    try {
      const f = path.join(dir, 'spk');
      writeFileSync(f, 'x');
      chmodSync(f, 0o644);
      assert.throws(() => resolveSpkBin(f, {}), /spk binary not found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runSpk', () => {
  test('captures output and exit code, passes argv verbatim and env', async () => {
    const dir = tmp();
    try {
      const bin = writeFakeSpk(dir);
      const log = path.join(dir, 'log');
      const r = await runSpk(bin, ['build', '-o', `msg=a "b" 'c'`, './--help'], {
        cwd: dir,
        env: { FAKE_SPK_LOG: log, SPFS_STORAGE__TAG_NAMESPACE: 'ns1' },
        stream: false,
      });
      assert.equal(r.exitCode, 0);
      assert.equal(r.stdout, 'fake build done\n');
      const calls = readFakeSpkLog(log);
      assert.deepEqual(calls[0]!.argv, ['build', '-o', `msg=a "b" 'c'`, './--help']);
      assert.equal(calls[0]!.tagNamespace, 'ns1');
      const f = await runSpk(bin, ['build'], { cwd: dir, env: { FAKE_SPK_FAIL: 'build' }, stream: false });
      assert.equal(f.exitCode, 3);
      assert.match(f.stderr, /failed on purpose/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('ENOENT gives the clear not-found message', async () => {
    await assert.rejects(runSpk('/no/such/spk-bin', ['version'], { cwd: '/', stream: false }), /spk binary not found: looked for '\/no\/such\/spk-bin'/);
  });
  test('abort kills the whole process group, including grandchildren', async () => {
    const dir = tmp();
    try {
      const bin = writeFakeSpk(dir);
      const pidFile = path.join(dir, 'gpid');
      const ac = new AbortController();
      const p = runSpk(bin, ['build'], {
        cwd: dir,
        env: { FAKE_SPK_SLEEP: 'build', FAKE_SPK_GRANDCHILD_PID: pidFile },
        stream: false,
        signal: ac.signal,
        killGraceMs: 2000,
      });
      const start = Date.now();
      while (!existsSync(pidFile) && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 100));
      const gpid = Number(readFileSync(pidFile, 'utf8'));
      assert.ok(isProcessAlive(gpid));
      const listenersBefore = process.listenerCount('SIGTERM');
      ac.abort();
      const r = await p;
      assert.equal(r.interrupted, 'abort');
      assert.equal(r.signal, 'SIGTERM');
      const deadline = Date.now() + 3000;
      while (isProcessAlive(gpid) && Date.now() < deadline) await new Promise((r2) => setTimeout(r2, 50));
      assert.equal(isProcessAlive(gpid), false, 'grandchild must be gone');
      assert.equal(process.listenerCount('SIGTERM'), listenersBefore - 1, 'runSpk removes its signal handler');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('spkVersion / listPackageVersions', () => {
  test('spkVersion parses, never throws', async () => {
    const dir = tmp();
    try {
      const bin = writeFakeSpk(dir);
      assert.equal(await spkVersion(bin), '0.44.0');
      assert.equal(await spkVersion('/no/such/spk'), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('listPackageVersions runs spk ls with the scope and parses lines', async () => {
    const dir = tmp();
    try {
      const bin = writeFakeSpk(dir);
      const log = path.join(dir, 'log');
      const env = { FAKE_SPK_LOG: log, FAKE_SPK_LS: '1.2.13,1.2.11' };
      assert.deepEqual(await listPackageVersions(bin, 'zlib', { repo: 'origin' }, { cwd: dir, env }), ['1.2.13', '1.2.11']);
      assert.deepEqual(readFakeSpkLog(log)[0]!.argv, ['ls', '--no-src', '--no-host', '--disable-repo', 'local', '-r', 'origin', 'zlib']);
      await assert.rejects(listPackageVersions(bin, 'zlib', {}, { cwd: dir, env: { FAKE_SPK_FAIL: 'ls' } }), SpkError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
