/**
 * Conformance: invariants that hold on ANY studio's spk tree (the paths given to
 * `npm run test:conformance -- <path>...`). Every recipe either loads or reports a clear problem
 * naming its file; the plugin never throws; project names are unique; every edge resolves to a
 * project of the graph; no project depends on itself.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fg from 'fast-glob';
import { loadWorkspace, WORKSPACE_FILE_NAME } from '../src/spk/workspace';
import { loadRecipeFile } from '../src/spk/recipe';
import { normalizeOptions } from '../src/plugin/options';
import { computeWorkspaceGraph } from '../src/plugin/workspace-graph';
import { HOST, NO_TREE, trees } from './trees';

const given = trees();

test('at least one tree is given', { skip: given.length === 0 && NO_TREE }, () => {
  for (const t of given) assert.ok(existsSync(t), `${t} does not exist`);
});

for (const tree of given) {
  describe(`tree ${tree}`, () => {
    const hasWorkspace = existsSync(join(tree, WORKSPACE_FILE_NAME));

    test('every recipe of the workspace loads or reports a problem naming its file', { skip: !hasWorkspace && `no ${WORKSPACE_FILE_NAME} at the root` }, () => {
      const ws = loadWorkspace(tree);
      for (const p of ws.problems) assert.ok(p.message.trim().length > 0);
      assert.ok(ws.entries.length > 0, 'the workspace lists no recipe');
      const silent: string[] = [];
      for (const e of ws.entries) {
        const r = loadRecipeFile(e.absPath, e.versions, { workspaceRoot: ws.root, hostOptions: HOST, env: {} });
        for (const p of r.problems) {
          assert.ok(p.message.trim().length > 0, `${e.file}: empty problem message`);
          assert.ok(p.file.length > 0, `${e.file}: problem names no file: ${p.message}`);
        }
        if (r.recipeVersions.length === 0 && r.problems.length === 0 && (r.notes ?? []).length === 0) silent.push(e.file);
      }
      assert.deepEqual(silent, [], 'recipes that yield neither a recipe-version nor a problem nor a note');
    });

    test('the plugin graph: unique project names, every edge resolves, no self edge', () => {
      const files = fg.sync('**/*.spk.yaml', { cwd: tree, ignore: ['**/node_modules/**'] }).sort();
      const g = computeWorkspaceGraph(files, normalizeOptions({ hostOptions: HOST }), tree, new Map(), {});
      const names: string[] = [];
      for (const projects of g.projectsByFile.values()) for (const p of Object.values(projects)) names.push(String(p.name));
      const dupes = names.filter((n, i) => names.indexOf(n) !== i);
      assert.deepEqual(dupes, [], 'project names are unique');
      assert.equal(names.length, g.metadata.size);
      for (const [name, meta] of g.metadata) {
        for (const d of meta.dependencies) {
          assert.ok(g.metadata.has(d), `${name} → ${d}: not a project`);
          assert.notEqual(d, name, `${name} depends on itself`);
        }
      }
    });
  });
}
