/**
 * createNodes / createDependencies called the way Nx calls them (batch signature), on a small
 * temp workspace: project shape, virtual roots, explicit inputs, tags, the plugin cache on disk,
 * include/exclude-like filtering, implicit validated edges.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dataDir = mkdtempSync(join(tmpdir(), 'nx-spk-plugin-data-'));
// Nx reads this when its cache-directory module loads, so set it before importing the plugin.
process.env.NX_WORKSPACE_DATA_DIRECTORY = dataDir;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const plugin = require('./index') as typeof import('./index');

const FILES: Record<string, string> = {
  'workspace.spk.yaml': 'api: v0/workspace\nrecipes:\n  - pkgs/*/*.spk.yaml\n  - path: pkgs/py/py.spk.yaml\n    versions: ["3.{9..10}.0"]\n',
  'pkgs/py/py.spk.yaml': '# {% set opt = opt | default_opts(version="3.9.0") %}\npkg: py/{{ opt.version }}\nbuild:\n  options:\n    - pkg: zlib/1.2\n',
  'pkgs/zlib/zlib.spk.yaml': 'pkg: zlib/1.2.13\nsources:\n  - path: ./src\n    exclude: ["*.o"]\ntests:\n  - stage: install\n    script: [true]\n    requirements:\n      - pkg: py/3.10\n',
  'pkgs/tool/tool.spk.yaml': 'pkg: tool/1.0.0\nbuild:\n  options:\n    - pkg: py/~3.9.0\n    - pkg: missing-dep\n',
  'other/notselected.spk.yaml': 'pkg: loose/1.0.0\n',
};

describe('createNodes / createDependencies', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'nx-spk-plugin-'));
    for (const [f, text] of Object.entries(FILES)) {
      mkdirSync(join(root, f, '..'), { recursive: true });
      writeFileSync(join(root, f), text);
    }
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ctx = () => ({ nxJsonConfiguration: {}, workspaceRoot: root });
  const run = async (files: string[], options: object = { hostOptions: false }) => {
    const results = await plugin.createNodes[1](files, options, ctx());
    const projects: Record<string, any> = {};
    for (const [, r] of results) Object.assign(projects, r.projects ?? {});
    return projects;
  };

  test('spk-test depends on the spk-build of the projects its test stages require', async () => {
    const projects = await run(Object.keys(FILES));
    const zlib = Object.values(projects).find((p) => p.name === 'zlib@1.2.13');
    assert.deepEqual(zlib.targets['spk-test'].dependsOn, ['spk-build', { projects: ['py@3.10.0'], target: 'spk-build' }]);
  });

  test('one project per recipe-version with a virtual root, tags and explicit inputs', async () => {
    const projects = await run(Object.keys(FILES));
    const byName = Object.fromEntries(Object.values(projects).map((p) => [p.name, p]));
    assert.deepEqual(Object.keys(byName).sort(), ['py@3.10.0', 'py@3.9.0', 'tool@1.0.0', 'zlib@1.2.13']);
    const zlib = byName['zlib@1.2.13'];
    assert.equal(zlib.root, '.nx-spk/zlib/1.2.13');
    assert.deepEqual(zlib.tags, ['spk', 'spk:pkg:zlib', 'spk:kind:package']);
    const build = zlib.targets['spk-build'];
    assert.equal(build.executor, 'nx-spk:spk-build');
    assert.deepEqual(build.dependsOn, ['^spk-build']);
    assert.deepEqual(build.outputs, ['{workspaceRoot}/dist/spk/zlib/1.2.13']);
    for (const input of build.inputs) {
      if (typeof input === 'string') assert.match(input, /^!?\{workspaceRoot\}\//, 'no project file-sets on a virtual root');
      else assert.ok(!('fileset' in input) && !('input' in input), JSON.stringify(input));
    }
    assert.ok(build.inputs.includes('{workspaceRoot}/pkgs/zlib/zlib.spk.yaml'));
    assert.ok(build.inputs.includes('{workspaceRoot}/pkgs/zlib/src'), JSON.stringify(build.inputs));
    assert.ok(build.inputs.includes('!{workspaceRoot}/pkgs/zlib/src/**/*.o'), JSON.stringify(build.inputs));
    // spk's default excludes when a path source has none: .git/ and .svn/ at any depth
    const pyInputs = byName['py@3.9.0'].targets['spk-build'].inputs;
    assert.ok(pyInputs.includes('!{workspaceRoot}/pkgs/py/**/.git/**/*'), JSON.stringify(pyInputs));
    assert.equal(build.options.templated, false);
    assert.equal(byName['py@3.9.0'].targets['spk-build'].options.templated, true);
    assert.ok(zlib.targets['spk-test'], 'recipes with tests get a test target');
    assert.equal(byName['py@3.9.0'].targets['spk-test'], undefined);
    assert.ok(byName['py@3.9.0'].targets['spk-publish']);
  });

  test('the plugin cache is written to the workspace data directory', () => {
    assert.ok(readdirSync(dataDir).some((f) => f.startsWith('nx-spk-') && f.endsWith('.hash')));
  });

  test('target names come from options', async () => {
    const projects = await run(['workspace.spk.yaml', 'pkgs/zlib/zlib.spk.yaml'], { hostOptions: false, buildTargetName: 'build', publishTargetName: 'release' });
    const zlib = Object.values(projects)[0];
    assert.deepEqual(Object.keys(zlib.targets).sort(), ['build', 'release', 'spk-test']);
    assert.deepEqual(zlib.targets.build.dependsOn, ['^build']);
  });

  test('edges are implicit, validated, and never point outside the graph', async () => {
    const projects = await run(Object.keys(FILES));
    // Nx hands createDependencies the projects keyed by name.
    const byName = Object.fromEntries(Object.values(projects).map((p) => [p.name, p]));
    const deps = await plugin.createDependencies({ hostOptions: false }, {
      projects: byName,
      externalNodes: {},
      nxJsonConfiguration: {},
      workspaceRoot: root,
      fileMap: { projectFileMap: {}, nonProjectFiles: [] },
      filesToProcess: { projectFileMap: {}, nonProjectFiles: [] },
    } as any);
    const edges = deps.map((d) => `${d.source} -> ${d.target} ${d.type}`).sort();
    assert.deepEqual(edges, [
      'py@3.10.0 -> zlib@1.2.13 implicit',
      'py@3.9.0 -> zlib@1.2.13 implicit',
      'tool@1.0.0 -> py@3.9.0 implicit',
    ]);
  });

  test('an excluded dependency leaves an explained external, not a broken edge', async () => {
    const projects = await run(['workspace.spk.yaml', 'pkgs/tool/tool.spk.yaml']);
    const tool = Object.values(projects)[0];
    const py = tool.metadata.spk.published.find((r: any) => r.pkg === 'py');
    assert.equal(py.resolution, 'external');
    assert.deepEqual(tool.metadata.spk.buildEnv, []);
    assert.deepEqual(tool.metadata.spk.runtime, []);
    assert.equal(tool.metadata.spk.dependencies, undefined, 'edges are derived from buildEnv/runtime, not stored twice');
  });

  test('createNodesV2 is the same tuple', () => assert.equal(plugin.createNodesV2, plugin.createNodes));
});
