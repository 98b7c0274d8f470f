import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { processStartTime, runLocalPackages, runsDirectory } from './run-local-packages';

const linux = process.platform === 'linux';

describe('runLocalPackages: what this nx invocation built on this machine', () => {
  const made: string[] = [];
  after(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });

  test('no invocation identity (Nx did not set NX_INVOCATION_ANCESTOR_PIDS): nothing is trusted', () => {
    assert.equal(runLocalPackages('/ws', {}), undefined);
    assert.equal(runLocalPackages('/ws', { NX_INVOCATION_ANCESTOR_PIDS: 'garbage' }), undefined);
  });

  test('an nx pid that is not running: nothing is trusted', { skip: !linux }, () => {
    assert.equal(processStartTime(2 ** 30), undefined);
    assert.equal(runLocalPackages('/ws', { NX_INVOCATION_ANCESTOR_PIDS: String(2 ** 30) }), undefined);
  });

  test('the innermost nx process names the run; records are per workspace', { skip: !linux }, () => {
    const env = { NX_INVOCATION_ANCESTOR_PIDS: `1,${process.pid}` };
    const a = runLocalPackages('/ws-a', env)!;
    const b = runLocalPackages('/ws-b', env)!;
    made.push(path.dirname(a.dir));
    assert.ok(a.dir.includes(`${process.pid}-${processStartTime(process.pid)}`), a.dir);
    assert.equal(a.has('zlib@1.2.13'), false);
    a.add('zlib@1.2.13');
    assert.equal(a.has('zlib@1.2.13'), true);
    assert.equal(runLocalPackages('/ws-a', env)!.has('zlib@1.2.13'), true, 'another task of the same run sees it');
    assert.equal(b.has('zlib@1.2.13'), false, 'another workspace does not');
    assert.equal(runLocalPackages('/ws-a', { NX_INVOCATION_ANCESTOR_PIDS: '1' })?.has('zlib@1.2.13') ?? false, false, 'another invocation does not');
  });

  test('records of finished invocations are removed when a new one starts', { skip: !linux }, () => {
    const stale = path.join(runsDirectory(), `${2 ** 30}-12345`);
    const reused = path.join(runsDirectory(), `${process.pid}-1`); // this pid, another start time: a reused pid
    mkdirSync(stale, { recursive: true });
    mkdirSync(reused, { recursive: true });
    made.push(stale, reused);
    rmSync(path.join(runsDirectory(), `${process.pid}-${processStartTime(process.pid)}`), { recursive: true, force: true });
    runLocalPackages('/ws', { NX_INVOCATION_ANCESTOR_PIDS: String(process.pid) });
    assert.equal(existsSync(stale), false);
    assert.equal(existsSync(reused), false);
  });
});
