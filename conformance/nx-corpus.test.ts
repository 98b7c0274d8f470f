/**
 * Conformance e2e: the packed plugin in a fresh Nx 24 workspace holding a copy of spk's own
 * packages/ tree (github.com/spkenv/spk, the path given to `npm run test:conformance`). Real `nx show projects`, `nx graph`, `nx run-many --graph`,
 * `nx show projects --affected`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fg from 'fast-glob';
import { createWorkspace, type TestWorkspace } from '../e2e/helpers';
import { HOST, NOT_SPK_TREE, spkPackagesTree } from './trees';

const corpus = spkPackagesTree() ?? '/nonexistent';

function corpusFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of fg.sync(['workspace.spk.yaml', 'packages/**/*'], { cwd: corpus, dot: false })) {
    files[f] = readFileSync(join(corpus, f), 'utf8');
  }
  return files;
}

interface GraphJson {
  graph: { nodes: Record<string, unknown>; dependencies: Record<string, Array<{ source: string; target: string; type: string }>> };
}

/** Cycle check on a plain adjacency map (iterative DFS colouring). */
function findCycle(adj: Record<string, string[]>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  for (const start of Object.keys(adj)) {
    if (state.has(start)) continue;
    const stack: Array<[string, number]> = [[start, 0]];
    const path: string[] = [start];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const next = adj[top[0]]?.[top[1]++];
      if (next === undefined) {
        state.set(top[0], 2);
        stack.pop();
        path.pop();
      } else if (state.get(next) === 1) {
        return [...path.slice(path.indexOf(next)), next];
      } else if (!state.has(next)) {
        state.set(next, 1);
        stack.push([next, 0]);
        path.push(next);
      }
    }
  }
  return undefined;
}

describe('e2e: spk corpus in a fresh Nx 24 workspace', { skip: !spkPackagesTree() && NOT_SPK_TREE }, () => {
  let ws: TestWorkspace;
  let graph: GraphJson;
  let graphOutput = '';
  before(async () => {
    ws = await createWorkspace({
      files: corpusFiles(),
      nxJson: { plugins: [{ plugin: 'nx-spk', options: { hostOptions: HOST } }] },
      git: true,
    });
    const r = await ws.runNx(['graph', '--file=graph.json']);
    graphOutput = r.stdout + r.stderr;
    graph = JSON.parse(readFileSync(join(ws.root, 'graph.json'), 'utf8'));
  });
  after(async () => ws?.cleanup());

  test('nx show projects lists exactly the 159 recipe-versions', async () => {
    const r = await ws.runNx(['show', 'projects', '--json']);
    const projects: string[] = JSON.parse(r.stdout);
    assert.equal(projects.length, 159, projects.join(' '));
    for (const p of ['python@3.7.0', 'python@3.7.17', 'python@3.13.1', 'cmake@3.18.2', 'gcc@0.0.0+bootstrap.1']) assert.ok(projects.includes(p), p);
    assert.equal(projects.filter((p) => p.startsWith('python@')).length, 101);
  });

  test('the missing python2 recipe is a warning, not a failure', () => {
    assert.match(graphOutput, /python2\.spk\.yaml/);
  });

  test('nx graph has the resolved edges, all implicit', () => {
    const deps = graph.graph.dependencies;
    const targets = (p: string) => (deps[p] ?? []).map((d) => d.target);
    assert.ok(targets('python@3.11.5').includes('zlib@1.2.11+r.1'));
    assert.ok(targets('python@3.11.5').includes('openssl@1.1.1+r.13'));
    assert.ok(!targets('python@3.11.5').includes('gcc@0.0.0+bootstrap.1'), 'python3 pins gcc 6.3: external, no edge to the bootstrap gcc');
    assert.ok(targets('openvdb@8.0.0+r.1').includes('tbb@2019.9.0'));
    assert.ok(!targets('openvdb@8.0.0+r.1').includes('tbb@2020.3.0'));
    assert.ok(targets('gettext@0.21.0').includes('autoconf@0.0.0+bootstrap.1'), 'cycle broken bootstrap-style');
    assert.ok(!targets('gettext@0.21.0').includes('gettext@0.21.0'), 'never a self edge');
    for (const list of Object.values(deps)) for (const d of list) assert.equal(d.type, 'implicit');
  });

  test('the task graph of run-many -t spk-build has no cycle, and cycle decisions are printed', async () => {
    const r = await ws.runNx(['run-many', '-t', 'spk-build', '--graph=tasks.json']);
    const tasks = JSON.parse(readFileSync(join(ws.root, 'tasks.json'), 'utf8'));
    const adj: Record<string, string[]> = tasks.taskGraph?.dependencies ?? tasks.dependencies ?? tasks.graph?.dependencies;
    assert.ok(adj && Object.keys(adj).length >= 159, `unexpected task graph shape: ${Object.keys(tasks)}`);
    assert.equal(findCycle(adj), undefined);
    assert.match(graphOutput + r.stdout + r.stderr, /dependency cycle resolved/);
  });

  test('nx-spk explain explains every requirement; show project carries the compact facts', async () => {
    // Explanations are computed on demand (`nx-spk explain`); the project configuration stays light.
    const e = await ws.exec(join(ws.root, 'node_modules', '.bin', 'nx-spk'), ['explain', 'python@3.11.5', '--json']);
    const reqs = (JSON.parse(e.stdout) as { requirements: Array<{ request: string; resolution: string; target?: string; reason: string; role: string }> }).requirements;
    const r = await ws.runNx(['show', 'project', 'python@3.11.5', '--json']);
    const p = JSON.parse(r.stdout);
    assert.equal(p.metadata.spk.requirements, undefined, 'no explanations in the project configuration');
    assert.ok([...p.metadata.spk.buildEnv, ...p.metadata.spk.runtime].includes('zlib@1.2.11+r.1'), 'the compact facts name the resolved dependency');
    const gcc = reqs.find((x) => x.request === 'gcc/6.3')!;
    assert.equal(gcc.resolution, 'external');
    assert.match(gcc.reason, /gcc@0\.0\.0\+bootstrap\.1/);
    const zlib = reqs.find((x) => x.request === 'zlib/1.2')!;
    assert.equal(zlib.target, 'zlib@1.2.11+r.1');
    assert.deepEqual(p.tags.sort(), ['spk', 'spk:kind:package', 'spk:pkg:python']);
    assert.ok(p.targets['spk-build'].inputs.some((i: unknown) => i === '{workspaceRoot}/packages/python/python3.spk.yaml'));
  });

  test('affected by a recipe file: its versions and their dependents', async () => {
    const r = await ws.runNx(['show', 'projects', '--affected', '--files=packages/zlib/zlib.spk.yaml', '--json']);
    const affected: string[] = JSON.parse(r.stdout);
    assert.ok(affected.includes('zlib@1.2.11+r.1'));
    assert.ok(affected.includes('python@3.11.5'), 'python depends on zlib');
    assert.ok(!affected.includes('stdfs@1.1.0'), 'stdfs does not depend on zlib');
  });
});
