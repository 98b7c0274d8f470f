/**
 * e2e: interrupts and concurrency, with the packed plugin in a fresh Nx 24 workspace and the
 * spk test double made slow at one moment at a time (SPK_DOUBLE_SLEEP for the build,
 * SPK_DOUBLE_SLEEP_EXPORT, SPK_DOUBLE_SLEEP_IMPORT).
 *
 * Interrupts: while `nx run app@1.0.0:spk-build` is in spk (mid-build, mid-export, mid-import)
 * the nx process gets SIGINT (sent to its whole process group, like Ctrl-C in a terminal) or
 * SIGTERM (to nx alone, like a CI runner cancelling a job). Then: spk's process group is gone,
 * nothing partial is left under dist/spk (the previous archive, if any, is intact), no lock is
 * left in the double's local repository, and a rerun succeeds.
 *
 * Concurrency: `--parallel=4` builds that all import the same dependency archive and export
 * side by side; and two `nx` processes computing the graph on one workspace at once, several
 * rounds with edits in between, never corrupt the plugin cache.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWorkspace, readDoubleLog, spkDoubleDir, spkDoubleEnv, type TestWorkspace } from './helpers';

const HOST = { os: 'linux', arch: 'x86_64', distro: 'rocky', rocky: '9.3' };
const LIBS = ['lib-a', 'lib-b', 'lib-c', 'lib-d'];

function recipe(pkg: string, buildDeps: string[] = []): string {
  const options = buildDeps.length > 0 ? `  options:\n${buildDeps.map((d) => `    - pkg: ${d}\n`).join('')}` : '';
  return `pkg: ${pkg}\nbuild:\n${options}  script:\n    - echo building ${pkg}\n`;
}

const FILES: Record<string, string> = {
  'workspace.spk.yaml': 'recipes:\n  - recipes/*/*.spk.yaml\n',
  'recipes/base/base.spk.yaml': recipe('base/1.0.0'),
  'recipes/app/app.spk.yaml': recipe('app/1.0.0', ['base/1.0.0']),
  ...Object.fromEntries(LIBS.map((l) => [`recipes/${l}/${l}.spk.yaml`, recipe(`${l}/1.0.0`, ['base/1.0.0'])])),
};

interface ProcInfo {
  pid: number;
  pgid: number;
  argv: string[];
  state: string;
}

/** Every live process (zombies excluded), from /proc. */
function processes(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const state = rest[0];
      if (state === 'Z' || state === 'X') continue;
      const argv = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
      out.push({ pid: Number(name), pgid: Number(rest[2]), argv, state });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** The double's processes running `spk <sub> …` with an argument containing `about`. */
function doubleProcesses(sub: string, about: string): ProcInfo[] {
  const bin = path.join(spkDoubleDir(), 'spk');
  return processes().filter((p) => p.argv.some((a, i) => a === bin && p.argv[i + 1] === sub) && p.argv.some((a) => a.includes(about)));
}

async function waitFor<T>(what: string, fn: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/** Every file under `dir` (relative), for "nothing partial" checks. */
function listTree(dir: string, base = dir): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const p = path.join(dir, n);
    return fs.statSync(p).isDirectory() ? [`${path.relative(base, p)}/`, ...listTree(p, base)] : [path.relative(base, p)];
  });
}

function sha(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** A `.spk` archive the double can list (a complete tar). */
function assertCompleteArchive(file: string): void {
  const r = spawnSync('tar', ['-tf', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${file} is not a complete archive: ${r.stderr}`);
  assert.match(r.stdout, /spk-double-archive\.json/);
}

describe('e2e: interrupts and concurrency', () => {
  let ws: TestWorkspace;
  let machine: string;
  let spkEnv: Record<string, string>;
  let nxBin: string;
  const outputs: string[] = [];

  before(async () => {
    ws = await createWorkspace({ files: FILES, nxJson: { plugins: [{ plugin: 'nx-spk', options: { hostOptions: HOST } }] }, git: true });
    machine = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-interrupts-machine-'));
    spkEnv = spkDoubleEnv(machine, { origin: false });
    const pj = JSON.parse(fs.readFileSync(path.join(ws.root, 'node_modules', 'nx', 'package.json'), 'utf8')) as { bin: string | Record<string, string> };
    nxBin = path.join(ws.root, 'node_modules', 'nx', typeof pj.bin === 'string' ? pj.bin : pj.bin.nx);
  });
  after(async () => {
    await ws?.cleanup();
    if (machine) fs.rmSync(machine, { recursive: true, force: true });
  });

  /** Starts nx as its own process group leader (so a terminal-style SIGINT can target the group). */
  function startNx(args: string[], extraEnv: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, [nxBin, ...args], {
      cwd: ws.root,
      env: { ...ws.env, ...spkEnv, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let text = '';
    child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
    child.once('exit', () => outputs.push(`$ nx ${args.join(' ')}\n${text}`));
    return child;
  }

  /**
   * Whether a LIVE process holds the local repository lock. A lock dir left by a process that
   * is gone is not held: real spfs locks are released by the kernel when the holder dies, and
   * the double treats such a dir as stale (lib/repo.js).
   */
  function localLock(): boolean {
    const dir = path.join(machine, 'local', '.spk-double.lock');
    if (!fs.existsSync(dir)) return false;
    try {
      const owner = JSON.parse(fs.readFileSync(path.join(dir, 'owner.json'), 'utf8')) as { pid: number };
      process.kill(owner.pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  function partials(): string[] {
    return listTree(path.join(ws.root, 'dist', 'spk')).filter((f) => /\.tmp-|\.old-|partial/.test(f));
  }

  async function interrupt(opts: {
    args: string[];
    env: Record<string, string>;
    sub: 'build' | 'export' | 'import';
    /** Text in the slow spk call's argv (the recipe, the package or the archive). */
    about: string;
    signal: 'SIGINT' | 'SIGTERM';
  }): Promise<void> {
    const logBefore = readDoubleLog(spkEnv.SPK_DOUBLE_LOG).length;
    const nx = startNx(opts.args, opts.env);
    const spk = await waitFor(`spk ${opts.sub} ${opts.about} to start`, () => doubleProcesses(opts.sub, opts.about)[0]);
    // Let spk get well into its sleep (the double prints before sleeping).
    await new Promise((r) => setTimeout(r, 500));
    assert.notEqual(spk.pgid, nx.pid, 'spk runs in its own process group, not in nx\'s');
    // The moment is real: the import holds the lock, the export has a partial file in its temp dir.
    if (opts.sub === 'import') assert.equal(localLock(), true, 'spk import holds the local repository lock');
    if (opts.sub === 'export') assert.ok(partials().length > 0, 'a partial export exists under dist/spk before the signal');
    if (opts.signal === 'SIGINT') process.kill(-nx.pid!, 'SIGINT'); // Ctrl-C: the terminal signals nx's group
    else process.kill(nx.pid!, 'SIGTERM'); // a CI runner cancelling the job signals nx
    const res = await Promise.race([
      exited(nx),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('nx did not exit within 60 s of the signal')), 60_000)),
    ]);
    assert.ok(res.code !== 0 || res.signal !== null, `nx must not report success: ${JSON.stringify(res)}`);
    // spk's whole process group is gone (give the kernel a moment to reap).
    await waitFor(`spk process group ${spk.pgid} to end`, () => processes().every((p) => p.pgid !== spk.pgid), 10_000);
    // The interrupted spk call never reported success: either the double recorded the signal,
    // or it was killed before it could write its log line (SIGKILL after the grace period, or
    // Nx tearing down the task's process tree); both are a killed spk, never a finished one.
    const killed = readDoubleLog(spkEnv.SPK_DOUBLE_LOG).slice(logBefore).find((e) => e.argv[0] === opts.sub && e.pid === spk.pid);
    if (killed) {
      assert.equal(killed.exit, null, JSON.stringify(killed));
      assert.ok(killed.signal === 'SIGTERM' || killed.signal === 'SIGINT', JSON.stringify(killed));
    }
    assert.deepEqual(partials(), [], 'nothing partial under dist/spk');
    assert.equal(localLock(), false, 'no stale lock in the local repository');
  }

  async function nxOk(args: string[], env: Record<string, string> = {}): Promise<string> {
    const r = await ws.runNx(args, { env: { ...spkEnv, ...env }, allowFailure: true, timeoutMs: 300_000 });
    assert.equal(r.code, 0, `nx ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  test('SIGINT mid-build: spk group killed, no archive, no lock; the rerun succeeds', async () => {
    await interrupt({
      args: ['run', 'app@1.0.0:spk-build', '--skip-nx-cache', '--outputStyle=stream'],
      env: { SPK_DOUBLE_SLEEP: 'app=60000' },
      sub: 'build',
      about: 'recipes/app/app.spk.yaml',
      signal: 'SIGINT',
    });
    assert.equal(fs.existsSync(path.join(ws.root, 'dist/spk/app/1.0.0')), false, 'no app archive from the interrupted build');
    await nxOk(['run', 'app@1.0.0:spk-build', '--outputStyle=stream']);
    assertCompleteArchive(path.join(ws.root, 'dist/spk/app/1.0.0/app_1.0.0.spk'));
    assertCompleteArchive(path.join(ws.root, 'dist/spk/base/1.0.0/base_1.0.0.spk'));
  });

  test('SIGTERM mid-export: the previous archive stays intact; the rerun succeeds', async () => {
    const archive = path.join(ws.root, 'dist/spk/base/1.0.0/base_1.0.0.spk');
    const before = sha(archive);
    await interrupt({
      args: ['run', 'base@1.0.0:spk-build', '--skip-nx-cache', '--outputStyle=stream'],
      env: { SPK_DOUBLE_SLEEP_EXPORT: '60000' },
      sub: 'export',
      about: 'base/1.0.0',
      signal: 'SIGTERM',
    });
    assert.deepEqual(fs.readdirSync(path.dirname(archive)), ['base_1.0.0.spk']);
    assert.equal(sha(archive), before, 'the interrupted export did not touch the previous archive');
    await nxOk(['run', 'base@1.0.0:spk-build', '--skip-nx-cache', '--outputStyle=stream']);
    assertCompleteArchive(archive);
  });

  test('SIGTERM mid-import (holding the repository lock): lock released, no partial archive; the rerun succeeds', async () => {
    const archive = path.join(ws.root, 'dist/spk/app/1.0.0/app_1.0.0.spk');
    const before = sha(archive);
    await interrupt({
      // Only app runs (its dependencies were built by earlier invocations), so it imports their
      // archives; an invocation never re-imports what it built itself (run-local-packages.ts).
      args: ['run', 'app@1.0.0:spk-build', '--excludeTaskDependencies', '--skip-nx-cache', '--outputStyle=stream'],
      env: { SPK_DOUBLE_SLEEP_IMPORT: '60000' },
      sub: 'import',
      about: 'base_1.0.0.spk',
      signal: 'SIGTERM',
    });
    assert.equal(sha(archive), before);
    await nxOk(['run', 'app@1.0.0:spk-build', '--excludeTaskDependencies', '--skip-nx-cache', '--outputStyle=stream']);
    assertCompleteArchive(archive);
  });

  test('SIGINT mid-import: same guarantees', async () => {
    await interrupt({
      // Only app runs (its dependencies were built by earlier invocations), so it imports their
      // archives; an invocation never re-imports what it built itself (run-local-packages.ts).
      args: ['run', 'app@1.0.0:spk-build', '--excludeTaskDependencies', '--skip-nx-cache', '--outputStyle=stream'],
      env: { SPK_DOUBLE_SLEEP_IMPORT: '60000' },
      sub: 'import',
      about: 'base_1.0.0.spk',
      signal: 'SIGINT',
    });
    await nxOk(['run', 'app@1.0.0:spk-build', '--excludeTaskDependencies', '--skip-nx-cache', '--outputStyle=stream']);
  });

  test('--parallel=4: four builds need the same archive, one imports it (the others wait), all export side by side', async () => {
    const logBefore = readDoubleLog(spkEnv.SPK_DOUBLE_LOG).length;
    await nxOk(
      // base comes from an earlier invocation's archive: imported once for this invocation
      ['run-many', '-t', 'spk-build', '-p', ...LIBS.map((l) => `${l}@1.0.0`), '--excludeTaskDependencies', '--parallel=4', '--skip-nx-cache', '--outputStyle=stream'],
      { SPK_DOUBLE_SLEEP: LIBS.map((l) => `${l}=1500`).join(',') },
    );
    const log = readDoubleLog(spkEnv.SPK_DOUBLE_LOG).slice(logBefore);
    const imports = log.filter((e) => e.argv[0] === 'import' && e.argv.some((a) => a.endsWith('base_1.0.0.spk')));
    assert.equal(imports.length, 1, `base imported once per invocation: ${imports.length}`);
    assert.ok(imports.every((e) => e.exit === 0));
    const builds = log.filter((e) => e.argv[0] === 'build' && LIBS.some((l) => e.argv[e.argv.length - 1].includes(`/${l}/`)));
    assert.equal(builds.length, LIBS.length);
    // The four builds really overlapped (each sleeps 1.5 s).
    const latestStart = Math.max(...builds.map((b) => b.start));
    const earliestEnd = Math.min(...builds.map((b) => b.end));
    assert.ok(latestStart < earliestEnd, 'the four builds ran at the same time');
    for (const l of LIBS) {
      const dir = path.join(ws.root, 'dist/spk', l, '1.0.0');
      assert.deepEqual(fs.readdirSync(dir), [`${l}_1.0.0.spk`]);
      assertCompleteArchive(path.join(dir, `${l}_1.0.0.spk`));
    }
    assert.deepEqual(partials(), []);
    assert.equal(localLock(), false);
    // base is in the local repository once, whole.
    const buildJson = JSON.parse(fs.readFileSync(path.join(machine, 'local', 'base', '1.0.0', 'build.json'), 'utf8')) as { name: string };
    assert.equal(buildJson.name, 'base');
  });

  test('two nx processes on one workspace at once do not corrupt the plugin cache', async () => {
    const expected = ['app@1.0.0', 'base@1.0.0', ...LIBS.map((l) => `${l}@1.0.0`)];
    for (let round = 0; round < 3; round++) {
      // An edit between rounds makes both processes render and write the cache again.
      fs.writeFileSync(path.join(ws.root, 'recipes/base/base.spk.yaml'), recipe('base/1.0.0') + `# round ${round}\n`);
      const both = await Promise.all([0, 1].map(() => ws.runNx(['show', 'projects', '--json'], { env: spkEnv, allowFailure: true })));
      for (const r of both) {
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual((JSON.parse(r.stdout) as string[]).sort(), [...expected].sort());
      }
    }
    const dataDir = path.join(ws.root, '.nx', 'workspace-data');
    const caches = fs.readdirSync(dataDir).filter((f) => f.startsWith('nx-spk-'));
    assert.ok(caches.length >= 1, `plugin cache written: ${fs.readdirSync(dataDir).join(', ')}`);
    assert.ok(caches.some((c) => c.endsWith('.graph.json')), `workspace result cache written: ${caches.join(', ')}`);
    for (const c of caches) {
      // Both files are written whole (temp file + rename): the per-recipe PluginCache
      // (`{ entries }`) and the per-workspace result cache (`*.graph.json`, `{ workspaces }`).
      const parsed = JSON.parse(fs.readFileSync(path.join(dataDir, c), 'utf8')) as { entries?: object; workspaces?: object };
      const body = c.endsWith('.graph.json') ? parsed.workspaces : parsed.entries;
      assert.equal(typeof body, 'object', `${c} is a whole cache file`);
    }
    // And a later run (reading that cache) still sees the right graph and edges.
    const out = await nxOk(['show', 'project', 'app@1.0.0', '--json']);
    const app = JSON.parse(out) as { metadata: { spk: { buildEnv: string[] } } };
    assert.deepEqual(app.metadata.spk.buildEnv, ['base@1.0.0']);
    const graph = await ws.runNx(['graph', '--file', 'graph-after.json'], { env: spkEnv });
    assert.equal(graph.code, 0, graph.stderr);
    const deps = (JSON.parse(fs.readFileSync(path.join(ws.root, 'graph-after.json'), 'utf8')) as { graph: { dependencies: Record<string, Array<{ target: string }>> } }).graph.dependencies;
    assert.deepEqual(deps['app@1.0.0'].map((d) => d.target), ['base@1.0.0']);
  });

  after(() => {
    if (process.env.NX_SPK_E2E_VERBOSE === '1') process.stderr.write(outputs.join('\n'));
  });
});
