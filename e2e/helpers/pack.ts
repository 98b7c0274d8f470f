/**
 * `npm pack` of the plugin, once per process and shared across test files: the tarball is
 * cached under os.tmpdir()/nx-spk-e2e/pack/<key>/ where key = package.json version + a hash
 * of the packed inputs' paths, sizes and mtimes (dist/, package.json, executors/, generators/…).
 * The lead guarantees `npm run build` ran first, so dist/ is current.
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withLockSync } from './lock';
import { repoRoot } from './paths';

let memo: string | undefined;

export function e2eCacheRoot(): string {
  return path.join(os.tmpdir(), 'nx-spk-e2e');
}

function walk(dir: string, root: string, out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') walk(p, root, out);
    } else {
      const st = fs.statSync(p);
      out.push(`${path.relative(root, p)}\t${st.size}\t${st.mtimeMs}`);
    }
  }
}

/** The cache key of the current plugin sources as packed. */
export function packKey(root = repoRoot()): string {
  const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const lines: string[] = [];
  for (const d of ['dist', 'executors', 'generators']) walk(path.join(root, d), root, lines);
  for (const f of ['package.json', 'executors.json', 'generators.json', 'README.md']) {
    const p = path.join(root, f);
    if (fs.existsSync(p)) {
      const st = fs.statSync(p);
      lines.push(`${f}\t${st.size}\t${st.mtimeMs}`);
    }
  }
  lines.sort();
  if (!lines.some((l) => l.startsWith(`dist${path.sep}`))) {
    throw new Error(`e2e harness: ${path.join(root, 'dist')} is empty or missing; run \`npm run build\` before the e2e tests`);
  }
  return `${version}-${crypto.createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
}

/** Returns the path of the packed plugin tarball (nx-spk-<version>.tgz). */
export function packPlugin(): string {
  if (memo && fs.existsSync(memo)) return memo;
  const root = repoRoot();
  const key = packKey(root);
  const dir = path.join(e2eCacheRoot(), 'pack', key);
  const done = path.join(dir, 'tarball.txt');
  memo = withLockSync(`${dir}.lock`, () => {
    if (fs.existsSync(done)) {
      const tgz = fs.readFileSync(done, 'utf8').trim();
      if (fs.existsSync(tgz)) return tgz;
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const res = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, npm_config_update_notifier: 'false' },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (res.error || res.status !== 0) {
      throw new Error(`e2e harness: npm pack failed in ${root} (exit ${res.status}): ${res.error?.message ?? ''}\n--- stdout:\n${res.stdout}\n--- stderr:\n${res.stderr}`);
    }
    let filename: string;
    try {
      filename = (JSON.parse(res.stdout) as Array<{ filename: string }>)[0].filename;
    } catch {
      throw new Error(`e2e harness: cannot parse npm pack --json output:\n${res.stdout}`);
    }
    // npm ≥ 9 reports the bare filename; scoped names would have '/' replaced.
    const tgz = path.join(dir, path.basename(filename.replace(/^@/, '').replace(/\//g, '-')));
    if (!fs.existsSync(tgz)) throw new Error(`e2e harness: npm pack reported ${filename} but ${tgz} does not exist`);
    fs.writeFileSync(done, `${tgz}\n`);
    return tgz;
  });
  return memo;
}
