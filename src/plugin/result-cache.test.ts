/**
 * Warm graphs: a spk workspace whose inputs are unchanged is served from the result cache
 * (no rendering, no resolution) and gives the same projects; any input change recomputes it.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fg from 'fast-glob';
import { normalizeOptions } from './options';
import { WorkspaceResultFile } from './result-cache';
import type { CachedRecipeFile } from './recipe-record';
import { computeWorkspaceGraph, type CachedWorkspaceResult, type RecipeCache, type WorkspaceResultCache } from './workspace-graph';
import { repoRoot } from '../../test-support/testing/repo-root';

const dir = mkdtempSync(join(tmpdir(), 'nx-spk-result-cache-'));
cpSync(join(repoRoot(), 'examples', 'studio'), join(dir, 'studio'), { recursive: true });
const files = () => fg.sync('studio/**/*.spk.yaml', { cwd: dir }).sort();

/** A recipe cache that counts how often it is asked. */
function countingCache(): RecipeCache & { gets: number } {
  const m = new Map<string, CachedRecipeFile>();
  const c = { gets: 0, get: (k: string) => (c.gets++, m.get(k)), set: (k: string, v: CachedRecipeFile) => void m.set(k, v) };
  return c;
}
function memoryResults(): WorkspaceResultCache & { sets: number } {
  const m = new Map<string, CachedWorkspaceResult>();
  const c = { sets: 0, get: (k: string) => m.get(k), set: (k: string, v: CachedWorkspaceResult) => (c.sets++, void m.set(k, v)) };
  return c;
}
/** The result as JSON, maps sorted by key (their order is not part of the contract). */
const plain = (g: ReturnType<typeof computeWorkspaceGraph>) => {
  const sorted = <V>(m: Map<string, V>) => [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return JSON.parse(JSON.stringify({ p: sorted(g.projectsByFile), m: sorted(g.metadata) }));
};

describe('the workspace result cache', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));
  const opts = normalizeOptions({ hostOptions: false });
  const recipes = countingCache();
  const results = memoryResults();
  const cold = computeWorkspaceGraph(files(), opts, dir, recipes, {}, results);

  test('source excludes of a nested spk workspace stay gitignore patterns under the source path', () => {
    const zlib = Object.values(cold.projectsByFile.get('studio/packages/zlib/zlib.spk.yaml')!)[0];
    const inputs = zlib.targets!['spk-build'].inputs!.filter((i): i is string => typeof i === 'string');
    // spk's default excludes (.git/, .svn/) match at any depth below the source path.
    assert.deepEqual(inputs, [
      '{workspaceRoot}/studio/packages/zlib',
      '!{workspaceRoot}/studio/packages/zlib/**/.git/**/*',
      '!{workspaceRoot}/studio/packages/zlib/**/.svn/**/*',
    ]);
  });

  test('warm: the same projects and metadata, no recipe rendered or even looked up', () => {
    const before = recipes.gets;
    const warm = computeWorkspaceGraph(files(), opts, dir, recipes, {}, results);
    assert.equal(recipes.gets, before);
    assert.deepEqual(plain(warm), plain(cold));
  });

  const CHANGES: Array<{ name: string; run: () => ReturnType<typeof computeWorkspaceGraph> }> = [
    { name: 'another option', run: () => computeWorkspaceGraph(files(), normalizeOptions({ hostOptions: false, strictCycles: false, options: { x: '1' } }), dir, recipes, {}, results) },
    { name: 'another $SPK_BIN (shown in the targets)', run: () => computeWorkspaceGraph(files(), opts, dir, recipes, { SPK_BIN: '/opt/spk' }, results) },
    {
      name: 'an edited recipe',
      run: () => {
        const f = join(dir, 'studio/packages/zlib/zlib.spk.yaml');
        writeFileSync(f, `${readFileSync(f, 'utf8')}\n# edited\n`);
        return computeWorkspaceGraph(files(), opts, dir, recipes, {}, results);
      },
    },
    {
      name: 'another version list in the workspace file',
      run: () => {
        const f = join(dir, 'studio/workspace.spk.yaml');
        writeFileSync(f, readFileSync(f, 'utf8').replace("'3.10.{10..11}'", "'3.10.{10..12}'"));
        return computeWorkspaceGraph(files(), opts, dir, recipes, {}, results);
      },
    },
  ];
  test('a comment in the workspace file selects the same recipe-versions: still served from the cache', () => {
    const f = join(dir, 'studio/workspace.spk.yaml');
    computeWorkspaceGraph(files(), opts, dir, recipes, {}, results);
    writeFileSync(f, `${readFileSync(f, 'utf8')}\n# a comment\n`);
    const sets = results.sets;
    computeWorkspaceGraph(files(), opts, dir, recipes, {}, results);
    assert.equal(results.sets, sets);
  });
  for (const c of CHANGES) {
    test(`recomputed after ${c.name}`, () => {
      const sets = results.sets;
      const g = c.run();
      assert.equal(results.sets, sets + 1);
      assert.ok(g.explanations.size > 0, 'resolved again');
    });
  }
});

test('WorkspaceResultFile: written only when changed, read back, ignored with NX_CACHE_PROJECT_GRAPH=false', () => {
  const d = mkdtempSync(join(tmpdir(), 'nx-spk-result-file-'));
  try {
    const path = join(d, 'sub', 'nx-spk-x.graph.json');
    const entry: CachedWorkspaceResult = { key: 'k', reports: [['warning', 'w']], projects: [] };
    const a = new WorkspaceResultFile(path, {});
    a.flush();
    assert.throws(() => readFileSync(path));
    a.set('.', entry);
    a.flush();
    assert.deepEqual(new WorkspaceResultFile(path, {}).get('.'), entry);
    assert.equal(new WorkspaceResultFile(path, { NX_CACHE_PROJECT_GRAPH: 'false' }).get('.'), undefined);
    writeFileSync(path, '{not json');
    assert.equal(new WorkspaceResultFile(path, {}).get('.'), undefined);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('a real directory at a virtual root moves that project to <root>~spk (and the workspace is never served from the cache)', () => {
  const d = mkdtempSync(join(tmpdir(), 'nx-spk-virtual-root-'));
  try {
    cpSync(join(repoRoot(), 'examples', 'studio'), join(d, 'studio'), { recursive: true });
    mkdirSync(join(d, 'studio', '.nx-spk', 'zlib', '1.2.13'), { recursive: true });
    const fs = fg.sync('studio/**/*.spk.yaml', { cwd: d }).sort();
    const results = memoryResults();
    const g = computeWorkspaceGraph(fs, normalizeOptions({ hostOptions: false }), d, countingCache(), {}, results);
    const roots = Object.keys(g.projectsByFile.get('studio/packages/zlib/zlib.spk.yaml')!);
    assert.deepEqual(roots, ['studio/.nx-spk/zlib/1.2.13~spk']);
    // Every other project keeps its plain virtual root.
    const python = Object.keys(g.projectsByFile.get('studio/packages/python/python.spk.yaml')!);
    assert.ok(python.length > 0 && python.every((r) => !r.endsWith('~spk')), python.join(', '));
    assert.equal(results.sets, 0, 'a workspace with a .nx-spk directory is not cached');
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
