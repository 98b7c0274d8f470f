import { test, describe, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import runExecutor from './executor';
import { FakeWorkspace, fakeContext, spkBuildTarget, captureConsole, type FakeProject } from '../../test-support/fake-context';
import type { SpkPublishExecutorOptions } from '../shared/options';

function projects(outputPath?: string): FakeProject[] {
  return [
    {
      name: 'zlib@1.2.13',
      root: 'recipes/zlib/1.2.13',
      deps: ['gcc@9.3.0'],
      targets: { 'spk-build': spkBuildTarget('zlib', '1.2.13', outputPath ? { outputPath } : {}) },
    },
    { name: 'gcc@9.3.0', root: 'recipes/gcc/9.3.0', targets: { 'spk-build': spkBuildTarget('gcc', '9.3.0') } },
  ];
}

let ws: FakeWorkspace;
afterEach(() => ws?.dispose());

function opts(extra: Partial<SpkPublishExecutorOptions> = {}): SpkPublishExecutorOptions {
  return { package: 'zlib', version: '1.2.13', spkBin: ws.spk, env: ws.env({ FAKE_SPK_LS_LOCAL: '1.2.13' }), ...extra };
}

describe('spk-publish', () => {
  test('imports its own archive (from the spk-build outputPath) then publishes to origin', async () => {
    ws = new FakeWorkspace();
    ws.write('out/{zlib}/zlib_1.2.13.spk', 'z');
    ws.write('dist/spk/gcc/9.3.0/gcc_9.3.0.spk', 'g');
    const { result } = await captureConsole(() =>
      runExecutor(opts(), fakeContext(ws.root, projects('{workspaceRoot}/out/{zlib}'), 'zlib@1.2.13')),
    );
    assert.deepEqual(result, { success: true });
    assert.deepEqual(ws.argvs(), [
      ['ls', '--no-src', '--no-host', '--disable-repo', 'local', '-r', 'origin', 'zlib'],
      ['import', '--sync', '<copy>/zlib_1.2.13.spk'],
      ['ls', '--no-src', '--no-host', '-L', 'zlib'],
      ['publish', '-r', 'origin', 'zlib/1.2.13'],
    ]);
    // spk is handed a private copy, never the archive in the Nx output directory.
    assert.ok(!ws.calls()[1]!.argv[2]!.includes('/out/'));
  });

  test('already published in the target = success, said so, no spk publish', async () => {
    ws = new FakeWorkspace();
    const { result, out } = await captureConsole(() =>
      runExecutor(opts({ env: ws.env({ FAKE_SPK_LS_REPO: '1.2.13.0' }) }), fakeContext(ws.root, projects(), 'zlib@1.2.13')),
    );
    assert.deepEqual(result, { success: true });
    assert.ok(out.includes('zlib/1.2.13 is already published in origin; nothing to do'), out.join('\n'));
    assert.deepEqual(ws.argvs().map((a) => a[0]), ['ls']);
  });

  test('nothing in the local repository = a clear failure, no spk publish', async () => {
    ws = new FakeWorkspace();
    const { result, err } = await captureConsole(() => runExecutor(opts({ env: ws.env() }), fakeContext(ws.root, projects(), 'zlib@1.2.13')));
    assert.deepEqual(result, { success: false });
    assert.match(err.join('\n'), /nothing to publish: the local repository has no binary build of zlib\/1\.2\.13/);
    assert.deepEqual(ws.argvs().map((a) => a[0]), ['ls', 'ls']);
  });

  test('targetRepo, no archive on disk -> no import', async () => {
    ws = new FakeWorkspace();
    const { result } = await captureConsole(() => runExecutor(opts({ targetRepo: 'staging', env: ws.env({ FAKE_SPK_LS_LOCAL: '1.2.13' }) }), fakeContext(ws.root, projects(), 'zlib@1.2.13')));
    assert.deepEqual(result, { success: true });
    assert.deepEqual(ws.argvs(), [
      ['ls', '--no-src', '--no-host', '--disable-repo', 'local', '--disable-repo', 'origin', '-r', 'staging', 'zlib'],
      ['ls', '--no-src', '--no-host', '-L', 'zlib'],
      ['publish', '-r', 'staging', 'zlib/1.2.13'],
    ]);
  });

  test('failure reports exit code', async () => {
    ws = new FakeWorkspace();
    const { result, err } = await captureConsole(() =>
      runExecutor(opts({ env: ws.env({ FAKE_SPK_FAIL: 'publish', FAKE_SPK_LS_LOCAL: '1.2.13' }) }), fakeContext(ws.root, projects(), 'zlib@1.2.13')),
    );
    assert.deepEqual(result, { success: false });
    assert.deepEqual(err, ['spk publish failed (exit 3) for zlib/1.2.13 to origin']);
  });

  test('hostile package/version/repo are rejected without running spk', async () => {
    ws = new FakeWorkspace();
    for (const bad of [{ package: '--force' }, { version: '--help' }, { targetRepo: '-f' }]) {
      const { result } = await captureConsole(() => runExecutor(opts(bad), fakeContext(ws.root, projects(), 'zlib@1.2.13')));
      assert.deepEqual(result, { success: false }, JSON.stringify(bad));
    }
    assert.deepEqual(ws.calls(), []);
  });

  test('dry run', async () => {
    ws = new FakeWorkspace();
    ws.write('dist/spk/zlib/1.2.13/zlib_1.2.13.spk', 'z');
    const { result, out } = await captureConsole(() =>
      runExecutor(opts({ dryRun: true, spkBin: undefined }), fakeContext(ws.root, projects(), 'zlib@1.2.13')),
    );
    assert.deepEqual(result, { success: true });
    assert.deepEqual(out, [
      '[dry-run] spk ls --no-src --no-host --disable-repo local -r origin zlib',
      '[dry-run] spk import --sync dist/spk/zlib/1.2.13/zlib_1.2.13.spk',
      '[dry-run] spk ls --no-src --no-host -L zlib',
      '[dry-run] spk publish -r origin zlib/1.2.13',
    ]);
    assert.deepEqual(ws.calls(), []);
  });
});
