import { test, describe, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import runExecutor from './executor';
import { runLocalPackages } from '../shared/run-local-packages';
import { FakeWorkspace, fakeContext, spkBuildTarget, captureConsole, type FakeProject } from '../../test-support/fake-context';
import type { SpkTestExecutorOptions } from '../shared/options';

const RECIPE = 'recipes/zlib.spk.yaml';

function projects(): FakeProject[] {
  return [
    {
      name: 'zlib@1.2.13',
      root: 'recipes/zlib/1.2.13',
      deps: ['gcc@9.3.0'],
      targets: { 'spk-build': spkBuildTarget('zlib', '1.2.13'), 'spk-test': { executor: 'nx-spk:spk-test' } },
    },
    { name: 'gcc@9.3.0', root: 'recipes/gcc/9.3.0', targets: { 'spk-build': spkBuildTarget('gcc', '9.3.0') } },
  ];
}

let ws: FakeWorkspace;
afterEach(() => ws?.dispose());

function opts(extra: Partial<SpkTestExecutorOptions> = {}): SpkTestExecutorOptions {
  return { recipe: RECIPE, package: 'zlib', version: '1.2.13', spkBin: ws.spk, env: ws.env(), ...extra };
}
const ctx = () => fakeContext(ws.root, projects(), 'zlib@1.2.13');

describe('spk-test', () => {
  test('imports own + dependency archives once, then one spk test for all stages', async () => {
    ws = new FakeWorkspace();
    ws.write('dist/spk/zlib/1.2.13/zlib_1.2.13.spk', 'z');
    ws.write('dist/spk/gcc/9.3.0/gcc_9.3.0.spk', 'g');
    const { result } = await captureConsole(() => runExecutor(opts(), ctx()));
    assert.deepEqual(result, { success: true });
    assert.deepEqual(ws.argvs(), [
      ['import', '--sync', '<copy>/zlib_1.2.13.spk', '<copy>/gcc_9.3.0.spk'],
      ['test', '-o', 'version=1.2.13', RECIPE],
    ]);
  });

  test('within one nx invocation: what it built here is not imported again (own archive included)', { skip: process.platform !== 'linux' }, async () => {
    ws = new FakeWorkspace();
    ws.write('dist/spk/zlib/1.2.13/zlib_1.2.13.spk', 'z');
    ws.write('dist/spk/gcc/9.3.0/gcc_9.3.0.spk', 'g');
    const saved = process.env.NX_INVOCATION_ANCESTOR_PIDS;
    process.env.NX_INVOCATION_ANCESTOR_PIDS = String(process.pid);
    const local = runLocalPackages(ws.root)!;
    local.add('zlib@1.2.13'); // its spk-build ran in this invocation; gcc was restored from the cache
    try {
      const { result } = await captureConsole(() => runExecutor(opts(), ctx()));
      assert.deepEqual(result, { success: true });
      assert.deepEqual(ws.argvs()[0], ['import', '--sync', '<copy>/gcc_9.3.0.spk']);
    } finally {
      if (saved === undefined) delete process.env.NX_INVOCATION_ANCESTOR_PIDS;
      else process.env.NX_INVOCATION_ANCESTOR_PIDS = saved;
      rmSync(path.dirname(local.dir), { recursive: true, force: true });
    }
  });

  test('stages: one run each, non-templated has no -o version, repos and workspace', async () => {
    ws = new FakeWorkspace();
    const { result } = await captureConsole(() =>
      runExecutor(opts({ templated: false, stages: ['build', 'install'], repos: ['origin'], workspace: 'w', options: { debug: 'on' } }), ctx()),
    );
    assert.deepEqual(result, { success: true });
    assert.deepEqual(ws.argvs(), [
      ['test', '--workspace', 'w', '-o', 'debug=on', '-r', 'origin', `${RECIPE}@build`],
      ['test', '--workspace', 'w', '-o', 'debug=on', '-r', 'origin', `${RECIPE}@install`],
    ]);
  });

  test('failure stops at the first failing stage with the exit code', async () => {
    ws = new FakeWorkspace();
    const { result, err } = await captureConsole(() =>
      runExecutor(opts({ stages: ['sources', 'build'], env: ws.env({ FAKE_SPK_FAIL: 'test' }) }), ctx()),
    );
    assert.deepEqual(result, { success: false });
    assert.deepEqual(err, [`spk test failed (exit 3) for ${RECIPE} version 1.2.13 (stage sources)`]);
    assert.equal(ws.argvs().length, 1);
  });

  test('invalid stage is rejected before running spk', async () => {
    ws = new FakeWorkspace();
    const { result, err } = await captureConsole(() => runExecutor(opts({ stages: ['deploy'] }), ctx()));
    assert.deepEqual(result, { success: false });
    assert.match(err[0]!, /stages/);
    assert.deepEqual(ws.calls(), []);
  });

  test('dry run prints the commands only', async () => {
    ws = new FakeWorkspace();
    ws.write('dist/spk/gcc/9.3.0/gcc_9.3.0.spk', 'g');
    const { result, out } = await captureConsole(() => runExecutor(opts({ dryRun: true, spkBin: 'spk', stages: ['install'] }), ctx()));
    assert.deepEqual(result, { success: true });
    assert.deepEqual(out, [
      '[dry-run] spk import --sync dist/spk/gcc/9.3.0/gcc_9.3.0.spk',
      `[dry-run] spk test -o version=1.2.13 ${RECIPE}@install`,
    ]);
    assert.deepEqual(ws.calls(), []);
  });
});
