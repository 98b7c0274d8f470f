/**
 * e2e: a fresh Nx workspace with the packed tarball installed (no plugin registered yet):
 * `nx g nx-spk:init` registers the plugin and writes a starter workspace.spk.yaml, running it
 * again changes nothing, and `nx g nx-spk:recipe …` gives recipe-versions that
 * `nx show projects` lists.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createWorkspace, type TestWorkspace } from './helpers';

/** Every file of the workspace (outside node_modules/.nx/.git) → its content. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      if (['node_modules', '.nx', '.git'].includes(e.name)) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out[r] = fs.readFileSync(path.join(root, r), 'utf8');
    }
  };
  walk('');
  return out;
}

describe('e2e: generators in a fresh workspace', () => {
  let ws: TestWorkspace;
  before(async () => {
    ws = await createWorkspace({ nxJson: {} });
  });
  after(async () => ws?.cleanup());

  test('init registers the plugin and writes a starter workspace.spk.yaml; a second init changes nothing', async () => {
    await ws.runNx(['g', 'nx-spk:init', '--no-interactive']);
    const nxJson = JSON.parse(fs.readFileSync(path.join(ws.root, 'nx.json'), 'utf8'));
    const entry = (nxJson.plugins ?? []).find((p: unknown) => p === 'nx-spk' || (p as { plugin?: string }).plugin === 'nx-spk');
    assert.ok(entry, JSON.stringify(nxJson));
    assert.ok(fs.existsSync(path.join(ws.root, 'workspace.spk.yaml')));
    const first = snapshot(ws.root);
    await ws.runNx(['g', 'nx-spk:init', '--no-interactive']);
    assert.deepEqual(snapshot(ws.root), first);
  });

  test('recipe scaffolds a templated recipe whose versions become projects', async () => {
    await ws.runNx([
      'g',
      'nx-spk:recipe',
      'zlib',
      '--directory=packages',
      '--recipeVersion=1.3.1',
      '--versions=1.2.{11..12}',
      '--installRequires=stdfs',
      '--no-interactive',
    ]);
    await ws.runNx(['g', 'nx-spk:recipe', 'stdfs', '--directory=packages', '--recipeVersion=1.0.0', '--no-interactive']);
    const recipe = fs.readFileSync(path.join(ws.root, 'packages/zlib/zlib.spk.yaml'), 'utf8');
    assert.match(recipe, /default_opts\(version="1\.3\.1"\)/);
    assert.match(recipe, /pkg: zlib\/\{\{ opt\.version \}\}/);
    const r = await ws.runNx(['show', 'projects', '--json']);
    const projects = (JSON.parse(r.stdout) as string[]).sort();
    for (const p of ['zlib@1.2.11', 'zlib@1.2.12', 'zlib@1.3.1', 'stdfs@1.0.0']) assert.ok(projects.includes(p), `${p} in ${projects.join(' ')}`);
    const g = JSON.parse((await ws.exec(path.join(ws.root, 'node_modules', '.bin', 'nx-spk'), ['explain', 'zlib@1.3.1', '--json'])).stdout);
    const stdfs = g.requirements.find((q: { pkg: string }) => q.pkg === 'stdfs');
    assert.equal(stdfs.target, 'stdfs@1.0.0');
  });
});
