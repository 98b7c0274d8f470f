/**
 * TEST SUPPORT ONLY: writes a tiny fake `spk` executable (a Node script) into a directory.
 *
 * Behaviour, controlled by environment variables seen by the fake:
 * - every call appends `{"argv": [...], "cwd": "...", "tagNamespace": "..."}` as one JSON line to
 *   `$FAKE_SPK_LOG`;
 * - `FAKE_SPK_FAIL=<subcommand>` (comma list): exit 3 for that subcommand;
 * - `FAKE_SPK_SLEEP=<subcommand>`: spawn a grandchild that sleeps forever (same process group),
 *   write its pid to `$FAKE_SPK_GRANDCHILD_PID`, then sleep forever; for `export` the target file
 *   is half-written first, to simulate a partial archive;
 * - `FAKE_SPK_LS=<v1,v2>`: versions printed by `ls` (one per line);
 * - `export <pkg> <file>` writes `fake archive of <pkg>` to `<file>`;
 * - `version` prints ` spk 0.44.0` / `spfs 0.44.0`.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SCRIPT = String.raw`
const fs = require('node:fs');
const { spawn } = require('node:child_process');
const argv = process.argv.slice(2);
const sub = argv[0];
const log = process.env.FAKE_SPK_LOG;
if (log) fs.appendFileSync(log, JSON.stringify({ argv, cwd: process.cwd(), tagNamespace: process.env.SPFS_STORAGE__TAG_NAMESPACE ?? null, custom: process.env.FAKE_SPK_CUSTOM ?? null }) + '\n');
const list = (v) => (v || '').split(',').filter(Boolean);
if (list(process.env.FAKE_SPK_SLEEP).includes(sub)) {
  if (sub === 'export') fs.writeFileSync(argv[argv.length - 1], 'partial');
  const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  if (process.env.FAKE_SPK_GRANDCHILD_PID) fs.writeFileSync(process.env.FAKE_SPK_GRANDCHILD_PID, String(g.pid));
  process.stdout.write('fake spk ' + sub + ' sleeping\n');
  setInterval(() => {}, 1000);
} else if (list(process.env.FAKE_SPK_FAIL).includes(sub)) {
  process.stderr.write('fake spk: ' + sub + ' failed on purpose\n');
  process.exit(3);
} else {
  if (sub === 'export') fs.writeFileSync(argv[argv.length - 1], 'fake archive of ' + argv[argv.length - 2]);
  // FAKE_SPK_LS_LOCAL / FAKE_SPK_LS_REPO: the answer of \`ls -L\` / \`ls -r R\` when set, else FAKE_SPK_LS.
  const lsEnv = argv.includes('-L') ? process.env.FAKE_SPK_LS_LOCAL : argv.includes('-r') ? process.env.FAKE_SPK_LS_REPO : undefined;
  if (sub === 'ls') process.stdout.write(list(lsEnv ?? process.env.FAKE_SPK_LS).map((v) => v + '\n').join(''));
  if (sub === 'version') process.stdout.write(' spk 0.44.0\nspfs 0.44.0\n');
  if (sub === 'build') process.stdout.write('fake build done\n');
  process.exit(0);
}
`;

/** Writes `<dir>/spk` (executable) and returns its absolute path. */
export function writeFakeSpk(dir: string, name = 'spk'): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, `#!${process.execPath}\n${SCRIPT}`);
  chmodSync(file, 0o755);
  return file;
}

export interface FakeSpkCall {
  argv: string[];
  cwd: string;
  tagNamespace: string | null;
  custom: string | null;
}

/** Reads the JSON-lines log written by the fake. */
export function readFakeSpkLog(logFile: string): FakeSpkCall[] {
  let text = '';
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as FakeSpkCall);
}

/** True if `pid` is running (a zombie counts as gone: in containers PID 1 may never reap it). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}
