import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNxJson, updateNxJson, type ProjectGraph, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { FsTree } from 'nx/src/generators/tree';
import { createNodes } from '../../src/plugin/create-nodes';
import {
  initGeneratorInternal,
  STARTER_WORKSPACE_TEXT,
  TARGET_NAME_CHOICES,
  WORKSPACE_FILE_NAME,
  type InitDependencies,
} from './generator';

const EMPTY_GRAPH: ProjectGraph = { nodes: {}, dependencies: {} };
const deps = (graph: ProjectGraph = EMPTY_GRAPH): InitDependencies => ({
  createNodes,
  loadProjectGraph: async () => graph,
});

/** Every file of the tree with its content (to prove a second run changes nothing). */
function snapshot(tree: Tree): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const child of tree.children(dir)) {
      const p = dir === '' ? child : `${dir}/${child}`;
      if (tree.isFile(p)) out.set(p, tree.read(p, 'utf-8')!);
      else walk(p);
    }
  };
  walk('');
  return out;
}

function spkPlugins(tree: Tree) {
  return (readNxJson(tree)?.plugins ?? []).filter((p) => (typeof p === 'string' ? p : p.plugin) === 'nx-spk');
}

describe('init generator', () => {
  test('registers the plugin in nx.json with the default target names', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await initGeneratorInternal(tree, { skipFormat: true }, deps());
    assert.deepEqual(spkPlugins(tree), [
      {
        plugin: 'nx-spk',
        options: { buildTargetName: 'spk-build', testTargetName: 'spk-test', publishTargetName: 'spk-publish' },
      },
    ]);
  });

  test('creates the starter workspace.spk.yaml when the root has none', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await initGeneratorInternal(tree, { skipFormat: true }, deps());
    const text = tree.read(WORKSPACE_FILE_NAME, 'utf-8')!;
    assert.equal(text, STARTER_WORKSPACE_TEXT);
    assert.match(text, /^api: v0\/workspace$/m);
    assert.match(text, /^recipes:\n(?:\s*#.*\n)*  - packages\/\*\*\/\*\.spk\.yaml$/m);
  });

  test('does not overwrite an existing workspace.spk.yaml', async () => {
    const tree = createTreeWithEmptyWorkspace();
    const mine = 'api: v0/workspace\nrecipes:\n  # mine\n  - recipes/*.spk.yaml\n';
    tree.write(WORKSPACE_FILE_NAME, mine);
    await initGeneratorInternal(tree, { skipFormat: true }, deps());
    assert.equal(tree.read(WORKSPACE_FILE_NAME, 'utf-8'), mine);
    assert.equal(spkPlugins(tree).length, 1);
  });

  test('running twice changes nothing (every file compared)', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await initGeneratorInternal(tree, {}, deps());
    const first = snapshot(tree);
    assert.ok(first.has('nx.json') && first.has(WORKSPACE_FILE_NAME));
    await initGeneratorInternal(tree, {}, deps());
    assert.deepEqual(snapshot(tree), first);
  });

  for (const listed of [
    'nx-spk',
    { plugin: 'nx-spk', options: { buildTargetName: 'mine' } },
    { plugin: 'nx-spk', include: ['recipes/**/*'] },
  ]) {
    test(`leaves nx.json as is when the plugin is already listed: ${JSON.stringify(listed)}`, async () => {
      const tree = createTreeWithEmptyWorkspace();
      const nxJson = readNxJson(tree)!;
      updateNxJson(tree, { ...nxJson, plugins: [listed] });
      const before = tree.read('nx.json', 'utf-8');
      await initGeneratorInternal(tree, { skipFormat: true }, deps());
      assert.equal(tree.read('nx.json', 'utf-8'), before);
    });
  }

  test('accepts the options nx add passes', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await initGeneratorInternal(tree, { keepExistingVersions: true, updatePackageScripts: true, skipFormat: true }, deps());
    assert.equal(spkPlugins(tree).length, 1);
  });

  test('every target-name choice list starts with the plugin default and has distinct names', () => {
    assert.deepEqual(
      Object.values(TARGET_NAME_CHOICES).map((l) => l[0]),
      ['spk-build', 'spk-test', 'spk-publish'],
    );
    const all = Object.values(TARGET_NAME_CHOICES).flat();
    assert.equal(new Set(all).size, all.length);
  });
});

describe('init generator target-name clash detection (real plugin on a real directory)', () => {
  // addPlugin runs the plugin over the files on disk (tree.root), so this needs an FsTree.
  test('picks spk:build when the inferred project already has a spk-build target', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nx-spk-init-'));
    try {
      writeFileSync(join(dir, 'nx.json'), '{}\n');
      writeFileSync(join(dir, 'package.json'), '{"name":"ws"}\n');
      writeFileSync(join(dir, WORKSPACE_FILE_NAME), 'api: v0/workspace\nrecipes:\n  - packages/**/*.spk.yaml\n');
      mkdirSync(join(dir, 'packages', 'zlib'), { recursive: true });
      writeFileSync(
        join(dir, 'packages', 'zlib', 'zlib.spk.yaml'),
        'pkg: zlib/1.2.13\napi: v0/package\nbuild:\n  script:\n    - echo hi\n',
      );
      const tree = new FsTree(dir, false);
      // The plugin's project roots are virtual (.nx-spk/<name>/<version>): ask the plugin where
      // it puts them, then pretend a project at that root already has a `spk-build` target.
      const roots = await inferredRoots(dir);
      assert.ok(roots.length > 0, 'the plugin inferred a project for packages/zlib/zlib.spk.yaml');
      const graph: ProjectGraph = {
        nodes: Object.fromEntries(
          roots.map((root, i) => [
            `p${i}`,
            { name: `p${i}`, type: 'lib', data: { root, targets: { 'spk-build': { command: 'echo' } } } },
          ]),
        ),
        dependencies: {},
      };
      await initGeneratorInternal(tree, { skipFormat: true }, deps(graph));
      assert.deepEqual(spkPlugins(tree), [
        {
          plugin: 'nx-spk',
          options: { buildTargetName: 'spk:build', testTargetName: 'spk-test', publishTargetName: 'spk-publish' },
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function inferredRoots(dir: string): Promise<string[]> {
  const results = await createNodes[1](['packages/zlib/zlib.spk.yaml'], { hostOptions: false }, {
    workspaceRoot: dir,
    nxJsonConfiguration: {},
  } as never);
  return results.flatMap(([, r]) => Object.keys(r.projects ?? {}));
}
