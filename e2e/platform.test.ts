/**
 * e2e: `nx run <platform>:spk-build-platform` with the packed plugin and the spk test double.
 *
 * The workspace (written here, 14 recipe-versions): tools-platform@1.0.0 inherits base-pins'
 * pins (zlib/1.2.13, cmake/3.21.0), replaces cmake with its own cmake/3.20.0, pins python/3.9.0
 * (python.spk.yaml lists 3.9.1 and 3.9.2 only: the pin adds python@3.9.0, built with
 * `-o version=3.9.0`) and tool/1.0.0 — which requests tools-platform at build time
 * (bootstrapping: no cycle) — and qt/5.15.2, which nothing in the workspace builds.
 *
 * The double refuses a build whose build requirements are not in its repositories, so a wrong
 * order fails the run; its invocation log gives the order and the argv of every build.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWorkspace, readDoubleLog, repoVersions, seedSpkPackage, spkDoubleEnv, type DoubleLogEntry, type ExecResult, type TestWorkspace } from './helpers';

const HOST = { os: 'linux', arch: 'x86_64', distro: 'rocky', rocky: '9.3' };
const PLATFORM = 'tools-platform@1.0.0';

const FILES: Record<string, string> = {
  '.gitignore': 'node_modules\n.nx\ndist\n',
  'workspace.spk.yaml':
    'api: v0/workspace\nrecipes:\n  - packages/**/*.spk.yaml\n  - path: packages/gcc/gcc.spk.yaml\n    versions: ["9.3.0"]\n' +
    '  - path: packages/python/python.spk.yaml\n    versions: ["3.9.{1..2}"]\n',
  'packages/bootstrap/gcc.spk.yaml': 'pkg: gcc/0.0.0+bootstrap.1\napi: v0/package\nbuild:\n  script:\n    - echo bootstrap\n',
  'packages/gcc/gcc.spk.yaml':
    '# {% set opt = opt | default_opts(version="9.3.0") %}\npkg: gcc/{{ opt.version }}\napi: v0/package\nbuild:\n  options:\n    - pkg: stdfs\n    - pkg: gcc/<={{ opt.version }}\n' +
    '  script:\n    - echo gcc\n  validation:\n    rules:\n      - allow: RecursiveBuild\ninstall:\n  requirements:\n    - pkg: stdfs\n',
  'packages/stdfs/stdfs.spk.yaml': 'pkg: stdfs/1.0.0\napi: v0/package\nbuild:\n  script:\n    - echo stdfs\n',
  'packages/zlib/zlib.spk.yaml': 'pkg: zlib/1.2.13\napi: v0/package\nbuild:\n  options:\n    - pkg: stdfs\n    - pkg: gcc/9.3\n  script:\n    - echo zlib\ninstall:\n  requirements:\n    - pkg: stdfs\n',
  'packages/python/python.spk.yaml':
    '# {% set opt = opt | default_opts(version="3.9.2") %}\npkg: python/{{ opt.version }}\napi: v0/package\nbuild:\n  options:\n    - pkg: stdfs\n    - pkg: gcc/9.3\n    - pkg: zlib/1.2\n' +
    '  script:\n    - echo "python {{ opt.version }}"\ninstall:\n  requirements:\n    - pkg: stdfs\n',
  'packages/cmake/cmake.spk.yaml': '# {% set opt = opt | default_opts(version="3.22.0") %}\npkg: cmake/{{ opt.version }}\napi: v0/package\nbuild:\n  script:\n    - echo "cmake {{ opt.version }}"\n',
  'packages/tool/tool.spk.yaml': 'pkg: tool/1.0.0\napi: v0/package\nbuild:\n  options:\n    - pkg: tools-platform\n    - pkg: zlib/1.2\n  script:\n    - echo tool\n',
  'packages/unrelated/unrelated.spk.yaml': 'pkg: unrelated/1.0.0\napi: v0/package\nbuild:\n  options:\n    - pkg: stdfs\n  script:\n    - echo unrelated\n',
  'packages/base-pins/base-pins.spk.yaml':
    'api: v1/platform\nplatform: base-pins/1.0.0\nrequirements:\n  - pkg: zlib/1.2.13\n    atBuild: "~1.2.13"\n  - pkg: cmake/3.21.0\n',
  'packages/tools-platform/tools-platform.spk.yaml':
    'api: v1/platform\nplatform: tools-platform/1.0.0\nbase: [base-pins/1.0.0]\nrequirements:\n  - pkg: cmake/3.20.0\n  - pkg: python/3.9.0\n    atBuild: "=3.9.0"\n' +
    '  - pkg: tool/1.0.0\n  - pkg: qt/5.15.2\n',
};

/** What `spk-build-platform` of tools-platform must build: the pins and everything they need. */
const TREE = [
  'base-pins@1.0.0', 'cmake@3.20.0', 'gcc@0.0.0+bootstrap.1', 'gcc@9.3.0', 'python@3.9.0',
  'stdfs@1.0.0', 'tool@1.0.0', 'tools-platform@1.0.0', 'zlib@1.2.13',
].sort();

interface Node {
  recipe: string;
  version: string;
  templated: boolean;
  deps: string[];
}

function output(r: ExecResult): string {
  return `${r.stdout}\n${r.stderr}`;
}

async function workspace(pluginOptions: Record<string, unknown> = {}): Promise<TestWorkspace> {
  return createWorkspace({ files: FILES, nxJson: { plugins: [{ plugin: 'nx-spk', options: { hostOptions: HOST, ...pluginOptions } }] }, git: true });
}

function machineEnv(dir: string): Record<string, string> {
  return { ...spkDoubleEnv(dir), NX_CACHE_DIRECTORY: path.join(dir, 'nx-cache') };
}

async function projectGraph(ws: TestWorkspace, env: Record<string, string>): Promise<Map<string, Node>> {
  await ws.runNx(['graph', '--file=graph.json'], { env });
  const g = JSON.parse(fs.readFileSync(path.join(ws.root, 'graph.json'), 'utf8'));
  fs.rmSync(path.join(ws.root, 'graph.json'));
  const out = new Map<string, Node>();
  for (const [name, node] of Object.entries<any>(g.graph.nodes)) {
    const o = node.data.targets['spk-build'].options;
    out.set(name, { recipe: o.recipe, version: o.version, templated: o.templated, deps: (g.graph.dependencies[name] ?? []).map((d: { target: string }) => d.target) });
  }
  return out;
}

function versionOption(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length - 1; i++) if (argv[i] === '-o' && argv[i + 1].startsWith('version=')) return argv[i + 1].slice('version='.length);
  return undefined;
}

/** Every `spk build` in the log, keyed by project (recipe path + `-o version=`). */
function builds(graph: Map<string, Node>, log: DoubleLogEntry[]): Map<string, DoubleLogEntry[]> {
  const out = new Map<string, DoubleLogEntry[]>();
  for (const e of log.filter((x) => x.argv[0] === 'build')) {
    const recipe = e.argv[e.argv.length - 1];
    const v = versionOption(e.argv);
    const hit = [...graph].find(([, n]) => n.recipe === recipe && (n.templated ? n.version === v : v === undefined));
    assert.ok(hit, `spk ${e.argv.join(' ')} matches no project`);
    out.set(hit[0], [...(out.get(hit[0]) ?? []), e]);
  }
  return out;
}

function assertBuiltInOrder(graph: Map<string, Node>, log: DoubleLogEntry[], expected: string[]): void {
  const b = builds(graph, log);
  assert.deepEqual([...b.keys()].sort(), [...expected].sort(), 'the projects built');
  for (const p of expected) {
    assert.equal(b.get(p)!.length, 1, `${p} built once`);
    assert.equal(b.get(p)![0].exit, 0, `${p} built successfully`);
    for (const d of graph.get(p)!.deps) {
      const db = b.get(d)?.[0];
      if (db) assert.ok(db.end <= b.get(p)![0].start, `${p} started before its dependency ${d} ended`);
    }
  }
}

function spkWork(log: DoubleLogEntry[]): DoubleLogEntry[] {
  return log.filter((e) => !(e.argv.length === 1 && (e.argv[0] === '--version' || e.argv[0] === 'version')));
}

describe('e2e: nx run <platform>:spk-build-platform (spk test double)', () => {
  let ws: TestWorkspace;
  let machines: string;
  let env: Record<string, string>;
  let graph: Map<string, Node>;
  before(async () => {
    ws = await workspace();
    machines = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-platform-machines-'));
    env = machineEnv(path.join(machines, 'laptop'));
    graph = await projectGraph(ws, env);
  });
  after(async () => {
    await ws?.cleanup();
    if (machines) fs.rmSync(machines, { recursive: true, force: true });
  });

  test('pins add recipe-versions; pins are no edges (tool requests its platform, which pins it)', () => {
    assert.ok(graph.has('python@3.9.0'), 'python@3.9.0 exists only because tools-platform pins it');
    assert.ok(graph.has('cmake@3.20.0') && graph.has('cmake@3.21.0'), 'each platform\'s cmake pin is a project');
    assert.equal(graph.get('python@3.9.0')!.templated, true);
    assert.ok(graph.get('tool@1.0.0')!.deps.includes(PLATFORM));
    assert.ok(!graph.get(PLATFORM)!.deps.includes('tool@1.0.0'));
  });

  test('builds exactly the pinned recipe-versions and their dependencies, in order; templated pins with -o version=V', async () => {
    const r = await ws.runNx(['run', `${PLATFORM}:spk-build-platform`, '--parallel=2', '--output-style=static'], { env });
    const log = readDoubleLog(env.SPK_DOUBLE_LOG);
    assertBuiltInOrder(graph, log, TREE);
    const b = builds(graph, log);
    assert.equal(versionOption(b.get('python@3.9.0')![0].argv), '3.9.0');
    assert.equal(versionOption(b.get('cmake@3.20.0')![0].argv), '3.20.0');
    assert.equal(versionOption(b.get('tool@1.0.0')![0].argv), undefined, 'a plain recipe gets no version option');
    assert.deepEqual(repoVersions(env.SPK_DOUBLE_REPO, 'cmake'), ['3.20.0'], 'the replaced base pin cmake/3.21.0 is not built');
    // the summary: each pin and what built it; the pin nothing builds is said, not dropped
    assert.match(output(r), /tools-platform@1\.0\.0: 5 pins, 4 built by this workspace/);
    assert.match(output(r), /python\/3\.9\.0 ← python@3\.9\.0 \(-o version=3\.9\.0\): built or restored, archive dist\/spk\/python\/3\.9\.0\/python_3\.9\.0\.spk/);
    assert.match(output(r), /zlib\/1\.2\.13 \(inherited from base-pins@1\.0\.0\) ← zlib@1\.2\.13/);
    assert.match(output(r), /qt\/5\.15\.2: not built here \(external\)/);
  });

  test('a second run is all cache hits and runs no spk command', async () => {
    const before = spkWork(readDoubleLog(env.SPK_DOUBLE_LOG)).length;
    const r = await ws.runNx(['run', `${PLATFORM}:spk-build-platform`, '--parallel=2'], { env });
    assert.match(output(r), new RegExp(`Nx read the output from the cache instead of running the command for ${TREE.length + 1} out of ${TREE.length + 1} tasks`));
    assert.equal(spkWork(readDoubleLog(env.SPK_DOUBLE_LOG)).length, before);
  });

  test('nx-spk plan --platform lists the same tree in waves and the unbuilt pin as an external', async () => {
    const r = await ws.exec(path.join(ws.root, 'node_modules', '.bin', 'nx-spk'), ['plan', '--platform', PLATFORM, '--json'], { env });
    const plan = JSON.parse(r.stdout);
    assert.deepEqual(plan.projects.map((p: { name: string }) => p.name).sort(), TREE);
    assert.deepEqual(plan.projects.filter((p: { status: string }) => p.status !== 'local').map((p: { name: string }) => p.name), [], 'everything is in the local repository now');
    const qt = plan.externals.find((e: { request: string }) => e.request === 'qt/=5.15.2');
    assert.deepEqual(qt?.roles, ['pin']);
    assert.deepEqual(qt?.neededBy, [PLATFORM]);
  });
});

test('e2e: with skipExisting: origin and part of the tree in origin, spk-build-platform builds only the rest', async () => {
  const ws = await workspace({ skipExisting: 'origin' });
  const machines = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-platform-machines-'));
  try {
    const env = machineEnv(path.join(machines, 'ci'));
    const inOrigin = ['gcc@0.0.0+bootstrap.1', 'gcc@9.3.0', 'stdfs@1.0.0', 'zlib@1.2.13'];
    for (const p of inOrigin) seedSpkPackage(env.SPK_DOUBLE_ORIGIN, { name: p.slice(0, p.indexOf('@')), version: p.slice(p.indexOf('@') + 1) });
    const graph = await projectGraph(ws, env);
    const r = await ws.runNx(['run', `${PLATFORM}:spk-build-platform`, '--parallel=2', '--output-style=static'], { env });
    assertBuiltInOrder(graph, readDoubleLog(env.SPK_DOUBLE_LOG), TREE.filter((p) => !inOrigin.includes(p)));
    assert.match(output(r), /zlib\/1\.2\.13 already exists in origin; not building/);
    assert.match(output(r), /python\/3\.9\.0 ← python@3\.9\.0/);
  } finally {
    await ws.cleanup();
    fs.rmSync(machines, { recursive: true, force: true });
  }
});
