/**
 * e2e: `nx run-many -t spk-build` with the packed plugin and the spk test double on the
 * fixture workspace e2e/fixtures/build-ws (18 recipe-versions: a v1/platform with a base,
 * variants, versions from brace expansion, the gcc bootstrap chain).
 *
 * The double refuses to build when a build requirement is not in its repository, so a wrong
 * order or a missing import fails the run; its invocation log (start/end times) lets us check
 * the order and which commands ran on which "machine".
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  buildFixtureWorkspace,
  machineEnv,
  readDoubleLog,
  remoteCacheEnv,
  repoVersions,
  seedSpkPackage,
  startRemoteCacheServer,
  type DoubleLogEntry,
  type ExecResult,
  type RemoteCacheServer,
  type TestWorkspace,
} from './helpers';


/** The 18 projects of the fixture (name@version). */
const ALL_PROJECTS = [
  'app@1.0.0', 'app@1.1.0', 'app@1.2.0',
  'base-platform@1.0.0', 'studio-platform@2024.0.0',
  'cmake@3.20.0', 'cmake@3.21.0', 'cmake@3.22.0',
  'gcc@0.0.0+bootstrap.1', 'gcc@6.3.0', 'gcc@9.3.0',
  'imath@3.1.0', 'openexr@3.2.0',
  'python@3.9.0', 'python@3.9.1', 'python@3.10.0',
  'stdfs@1.0.0', 'zlib@1.2.13',
].sort();

/** A directory for simulated machines (double repos and logs), outside every workspace. */
function machinesDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-build-machines-'));
}


function output(r: ExecResult): string {
  return `${r.stdout}\n${r.stderr}`;
}

interface ProjectInfo {
  name: string;
  recipe: string;
  version: string;
  templated: boolean;
  /** Direct project-graph dependencies. */
  deps: string[];
  /** Direct dependencies by role, from the plugin's compact facts (metadata.spk.buildEnv / runtime). */
  buildDeps: string[];
  runtimeDeps: string[];
}

interface GraphJson {
  graph: {
    nodes: Record<
      string,
      {
        data: {
          targets: Record<string, { options: { recipe: string; version: string; templated: boolean; package: string } }>;
          metadata?: { spk?: { buildEnv: string[]; runtime: string[] } };
        };
      }
    >;
    dependencies: Record<string, Array<{ target: string }>>;
  };
}

async function projectGraph(ws: TestWorkspace, env: Record<string, string>): Promise<Map<string, ProjectInfo>> {
  await ws.runNx(['graph', '--file=graph.json'], { env });
  const g = JSON.parse(fs.readFileSync(path.join(ws.root, 'graph.json'), 'utf8')) as GraphJson;
  fs.rmSync(path.join(ws.root, 'graph.json'));
  const out = new Map<string, ProjectInfo>();
  for (const [name, node] of Object.entries(g.graph.nodes)) {
    const o = node.data.targets['spk-build'].options;
    const spk = node.data.metadata?.spk;
    out.set(name, {
      name,
      recipe: o.recipe,
      version: o.version,
      templated: o.templated,
      deps: (g.graph.dependencies[name] ?? []).map((d) => d.target),
      buildDeps: spk?.buildEnv ?? [],
      runtimeDeps: spk?.runtime ?? [],
    });
  }
  return out;
}

/** `starts` and everything reachable from them, following `next(project)` from each. */
function reachable(graph: Map<string, ProjectInfo>, starts: string[], next: (p: ProjectInfo) => string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...starts];
  while (stack.length) {
    const d = stack.pop()!;
    if (seen.has(d)) continue;
    seen.add(d);
    stack.push(...next(graph.get(d)!));
  }
  return seen;
}

function transitiveDeps(graph: Map<string, ProjectInfo>, project: string): Set<string> {
  return reachable(graph, graph.get(project)!.deps, (p) => p.deps);
}

/**
 * What spk puts in the build environment of `project`: its build requirements (and platform
 * bases) plus the runtime requirements of everything in that environment, transitively. This
 * is what the executor must have imported before `spk build`.
 */
function buildEnvironment(graph: Map<string, ProjectInfo>, project: string): Set<string> {
  return reachable(graph, graph.get(project)!.buildDeps, (p) => p.runtimeDeps);
}

function transitiveDependents(graph: Map<string, ProjectInfo>, project: string): Set<string> {
  const out = new Set<string>();
  for (const p of graph.keys()) if (transitiveDeps(graph, p).has(project)) out.add(p);
  return out;
}

/** recipe + `-o version=` of a `spk build` argv (the version option is only passed to templates). */
function buildKey(recipe: string, version: string | undefined): string {
  return `${recipe}#${version ?? ''}`;
}

function projectOfBuildArgv(graph: Map<string, ProjectInfo>, argv: string[]): string {
  const recipe = argv[argv.length - 1];
  let version: string | undefined;
  for (let i = 0; i < argv.length - 1; i++) {
    if (argv[i] === '-o' && argv[i + 1].startsWith('version=')) version = argv[i + 1].slice('version='.length);
  }
  const key = buildKey(recipe, version);
  for (const p of graph.values()) {
    if (buildKey(p.recipe, p.templated ? p.version : undefined) === key) return p.name;
  }
  throw new Error(`spk build ${argv.join(' ')} matches no project`);
}

/** Every `spk build` in the log (any exit), keyed by project. */
function buildsByProject(graph: Map<string, ProjectInfo>, log: DoubleLogEntry[]): Map<string, DoubleLogEntry[]> {
  const out = new Map<string, DoubleLogEntry[]>();
  for (const e of log.filter((x) => x.argv[0] === 'build')) {
    const p = projectOfBuildArgv(graph, e.argv);
    out.set(p, [...(out.get(p) ?? []), e]);
  }
  return out;
}

/** Log entries other than `spk version` / `spk --version` (Nx's hasher runs them for the spk-version runtime input). */
function spkWork(log: DoubleLogEntry[]): DoubleLogEntry[] {
  return log.filter((e) => !(e.argv.length === 1 && (e.argv[0] === '--version' || e.argv[0] === 'version')));
}

function archiveOf(p: ProjectInfo): string {
  const name = p.name.slice(0, p.name.indexOf('@'));
  return `dist/spk/${name}/${p.version}/${name}_${p.version}.spk`;
}

/** Every dir under dist/spk that is not a finished output (export temp dirs, replaced old dirs). */
function leftovers(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (/\.(tmp|old)-/.test(e.name)) out.push(path.join(dir, e.name));
      if (e.isDirectory()) walk(path.join(dir, e.name));
    }
  };
  walk(path.join(root, 'dist', 'spk'));
  return out;
}

/** Asserts each listed project was built once, successfully, after all its dependencies' builds ended. */
function assertBuiltInOrder(graph: Map<string, ProjectInfo>, log: DoubleLogEntry[], expected: string[]): void {
  const builds = buildsByProject(graph, log);
  assert.deepEqual([...builds.keys()].sort(), [...expected].sort(), 'the projects built');
  for (const [p, entries] of builds) {
    assert.equal(entries.length, 1, `${p} built once`);
    assert.equal(entries[0].exit, 0, `${p} built successfully`);
  }
  for (const p of expected) {
    const b = builds.get(p)![0];
    for (const d of graph.get(p)!.deps) {
      const db = builds.get(d)?.[0];
      if (!db) continue; // came from elsewhere (cache, other machine)
      assert.ok(db.end <= b.start, `${p} started (${b.start}) before its dependency ${d} ended (${db.end})`);
    }
  }
}

/** Asserts an `spk import` holding every archive of `mustInclude` ended before p's build started. */
function assertImportedBeforeBuild(graph: Map<string, ProjectInfo>, log: DoubleLogEntry[], p: string, mustInclude: Iterable<string>): void {
  const build = buildsByProject(graph, log).get(p)![0];
  const wanted = [...mustInclude].map((d) => archiveOf(graph.get(d)!));
  const ok = log.some((e) => e.argv[0] === 'import' && e.exit === 0 && e.end <= build.start && wanted.every((a) => e.argv.some((x) => x.endsWith(`-${path.basename(a)}`))));
  assert.ok(ok, `no spk import of ${wanted.join(' ')} before the build of ${p}:\n${log.filter((e) => e.argv[0] === 'import').map((e) => e.argv.join(' ')).join('\n')}`);
}

describe('e2e: spk-build on a fixture workspace (spk test double)', () => {
  describe('one machine: order, cache hits, rerun after emptying the spk repository', () => {
    let ws: TestWorkspace;
    let machines: string;
    let env: Record<string, string>;
    let graph: Map<string, ProjectInfo>;
    before(async () => {
      ws = await buildFixtureWorkspace();
      machines = machinesDir();
      env = machineEnv(path.join(machines, 'laptop'));
      graph = await projectGraph(ws, env);
    });
    after(async () => {
      await ws?.cleanup();
      if (machines) fs.rmSync(machines, { recursive: true, force: true });
    });

    test('the fixture has the 18 recipe-versions and the edges the tests rely on', () => {
      assert.deepEqual([...graph.keys()].sort(), ALL_PROJECTS);
      // bootstrap chain, platform base, variants over both pythons, brace-expanded versions
      assert.deepEqual(graph.get('gcc@9.3.0')!.deps.sort(), ['gcc@6.3.0', 'stdfs@1.0.0']);
      assert.deepEqual(graph.get('gcc@6.3.0')!.deps.sort(), ['gcc@0.0.0+bootstrap.1', 'stdfs@1.0.0']);
      assert.deepEqual(graph.get('studio-platform@2024.0.0')!.deps, ['base-platform@1.0.0']);
      assert.ok(graph.get('imath@3.1.0')!.deps.includes('python@3.9.1'));
      assert.ok(graph.get('imath@3.1.0')!.deps.includes('python@3.10.0'));
      assert.ok(transitiveDeps(graph, 'app@1.2.0').has('gcc@0.0.0+bootstrap.1'));
    });

    test('run-many --parallel=2 builds all 18 in dependency order and exports every archive', async () => {
      await ws.runNx(['run-many', '-t', 'spk-build', '--parallel=2'], { env });
      const log = readDoubleLog(env.SPK_DOUBLE_LOG);
      assertBuiltInOrder(graph, log, ALL_PROJECTS);
      // --parallel=2: never more than two spk builds at once
      const builds = log.filter((e) => e.argv[0] === 'build');
      for (const b of builds) {
        // concurrency peaks at some build's start: count the builds running at that instant
        const running = builds.filter((o) => o.start <= b.start && b.start < o.end);
        assert.ok(running.length <= 2, `${running.length} builds running when ${b.argv.join(' ')} started`);
      }
      for (const p of graph.values()) {
        assert.ok(fs.existsSync(path.join(ws.root, archiveOf(p))), `${archiveOf(p)} exported`);
        assert.deepEqual(fs.readdirSync(path.dirname(path.join(ws.root, archiveOf(p)))), [path.basename(archiveOf(p))]);
      }
      assert.deepEqual(leftovers(ws.root), []);
      assert.deepEqual(repoVersions(env.SPK_DOUBLE_REPO, 'gcc').sort(), ['0.0.0+bootstrap.1', '6.3.0', '9.3.0']);
      // Every dependency was built by this same nx invocation on this machine, so it is in the
      // local repository already: no build imports an archive (executors/shared/run-local-packages.ts).
      // Imports of restored archives are checked by the next tests.
      assert.deepEqual(log.filter((e) => e.argv[0] === 'import').map((e) => e.argv.join(' ')), [], 'nothing imported that this run built');
      assert.ok(buildEnvironment(graph, 'gcc@9.3.0').has('gcc@6.3.0'));
    });

    test('a second run is all cache hits and runs no spk command', async () => {
      const workBefore = spkWork(readDoubleLog(env.SPK_DOUBLE_LOG)).length;
      const r = await ws.runNx(['run-many', '-t', 'spk-build', '--parallel=2'], { env });
      assert.match(output(r), /Nx read the output from the cache instead of running the command for 18 out of 18 tasks/);
      assert.equal(spkWork(readDoubleLog(env.SPK_DOUBLE_LOG)).length, workBefore, 'no spk build/import/export on a full cache hit');
    });

    test('after emptying the spk repository and dist/, an edited downstream recipe rebuilds from the restored archives', async () => {
      fs.rmSync(env.SPK_DOUBLE_REPO, { recursive: true, force: true });
      fs.rmSync(path.join(ws.root, 'dist'), { recursive: true, force: true });
      const recipe = path.join(ws.root, 'packages/app/app.spk.yaml');
      const text = fs.readFileSync(recipe, 'utf8');
      assert.ok(text.includes('echo "app {{ opt.version }}"'));
      fs.writeFileSync(recipe, text.replace('echo "app {{ opt.version }}"', 'echo "app {{ opt.version }}, edited"'));
      const logStart = readDoubleLog(env.SPK_DOUBLE_LOG).length;

      const r = await ws.runNx(['run-many', '-t', 'spk-build', '--parallel=2'], { env });
      assert.match(output(r), /Nx read the output from the cache instead of running the command for 15 out of 18 tasks/);
      const log = readDoubleLog(env.SPK_DOUBLE_LOG).slice(logStart);
      const apps = ['app@1.0.0', 'app@1.1.0', 'app@1.2.0'];
      assertBuiltInOrder(graph, log, apps);
      // Nx restored the upstream archives into dist/spk, and each app build imported them first:
      // the double would refuse the build otherwise (its repository was empty).
      for (const p of graph.values()) assert.ok(fs.existsSync(path.join(ws.root, archiveOf(p))), `${archiveOf(p)} restored/exported`);
      for (const a of apps) assertImportedBeforeBuild(graph, log, a, buildEnvironment(graph, a));
      assert.deepEqual(repoVersions(env.SPK_DOUBLE_REPO, 'openexr'), ['3.2.0'], 'imported into the emptied repository');
      assert.deepEqual(repoVersions(env.SPK_DOUBLE_REPO, 'app').sort(), ['1.0.0', '1.1.0', '1.2.0']);
      // cmake only builds the apps' dependencies; it is not in any app's build environment, so it
      // is not imported (spk's solver would not put it there either).
      assert.deepEqual(repoVersions(env.SPK_DOUBLE_REPO, 'cmake'), [], 'build-only dependencies of dependencies are not imported');
    });
  });

  describe('two machines sharing one self-hosted remote cache', () => {
    const token = 'e2e-build-token';
    let server: RemoteCacheServer;
    let machines: string;
    let a: TestWorkspace;
    let b: TestWorkspace;
    before(async () => {
      machines = machinesDir();
      server = await startRemoteCacheServer({ dir: path.join(machines, 'cache'), token });
      [a, b] = [await buildFixtureWorkspace(), await buildFixtureWorkspace()];
    });
    after(async () => {
      await a?.cleanup();
      await b?.cleanup();
      await server?.close();
      if (machines) fs.rmSync(machines, { recursive: true, force: true });
    });

    test('machine B gets machine A\'s builds from the remote cache and builds only the rest', async () => {
      const envA = { ...machineEnv(path.join(machines, 'a')), ...remoteCacheEnv(server, token) };
      const envB = { ...machineEnv(path.join(machines, 'b')), ...remoteCacheEnv(server, token) };
      const graph = await projectGraph(a, envA);

      // A: the lower part of the graph (zlib and a cmake, plus everything they need)
      const lower = [...new Set(['zlib@1.2.13', 'cmake@3.20.0', ...transitiveDeps(graph, 'zlib@1.2.13')])].sort();
      assert.deepEqual(lower, ['cmake@3.20.0', 'cmake@3.22.0', 'gcc@0.0.0+bootstrap.1', 'gcc@6.3.0', 'gcc@9.3.0', 'stdfs@1.0.0', 'zlib@1.2.13']);
      await a.runNx(['run-many', '-t', 'spk-build', '-p', 'zlib@1.2.13', 'cmake@3.20.0', '--parallel=2'], { env: envA });
      assertBuiltInOrder(graph, readDoubleLog(envA.SPK_DOUBLE_LOG), lower);
      const putHashes = server.requests.filter((q) => q.method === 'PUT' && q.status === 200).map((q) => q.hash).sort();
      assert.equal(putHashes.length, lower.length, 'A uploaded one cache entry per task');
      const requestsBeforeB = server.requests.length;

      // B: everything. A's tasks come from the remote cache; B's double never builds them.
      const r = await b.runNx(['run-many', '-t', 'spk-build', '--parallel=2'], { env: envB });
      assert.match(output(r), new RegExp(`Nx read the output from the cache instead of running the command for ${lower.length} out of 18 tasks`));
      // Nx 24 labels a remote hit "[local cache]" once downloaded; the server saw B fetch exactly A's entries.
      const hitsB = server.requests.slice(requestsBeforeB).filter((q) => q.method === 'GET' && q.status === 200).map((q) => q.hash).sort();
      assert.deepEqual(hitsB, putHashes, 'B downloaded exactly what A uploaded');
      const logB = readDoubleLog(envB.SPK_DOUBLE_LOG);
      const rest = ALL_PROJECTS.filter((p) => !lower.includes(p));
      assertBuiltInOrder(graph, logB, rest);
      for (const p of graph.values()) assert.ok(fs.existsSync(path.join(b.root, archiveOf(p))), `${archiveOf(p)} on machine B`);
      // python on B needs zlib and gcc from A: imported from the archives Nx restored
      assertImportedBeforeBuild(graph, logB, 'python@3.10.0', buildEnvironment(graph, 'python@3.10.0'));
      assert.deepEqual(repoVersions(envB.SPK_DOUBLE_REPO, 'zlib'), ['1.2.13']);
      assert.equal(logB.some((e) => e.argv[0] === 'export' && e.argv.includes('zlib/1.2.13')), false, 'B did not export what A built');
    });
  });

  test('a failing build fails the run with spk\'s message; its dependents do not run; no archive is left', async () => {
    const ws = await buildFixtureWorkspace();
    const machines = machinesDir();
    try {
      const env = machineEnv(path.join(machines, 'm'), { extra: { SPK_DOUBLE_FAIL: 'zlib' } });
      const graph = await projectGraph(ws, env);
      const r = await ws.runNx(['run-many', '-t', 'spk-build', '--parallel=2'], { env, allowFailure: true });
      assert.notEqual(r.code, 0);
      assert.match(output(r), /simulated failure of zlib\/1\.2\.13/);
      assert.match(output(r), /Build script returned non-zero exit status: 1 \(zlib\/1\.2\.13/);
      assert.match(output(r), /spk build failed \(exit 1\) for packages\/zlib\/zlib\.spk\.yaml/);
      const builds = buildsByProject(graph, readDoubleLog(env.SPK_DOUBLE_LOG));
      assert.deepEqual(builds.get('zlib@1.2.13')?.map((e) => e.exit), [1]);
      const dependents = transitiveDependents(graph, 'zlib@1.2.13');
      assert.ok(dependents.size >= 7, [...dependents].join(' '));
      for (const d of dependents) assert.equal(builds.has(d), false, `${d} depends on zlib and must not run`);
      for (const d of transitiveDeps(graph, 'zlib@1.2.13')) assert.ok(builds.has(d), `${d} (a dependency of zlib) was built`);
      assert.equal(fs.existsSync(path.join(ws.root, 'dist/spk/zlib')), false, 'no archive (nor temp dir) for the failed build');
      for (const d of dependents) assert.equal(fs.existsSync(path.join(ws.root, archiveOf(graph.get(d)!))), false);
      assert.deepEqual(repoVersions(env.SPK_DOUBLE_REPO, 'zlib'), []);
      assert.deepEqual(leftovers(ws.root), []);
    } finally {
      await ws.cleanup();
      fs.rmSync(machines, { recursive: true, force: true });
    }
  });

  test('skipExisting: origin does not build a version already in origin, but still exports its archive', async () => {
    const ws = await buildFixtureWorkspace({ skipExisting: 'origin' });
    const machines = machinesDir();
    try {
      const env = machineEnv(path.join(machines, 'ci'));
      seedSpkPackage(env.SPK_DOUBLE_ORIGIN, { name: 'stdfs', version: '1.0.0' });
      const graph = await projectGraph(ws, env);
      const r = await ws.runNx(['run-many', '-t', 'spk-build', '-p', 'gcc@6.3.0', '--output-style=static'], { env });
      assert.match(output(r), /stdfs\/1\.0\.0 already exists in origin; not building/);
      const log = readDoubleLog(env.SPK_DOUBLE_LOG);
      assertBuiltInOrder(graph, log, ['gcc@0.0.0+bootstrap.1', 'gcc@6.3.0']);
      assert.ok(
        log.some((e) => e.argv.join(' ') === 'ls --no-src --no-host --disable-repo local -r origin stdfs' && e.exit === 0),
        'asked origin whether stdfs exists',
      );
      assert.ok(log.some((e) => e.argv.join(' ').startsWith('export --disable-repo local stdfs/1.0.0 ') && e.exit === 0), 'exported from origin (not built here)');
      assert.ok(fs.existsSync(path.join(ws.root, 'dist/spk/stdfs/1.0.0/stdfs_1.0.0.spk')), 'archive exported from origin');
      assert.deepEqual(repoVersions(env.SPK_DOUBLE_REPO, 'gcc').sort(), ['0.0.0+bootstrap.1', '6.3.0']);
      assert.doesNotMatch(output(r), /gcc\/6\.3\.0 already exists/);
    } finally {
      await ws.cleanup();
      fs.rmSync(machines, { recursive: true, force: true });
    }
  });

  test('dry run (NX_SPK_DRY_RUN=1) prints the spk builds in dependency order and runs no spk command', async () => {
    const ws = await buildFixtureWorkspace();
    const machines = machinesDir();
    try {
      const env = machineEnv(path.join(machines, 'm'));
      const graph = await projectGraph(ws, env);
      const r = await ws.runNx(['run-many', '-t', 'spk-build', '--skip-nx-cache', '--parallel=2', '--output-style=static'], {
        env: { ...env, NX_SPK_DRY_RUN: '1' },
      });
      const lines = output(r).split('\n').filter((l) => /\[dry-run\] \S*spk build /.test(l));
      const order = lines.map((l) => projectOfBuildArgv(graph, l.replace(/^.*\[dry-run\] \S*spk build /, 'build ').trim().split(/\s+/)));
      assert.deepEqual([...order].sort(), ALL_PROJECTS, 'one build line per project');
      for (const p of order) {
        for (const d of graph.get(p)!.deps) {
          assert.ok(order.indexOf(d) < order.indexOf(p), `[dry-run] build of ${p} printed before that of its dependency ${d}`);
        }
      }
      assert.match(output(r), /\[dry-run\] \S*spk build -o version=9\.3\.0 -o arch=x86_64 -o distro=rocky -o os=linux -o rocky=9\.3 --no-host packages\/gcc\/gcc\.spk\.yaml/);
      assert.match(output(r), /\[dry-run\] \S*spk export -L zlib\/1\.2\.13 dist\/spk\/zlib\/1\.2\.13\/zlib_1\.2\.13\.spk/);
      assert.deepEqual(spkWork(readDoubleLog(env.SPK_DOUBLE_LOG)).map((e) => e.argv.join(' ')), [], 'no spk command ran');
      assert.equal(fs.existsSync(path.join(ws.root, 'dist/spk')), false, 'a dry run writes no archive');
    } finally {
      await ws.cleanup();
      fs.rmSync(machines, { recursive: true, force: true });
    }
  });
});
