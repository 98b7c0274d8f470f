/** Smoke test of the e2e harness itself: packed plugin, template-backed workspaces, git, env. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createWorkspace, ExecError, packPlugin, readDoubleLog, spkDoubleEnv } from './index';

test('createWorkspace: installed nx + packed plugin, files, default nx.json, git, double on PATH', async () => {
  const tgz = packPlugin();
  assert.match(path.basename(tgz), /^nx-spk-.*\.tgz$/);
  assert.equal(packPlugin(), tgz, 'memoized');
  const ws = await createWorkspace({ files: { 'packages/a/a.spk.yaml': 'pkg: a/1.0.0\n' }, git: true });
  try {
    assert.equal(fs.readFileSync(path.join(ws.root, 'packages/a/a.spk.yaml'), 'utf8'), 'pkg: a/1.0.0\n');
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(ws.root, 'nx.json'), 'utf8')), { plugins: ['nx-spk'] });
    assert.ok(fs.existsSync(path.join(ws.root, 'node_modules', 'nx-spk', 'package.json')), 'plugin installed from the tarball');
    const pj = JSON.parse(fs.readFileSync(path.join(ws.root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    assert.equal(pj.devDependencies.nx, '24.0.6');
    assert.equal(pj.devDependencies['nx-spk'], `file:${tgz}`);

    const v = await ws.runNx(['--version']);
    assert.match(v.stdout, /24\.0\.6/);
    const log = await ws.exec('git', ['log', '--oneline']);
    assert.equal(log.stdout.trim().split('\n').length, 1);
    const status = await ws.exec('git', ['status', '--porcelain']);
    assert.equal(status.stdout, '', 'node_modules and .nx are ignored');

    const env = spkDoubleEnv(path.join(ws.root, '.machine'));
    const spk = await ws.exec('spk', ['--version'], { env });
    assert.equal(spk.stdout, 'spk 0.44.0\n');
    assert.deepEqual(readDoubleLog(env.SPK_DOUBLE_LOG).map((e) => [e.argv, e.exit, e.cwd]), [[['--version'], 0, ws.root]]);

    const failed = await ws.runNx(['run', 'nope:build'], { allowFailure: true });
    assert.notEqual(failed.code, 0);
    await assert.rejects(ws.runNx(['run', 'nope:build']), (e: unknown) => e instanceof ExecError && /--- stderr:/.test(e.message));
  } finally {
    await ws.cleanup();
  }
  assert.equal(fs.existsSync(ws.root), false);
});
