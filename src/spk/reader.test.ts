import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { SpkReader } from './reader';
import { findWorkspaceDir, findWorkspaceFile, loadWorkspace } from './workspace';
import { toPosix } from './posix';

/** A virtual machine: files by absolute path, $PWD and getcwd fixed. Nothing touches the disk. */
function virtualReader(files: Record<string, string>, pwd = '/home/u/ws/pkgs', cwd = pwd): SpkReader {
  const dirs = new Set<string>();
  for (const f of Object.keys(files)) for (let d = path.dirname(f); ; d = path.dirname(d)) {
    dirs.add(d);
    if (d === path.dirname(d)) break;
  }
  return {
    readText(p) {
      if (!(p in files)) throw new Error(`ENOENT: ${p}`);
      return files[p]!;
    },
    kind: (p) => (p in files ? 'file' : dirs.has(p) ? 'directory' : undefined),
    lexists: (p) => p in files || dirs.has(p),
    realpath(p) {
      if (!(p in files) && !dirs.has(p)) throw new Error(`ENOENT: ${p}`);
      return p;
    },
    readDir: (p) => [...new Set([...Object.keys(files), ...dirs].filter((f) => path.dirname(f) === p && f !== p).map((f) => path.basename(f)))],
    cwd: () => cwd,
    pwd: () => pwd,
    platform: () => ({ platform: 'linux', arch: 'x64' }),
  };
}

const WALK_CASES: Array<{ name: string; dir: string; holders: string[]; want: string | undefined }> = [
  { name: 'relative: the directory itself', dir: 'a/b', holders: ['a/b'], want: 'a/b' },
  { name: 'relative: the nearest parent wins', dir: 'a/b/c', holders: ['a', '.'], want: 'a' },
  { name: 'relative: up to the root, returned as .', dir: 'a/b', holders: ['.'], want: '.' },
  { name: "relative: '' is the root", dir: '', holders: ['.'], want: '.' },
  { name: 'relative: none', dir: 'a/b', holders: [], want: undefined },
  { name: 'absolute: up to /', dir: '/x/y/z', holders: ['/'], want: '/' },
  { name: 'absolute: none', dir: '/x/y', holders: [], want: undefined },
];
for (const c of WALK_CASES) {
  test(`findWorkspaceDir: ${c.name}`, () => {
    const seen: string[] = [];
    const got = findWorkspaceDir(c.dir, (d) => {
      seen.push(d);
      return c.holders.includes(d);
    });
    assert.equal(got, c.want);
    assert.equal(new Set(seen).size, seen.length, `each directory asked once: ${seen.join(' ')}`);
  });
}

test('findWorkspaceFile resolves a relative start against the reader pwd, not the process', () => {
  const r = virtualReader({ '/home/u/ws/workspace.spk.yaml': 'api: v0/workspace\n' });
  assert.equal(findWorkspaceFile('.', r), '/home/u/ws/workspace.spk.yaml');
  assert.equal(findWorkspaceFile('/elsewhere', r), undefined);
});

test('loadWorkspace reads the workspace file and globs through the reader', () => {
  const r = virtualReader({
    '/home/u/ws/workspace.spk.yaml': 'api: v0/workspace\nrecipes:\n  - pkgs/*.spk.yaml\n',
    '/home/u/ws/pkgs/zlib.spk.yaml': 'pkg: zlib/1.0.0\n',
  });
  const ws = loadWorkspace('/home/u/ws', r);
  assert.deepEqual(ws.problems, []);
  assert.deepEqual(ws.entries.map((e) => e.file), ['pkgs/zlib.spk.yaml']);
});

const POSIX_CASES = [
  { name: 'already posix', input: 'a/b/c', want: 'a/b/c' },
  { name: 'empty', input: '', want: '' },
  { name: 'platform separators', input: ['a', 'b', 'c'].join(path.sep), want: 'a/b/c' },
];
for (const c of POSIX_CASES) test(`toPosix: ${c.name}`, () => assert.equal(toPosix(c.input), c.want));
