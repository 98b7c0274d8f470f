import { test, describe, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import runExecutor from './executor';
import { runLocalPackages } from '../shared/run-local-packages';
import { FakeWorkspace, fakeContext, spkBuildTarget, captureConsole, repoRoot, type FakeProject } from '../../test-support/fake-context';
import { isProcessAlive } from '../../test-support/fake-spk';
import type { SpkBuildExecutorOptions } from '../shared/options';

const RECIPE = 'recipes/python3.spk.yaml';

/** app python/3.11.4 -> zlib/1.2.13 -> gcc/9.3.0 (+ an npm node that must be ignored). */
function threeProjects(ws: FakeWorkspace, zlibOutput?: string): FakeProject[] {
  return [
    {
      name: 'python@3.11.4',
      root: 'recipes/python/3.11.4',
      deps: ['zlib@1.2.13', 'npm:left-pad'],
      targets: { 'spk-build': spkBuildTarget('python', '3.11.4') },
    },
    {
      name: 'zlib@1.2.13',
      root: 'recipes/zlib/1.2.13',
      deps: ['gcc@9.3.0'],
      targets: { 'spk-build': spkBuildTarget('zlib', '1.2.13', zlibOutput ? { outputPath: zlibOutput } : {}) },
    },
    {
      name: 'gcc@9.3.0',
      root: 'recipes/gcc/9.3.0',
      targets: { build: { executor: 'nx-spk:spk-build', options: { package: 'gcc', version: '9.3.0', recipe: 'x' } } },
    },
  ];
}

let ws: FakeWorkspace;
afterEach(() => ws?.dispose());

function opts(extra: Partial<SpkBuildExecutorOptions> = {}): SpkBuildExecutorOptions {
  return { recipe: RECIPE, package: 'python', version: '3.11.4', spkBin: ws.spk, env: ws.env(), ...extra };
}

function ctx(projects?: FakeProject[]) {
  return fakeContext(ws.root, projects ?? threeProjects(ws), 'python@3.11.4');
}

function noTempDirs(dir: string): void {
  const leftovers = ws.ls(dir).filter((n) => n.includes('.tmp-') || n.includes('.old-'));
  assert.deepEqual(leftovers, [], `no temp dirs left in ${dir}`);
}

describe('spk-build argv', () => {
  test('templated: -o version=V, then atomic export into outputPath', async () => {
    ws = new FakeWorkspace();
    const { result } = await captureConsole(() => runExecutor(opts(), ctx()));
    assert.deepEqual(result, { success: true });
    const argvs = ws.argvs();
    assert.equal(argvs.length, 2);
    assert.deepEqual(argvs[0], ['build', '-o', 'version=3.11.4', RECIPE]);
    assert.equal(argvs[1]![0], 'export');
    assert.equal(argvs[1]![2], 'python/3.11.4');
    assert.match(argvs[1]![3]!, /^dist\/spk\/python\/3\.11\.4\.tmp-\d+-[0-9a-f]{8}\/python_3\.11\.4\.spk$/);
    assert.deepEqual(ws.ls('dist/spk/python/3.11.4'), ['python_3.11.4.spk']);
    assert.equal(readFileSync(path.join(ws.root, 'dist/spk/python/3.11.4/python_3.11.4.spk'), 'utf8'), 'fake archive of python/3.11.4');
    noTempDirs('dist/spk/python');
    assert.equal(ws.calls()[0]!.cwd, ws.root, 'spk runs in the Nx workspace root');
  });

  test('non-templated with options (sorted), variants, repos, workspace, noHost, extraArgs', async () => {
    ws = new FakeWorkspace();
    const { result } = await captureConsole(() =>
      runExecutor(
        opts({
          templated: false,
          workspace: 'spk-ws',
          options: { zz: '1', 'python.abi': 'cp311', aa: 'two words' },
          variants: ['0', 'gcc=9'],
          repos: ['origin', 'file:///srv/r'],
          noHost: true,
          extraArgs: ['-v'],
          handoff: false,
        }),
        ctx(),
      ),
    );
    assert.deepEqual(result, { success: true });
    assert.deepEqual(ws.argvs(), [
      [
        'build', '--workspace', 'spk-ws', '-o', 'aa=two words', '-o', 'python.abi=cp311', '-o', 'zz=1', '--no-host',
        '--variant=0', '--variant=gcc=9', '-r', 'origin', '-r', 'file:///srv/r', '-v', RECIPE,
      ],
    ]);
    assert.equal(ws.exists('dist/spk/python/3.11.4'), false, 'handoff: false exports nothing');
  });

  test('tagNamespace reaches spk as SPFS_STORAGE__TAG_NAMESPACE; env option reaches spk', async () => {
    ws = new FakeWorkspace();
    await captureConsole(() => runExecutor(opts({ tagNamespace: 'ci-42', env: ws.env({ FAKE_SPK_CUSTOM: 'yes' }) }), ctx()));
    for (const c of ws.calls()) {
      assert.equal(c.tagNamespace, 'ci-42');
      assert.equal(c.custom, 'yes');
    }
  });

  test('hostile inputs never become separate flags', async () => {
    ws = new FakeWorkspace();
    ws.write('--help', 'pkg: python/1.0\n');
    const { result } = await captureConsole(() =>
      runExecutor(opts({ recipe: '--help', options: { msg: `a "b" 'c' --force` }, handoff: false }), ctx()),
    );
    assert.deepEqual(result, { success: true });
    assert.deepEqual(ws.argvs(), [['build', '-o', 'version=3.11.4', '-o', `msg=a "b" 'c' --force`, './--help']]);

    const bad = await captureConsole(() => runExecutor(opts({ version: '--help' }), ctx()));
    assert.deepEqual(bad.result, { success: false });
    assert.match(bad.err.join('\n'), /invalid version/);
    const badKey = await captureConsole(() => runExecutor(opts({ options: { '--force': '1' } }), ctx()));
    assert.deepEqual(badKey.result, { success: false });
    assert.equal(ws.argvs().length, 1, 'no spk call for rejected input');
  });

  test('package defaults to the name in the raw recipe', async () => {
    ws = new FakeWorkspace();
    ws.write(RECIPE, '# {% set opt = opt | default_opts(version="3.7.3") %}\npkg: python/{{ opt.version }}\n');
    await captureConsole(() => runExecutor(opts({ package: undefined }), ctx()));
    assert.equal(ws.argvs()[1]![2], 'python/3.11.4');
  });
});

describe('spk-build dry run', () => {
  test('prints every command in order, runs nothing, needs no spk', async () => {
    ws = new FakeWorkspace();
    ws.write('dist/spk/zlib/1.2.13/zlib_1.2.13.spk', 'z');
    const { result, out } = await captureConsole(() =>
      runExecutor(opts({ dryRun: true, spkBin: undefined, skipExisting: 'local', options: { msg: 'a b' } }), ctx()),
    );
    assert.deepEqual(result, { success: true });
    assert.deepEqual(out, [
      '[dry-run] spk ls --no-src --no-host -L python',
      '[dry-run] spk import --sync dist/spk/zlib/1.2.13/zlib_1.2.13.spk',
      `[dry-run] spk build -o version=3.11.4 -o 'msg=a b' ${RECIPE}`,
      '[dry-run] spk export -L python/3.11.4 dist/spk/python/3.11.4/python_3.11.4.spk',
    ]);
    assert.deepEqual(ws.calls(), []);
    assert.equal(ws.exists('dist/spk/python'), false);
  });

  test('NX_SPK_DRY_RUN=1 forces a dry run', async () => {
    ws = new FakeWorkspace();
    const before = process.env.NX_SPK_DRY_RUN;
    process.env.NX_SPK_DRY_RUN = '1';
    try {
      const { result, out } = await captureConsole(() => runExecutor(opts({ spkBin: '/does/not/exist/spk' }), ctx()));
      assert.deepEqual(result, { success: true });
      assert.equal(out[0], `[dry-run] /does/not/exist/spk build -o version=3.11.4 ${RECIPE}`);
      assert.deepEqual(ws.calls(), []);
    } finally {
      if (before === undefined) delete process.env.NX_SPK_DRY_RUN;
      else process.env.NX_SPK_DRY_RUN = before;
    }
  });
});

describe('spk-build failures', () => {
  test('missing binary: one clear message, no side effects', async () => {
    ws = new FakeWorkspace();
    const { result, err } = await captureConsole(() => runExecutor(opts({ spkBin: '/nonexistent/spk' }), ctx()));
    assert.deepEqual(result, { success: false });
    assert.deepEqual(err, ["spk binary not found: looked for '/nonexistent/spk' (from option spkBin); install spk or set spkBin / SPK_BIN"]);
    assert.equal(ws.exists('dist'), false);
  });

  test('failing build: success false, exit code in message, no outputPath, no export', async () => {
    ws = new FakeWorkspace();
    const { result, err } = await captureConsole(() => runExecutor(opts({ env: ws.env({ FAKE_SPK_FAIL: 'build' }) }), ctx()));
    assert.deepEqual(result, { success: false });
    assert.deepEqual(err, [`spk build failed (exit 3) for ${RECIPE} version 3.11.4`]);
    assert.deepEqual(ws.argvs().map((a) => a[0]), ['build']);
    assert.equal(ws.exists('dist/spk/python/3.11.4'), false);
    noTempDirs('dist/spk/python');
  });

  test('failing export keeps the previous archive and removes the temp dir', async () => {
    ws = new FakeWorkspace();
    ws.write('dist/spk/python/3.11.4/python_3.11.4.spk', 'previous');
    const { result, err } = await captureConsole(() => runExecutor(opts({ env: ws.env({ FAKE_SPK_FAIL: 'export' }) }), ctx()));
    assert.deepEqual(result, { success: false });
    assert.match(err.join('\n'), /spk export failed \(exit 3\) for python\/3\.11\.4/);
    assert.equal(readFileSync(path.join(ws.root, 'dist/spk/python/3.11.4/python_3.11.4.spk'), 'utf8'), 'previous');
    noTempDirs('dist/spk/python');
  });

  test('successful export replaces the whole previous outputPath', async () => {
    ws = new FakeWorkspace();
    ws.write('dist/spk/python/3.11.4/stale.spk', 'stale');
    const { result } = await captureConsole(() => runExecutor(opts(), ctx()));
    assert.deepEqual(result, { success: true });
    assert.deepEqual(ws.ls('dist/spk/python/3.11.4'), ['python_3.11.4.spk']);
    noTempDirs('dist/spk/python');
  });
});

describe('spk-build handoff import', () => {
  test('ONE spk import with the archives of transitive dependencies found on disk', async () => {
    ws = new FakeWorkspace();
    ws.write('out/zlib/zlib_1.2.13.spk', 'z');
    ws.write('out/zlib/notes.txt', 'not an archive');
    ws.write('dist/spk/gcc/9.3.0/gcc_9.3.0.spk', 'g');
    const { result } = await captureConsole(() => runExecutor(opts(), ctx(threeProjects(ws, '{workspaceRoot}/out/zlib'))));
    assert.deepEqual(result, { success: true });
    const argvs = ws.argvs();
    assert.deepEqual(argvs[0], ['import', '--sync', '<copy>/zlib_1.2.13.spk', '<copy>/gcc_9.3.0.spk']);
    assert.equal(argvs[1]![0], 'build');
  });

  test('no import when no dependency archive exists', async () => {
    ws = new FakeWorkspace();
    await captureConsole(() => runExecutor(opts(), ctx()));
    assert.deepEqual(ws.argvs().map((a) => a[0]), ['build', 'export']);
  });

  test('failing import fails the task before building', async () => {
    ws = new FakeWorkspace();
    ws.write('dist/spk/gcc/9.3.0/gcc_9.3.0.spk', 'g');
    const { result, err } = await captureConsole(() => runExecutor(opts({ env: ws.env({ FAKE_SPK_FAIL: 'import' }) }), ctx()));
    assert.deepEqual(result, { success: false });
    assert.match(err[0]!, /^spk import failed \(exit 3\)/);
    assert.deepEqual(ws.argvs().map((a) => a[0]), ['import']);
  });
});

describe('spk-build within one nx invocation', () => {
  const saved = process.env.NX_INVOCATION_ANCESTOR_PIDS;
  afterEach(() => {
    if (saved === undefined) delete process.env.NX_INVOCATION_ANCESTOR_PIDS;
    else process.env.NX_INVOCATION_ANCESTOR_PIDS = saved;
  });

  test('does not import what the same invocation built here, imports the rest, and records its own build', { skip: process.platform !== 'linux' }, async () => {
    ws = new FakeWorkspace();
    ws.write('dist/spk/zlib/1.2.13/zlib_1.2.13.spk', 'z');
    ws.write('dist/spk/gcc/9.3.0/gcc_9.3.0.spk', 'g');
    // a run id no other test uses: this process, as if it were the nx process forking the task
    process.env.NX_INVOCATION_ANCESTOR_PIDS = String(process.pid);
    const local = runLocalPackages(ws.root)!;
    local.add('zlib@1.2.13'); // zlib was built earlier in this invocation; gcc came from the cache
    try {
      const { result } = await captureConsole(() => runExecutor(opts(), ctx()));
      assert.deepEqual(result, { success: true });
      assert.deepEqual(ws.argvs()[0], ['import', '--sync', '<copy>/gcc_9.3.0.spk']);
      assert.equal(local.has('python@3.11.4'), true, 'the build is recorded for the tasks after it');
      // a failed build is not recorded
      const failing = await captureConsole(() =>
        runExecutor(opts({ package: 'gcc', version: '9.3.0', env: ws.env({ FAKE_SPK_FAIL: 'build' }) }), fakeContext(ws.root, threeProjects(ws), 'gcc@9.3.0')),
      );
      assert.deepEqual(failing.result, { success: false });
      assert.equal(local.has('gcc@9.3.0'), false);
    } finally {
      rmSync(path.dirname(local.dir), { recursive: true, force: true });
    }
  });
});

describe('spk-build skipExisting', () => {
  test('local: version present (modulo trailing zeros) -> no build, still exported', async () => {
    ws = new FakeWorkspace();
    ws.write('dist/spk/gcc/9.3.0/gcc_9.3.0.spk', 'g');
    const { result, out } = await captureConsole(() =>
      runExecutor(opts({ skipExisting: 'local', env: ws.env({ FAKE_SPK_LS: '3.12.0,3.11.4.0' }) }), ctx()),
    );
    assert.deepEqual(result, { success: true });
    assert.ok(out.includes('python/3.11.4 already exists in local; not building'));
    const argvs = ws.argvs();
    assert.deepEqual(argvs[0], ['ls', '--no-src', '--no-host', '-L', 'python']);
    assert.deepEqual(argvs.map((a) => a[0]), ['ls', 'export']);
    assert.deepEqual(ws.ls('dist/spk/python/3.11.4'), ['python_3.11.4.spk']);
  });

  test('origin: version absent -> builds', async () => {
    ws = new FakeWorkspace();
    const { result } = await captureConsole(() =>
      runExecutor(opts({ skipExisting: 'origin', env: ws.env({ FAKE_SPK_LS: '3.11.3' }) }), ctx()),
    );
    assert.deepEqual(result, { success: true });
    const argvs = ws.argvs();
    assert.deepEqual(argvs[0], ['ls', '--no-src', '--no-host', '--disable-repo', 'local', '-r', 'origin', 'python']);
    assert.deepEqual(argvs.map((a) => a[0]), ['ls', 'build', 'export']);
  });

  test('ls failure -> warning, builds anyway', async () => {
    ws = new FakeWorkspace();
    const { result, out } = await captureConsole(() =>
      runExecutor(opts({ skipExisting: 'origin', env: ws.env({ FAKE_SPK_FAIL: 'ls' }) }), ctx()),
    );
    assert.deepEqual(result, { success: true });
    assert.match(out.join('\n'), /warning: could not check whether python\/3\.11\.4 exists in origin/);
    assert.deepEqual(ws.argvs().map((a) => a[0]), ['ls', 'build', 'export']);
  });

  test('invalid skipExisting value is rejected', async () => {
    ws = new FakeWorkspace();
    const { result, err } = await captureConsole(() => runExecutor(opts({ skipExisting: 'remote' as never }), ctx()));
    assert.deepEqual(result, { success: false });
    assert.match(err[0]!, /skipExisting/);
  });
});

describe('spk-build interrupt (child process)', () => {
  async function runInChild(env: Record<string, string>, pidFile: string): Promise<{ code: number | null; signal: string | null; stdout: string }> {
    const here = __filename.endsWith('.ts');
    const runner = ws.write(
      'runner.js',
      `const run = require(${JSON.stringify(path.join(__dirname, 'executor'))}).default;\n` +
        `run(JSON.parse(process.env.OPTS), JSON.parse(process.env.CTX)).then((r) => console.log('RESULT ' + JSON.stringify(r)));\n`,
    );
    const child = spawn(process.execPath, [...(here ? ['--import', 'tsx'] : []), runner], {
      cwd: repoRoot(__dirname),
      env: { ...process.env, OPTS: JSON.stringify(opts({ env: ws.env({ ...env, FAKE_SPK_GRANDCHILD_PID: pidFile }) })), CTX: JSON.stringify(ctx()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stdout += d));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const start = Date.now();
    while (!existsSync(pidFile) && Date.now() - start < 20_000) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(pidFile), `fake spk started (output so far: ${stdout})`);
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    const res = await exited;
    return { ...res, stdout };
  }

  async function waitGone(pid: number): Promise<boolean> {
    const deadline = Date.now() + 5000;
    while (isProcessAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return !isProcessAlive(pid);
  }

  test('SIGTERM during spk build kills the whole group; no partial output', async () => {
    ws = new FakeWorkspace();
    const pidFile = path.join(ws.root, 'grandchild.pid');
    const res = await runInChild({ FAKE_SPK_SLEEP: 'build' }, pidFile);
    const gpid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(await waitGone(gpid), 'the fake spk grandchild is gone');
    assert.equal(res.signal, 'SIGTERM', `executor process re-raised SIGTERM (output: ${res.stdout})`);
    assert.doesNotMatch(res.stdout, /RESULT/);
    assert.equal(ws.exists('dist/spk/python/3.11.4'), false);
    noTempDirs('dist/spk/python');
    assert.deepEqual(ws.argvs().map((a) => a[0]), ['build'], 'nothing ran after the interrupt');
  });

  test('SIGTERM during spk export removes the temp dir and keeps the old archive', async () => {
    ws = new FakeWorkspace();
    ws.write('dist/spk/python/3.11.4/python_3.11.4.spk', 'previous');
    const pidFile = path.join(ws.root, 'grandchild.pid');
    const res = await runInChild({ FAKE_SPK_SLEEP: 'export' }, pidFile);
    const gpid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(await waitGone(gpid), 'the fake spk grandchild is gone');
    assert.equal(res.signal, 'SIGTERM');
    assert.equal(readFileSync(path.join(ws.root, 'dist/spk/python/3.11.4/python_3.11.4.spk'), 'utf8'), 'previous');
    noTempDirs('dist/spk/python');
  });
});
