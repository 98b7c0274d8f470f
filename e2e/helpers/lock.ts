/**
 * A cross-process lock (mkdir + owner file, stale when the owner pid is gone or the lock
 * is older than `staleMs`), so parallel e2e test files share one packed tarball and one
 * installed template instead of racing on them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Tries once; true when the lock was taken. Breaks a stale lock. */
function tryLock(lockDir: string, staleMs: number): boolean {
  try {
    fs.mkdirSync(lockDir);
    fs.writeFileSync(path.join(lockDir, 'owner.json'), JSON.stringify({ pid: process.pid, time: Date.now() }));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  let stale = false;
  try {
    const owner = JSON.parse(fs.readFileSync(path.join(lockDir, 'owner.json'), 'utf8')) as { pid: number; time: number };
    stale = !pidAlive(owner.pid) || Date.now() - owner.time > staleMs;
  } catch {
    try {
      stale = Date.now() - fs.statSync(lockDir).mtimeMs > 10_000;
    } catch {
      return false;
    }
  }
  if (stale) {
    const trash = `${lockDir}.stale-${process.pid}-${Date.now()}`;
    try {
      fs.renameSync(lockDir, trash);
      fs.rmSync(trash, { recursive: true, force: true });
    } catch {
      /* someone else broke it */
    }
  }
  return false;
}

export function withLockSync<T>(lockDir: string, fn: () => T, staleMs = 15 * 60_000, timeoutMs = 15 * 60_000): T {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  while (!tryLock(lockDir, staleMs)) {
    if (Date.now() > deadline) throw new Error(`e2e harness: timed out waiting for lock ${lockDir}`);
    sleepSync(100);
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

export async function withLock<T>(lockDir: string, fn: () => Promise<T>, staleMs = 15 * 60_000, timeoutMs = 15 * 60_000): Promise<T> {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  while (!tryLock(lockDir, staleMs)) {
    if (Date.now() > deadline) throw new Error(`e2e harness: timed out waiting for lock ${lockDir}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}
