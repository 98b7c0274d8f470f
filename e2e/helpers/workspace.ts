/**
 * Throw-away Nx workspaces with the packed plugin installed.
 *
 * Installing nx + the tarball takes ~10 s, so it happens once per (nxVersion, tarball hash)
 * into a template under os.tmpdir()/nx-spk-e2e/templates/<key>/ (guarded by a lock so parallel
 * test files do not race); each workspace then gets a copy of the template's node_modules
 * (hard links by default; set NX_SPK_E2E_COPY=1 for a full copy), package.json and package-lock.json.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run, type ExecResult } from './exec';
import { withLock } from './lock';
import { e2eCacheRoot, packPlugin } from './pack';

export const DEFAULT_NX_VERSION = '24.0.6';

/** Every file under `dir` → its content, keyed by its POSIX path relative to `dir` (a fixture to lay into a workspace). */
export function readFixtureFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files[path.relative(dir, p).split(path.sep).join('/')] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return files;
}

export interface CreateWorkspaceOptions {
  /** Files to write, path relative to the workspace root → content. */
  files?: Record<string, string>;
  /**
   * nx.json content. Default: `files['nx.json']` if given, else `{ "plugins": ["nx-spk"] }`.
   */
  nxJson?: object;
  nxVersion?: string;
  /** `git init` + an initial commit of everything (node_modules and .nx ignored). */
  git?: boolean;
}

export interface RunOptions {
  /** Extra environment for this command (merged over the workspace environment). */
  env?: Record<string, string | undefined>;
  /** Return a non-zero exit instead of throwing. */
  allowFailure?: boolean;
  /** Working directory relative to the workspace root (default the root). */
  cwd?: string;
  timeoutMs?: number;
}

export interface TestWorkspace {
  root: string;
  /** The environment every command of this workspace starts from. */
  env: NodeJS.ProcessEnv;
  /** Runs the workspace's own nx (node_modules/nx/bin/nx.js). */
  runNx(args: string[], opts?: RunOptions): Promise<ExecResult>;
  /** Runs any command (argv array) in the workspace. */
  exec(cmd: string, args: string[], opts?: RunOptions): Promise<ExecResult>;
  /** Writes (or overwrites) files, relative to the root. */
  writeFiles(files: Record<string, string>): void;
  cleanup(): Promise<void>;
}

/**
 * The environment for nx in tests: the parent's, minus anything NX_* / npm_* that an outer
 * Nx or npm run could leak in, plus NX_DAEMON=false, NX_NO_CLOUD=true, NX_TUI=false, CI=true.
 */
export function nxTestEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('NX_') || k.startsWith('npm_') || k.startsWith('SPK_DOUBLE_') || k === 'SPK_BIN') continue;
    env[k] = v;
  }
  Object.assign(env, { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1' });
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

function fileHash(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16);
}

/** Installs nx@<nxVersion> + the tarball once into a template dir; returns that dir. */
export async function workspaceTemplate(nxVersion = DEFAULT_NX_VERSION): Promise<string> {
  const tgz = packPlugin();
  const key = `nx-${nxVersion}-plugin-${fileHash(tgz)}-v2`;
  const dir = path.join(e2eCacheRoot(), 'templates', key);
  const ready = path.join(dir, '.ready');
  if (fs.existsSync(ready)) return dir;
  return withLock(`${dir}.lock`, async () => {
    if (fs.existsSync(ready)) return dir;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const env = nxTestEnv({ npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' });
    await run('npm', ['init', '-y'], { cwd: dir, env });
    await run('npm', ['install', '--save-dev', '--save-exact', '--no-audit', '--no-fund', `nx@${nxVersion}`, tgz], { cwd: dir, env, timeoutMs: 900_000 });
    fs.writeFileSync(ready, `${new Date().toISOString()}\n`);
    return dir;
  });
}

/** nx's CLI entry from its package.json `bin` (nx 24: dist/bin/nx.js; older: bin/nx.js). */
function nxBinPath(root: string): string {
  const dir = path.join(root, 'node_modules', 'nx');
  const pj = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const rel = typeof pj.bin === 'string' ? pj.bin : pj.bin?.nx;
  if (!rel) throw new Error(`e2e harness: ${dir}/package.json has no bin.nx`);
  return path.join(dir, rel);
}

async function copyTemplate(template: string, root: string, tgz: string): Promise<void> {
  for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(template, f), path.join(root, f));
  // npm saved the tarball as a path relative to the template; make it absolute for the copy.
  for (const f of ['package.json', 'package-lock.json']) {
    const p = path.join(root, f);
    const text = fs.readFileSync(p, 'utf8');
    fs.writeFileSync(p, text.replace(/"file:[^"]*\.tgz"/g, JSON.stringify(`file:${tgz}`)));
  }
  const src = path.join(template, 'node_modules');
  const dst = path.join(root, 'node_modules');
  if (process.env.NX_SPK_E2E_COPY !== '1') {
    const linked = await run('cp', ['-al', src, dst], { allowFailure: true });
    if (linked.code === 0) return;
    fs.rmSync(dst, { recursive: true, force: true });
  }
  await run('cp', ['-a', src, dst]);
}

function writeFilesUnder(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.resolve(root, rel);
    if (p !== root && !p.startsWith(root + path.sep)) throw new Error(`e2e harness: file path escapes the workspace: ${rel}`);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}

export async function createWorkspace(opts: CreateWorkspaceOptions = {}): Promise<TestWorkspace> {
  const template = await workspaceTemplate(opts.nxVersion ?? DEFAULT_NX_VERSION);
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-ws-')));
  await copyTemplate(template, root, packPlugin());
  const files = { ...(opts.files ?? {}) };
  if (opts.nxJson !== undefined || files['nx.json'] === undefined) {
    files['nx.json'] = `${JSON.stringify(opts.nxJson ?? { plugins: ['nx-spk'] }, null, 2)}\n`;
  }
  if (files['.gitignore'] === undefined) files['.gitignore'] = 'node_modules\n.nx\n';
  writeFilesUnder(root, files);
  // Nx 24 keeps its local cache per workspace identity under ~/.nx/<id>/ (from the git remote
  // or the first commit): two test workspaces committed in the same second would share it, and
  // every workspace would leave a folder in $HOME. Each test workspace gets its own cache.
  const env = nxTestEnv({ NX_CACHE_DIRECTORY: path.join(root, '.nx', 'cache') });

  const exec = (cmd: string, args: string[], o: RunOptions = {}) =>
    run(cmd, args, {
      cwd: o.cwd ? path.resolve(root, o.cwd) : root,
      env: { ...env, ...o.env },
      allowFailure: o.allowFailure,
      timeoutMs: o.timeoutMs,
    });
  const nxBin = nxBinPath(root);
  const runNx = (args: string[], o: RunOptions = {}) => exec(process.execPath, [nxBin, ...args], o);

  if (opts.git) {
    await exec('git', ['init', '-q', '-b', 'main']);
    await exec('git', ['config', 'user.name', 'nx-spk e2e']);
    await exec('git', ['config', 'user.email', 'e2e@nx-spk.invalid']);
    await exec('git', ['config', 'commit.gpgsign', 'false']);
    await exec('git', ['add', '-A']);
    await exec('git', ['commit', '-q', '-m', 'initial']);
  }

  return {
    root,
    env,
    runNx,
    exec,
    writeFiles: (f) => writeFilesUnder(root, f),
    cleanup: async () => {
      if (process.env.NX_SPK_E2E_KEEP === '1') {
        process.stderr.write(`e2e harness: keeping workspace ${root}\n`);
        return;
      }
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
