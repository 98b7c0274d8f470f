/**
 * Explanations on demand: for every examples/studio project, `nx-spk explain` shows exactly
 * what `metadata.spk.requirements` held before the project configurations were slimmed
 * (test-support/data/studio-explanations.json, computed by the plugin at 37e17b9).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fg from 'fast-glob';
import type { ResolvedRequirement } from '../graph/model';
import { explainWorkspace, formatExplanation, nxSpkPluginEntries, recipeFilesOfGraph, type NxSpkPluginEntry } from './explain';
import { normalizeOptions } from './options';
import { computeWorkspaceGraph } from './workspace-graph';
import { repoRoot } from '../../test-support/testing/repo-root';

const root = repoRoot();
const before: Record<string, ResolvedRequirement[]> = JSON.parse(readFileSync(join(root, 'test-support/data/studio-explanations.json'), 'utf8'));
const nxJson = JSON.parse(readFileSync(join(root, 'nx.json'), 'utf8'));
const files = fg.sync('examples/studio/**/*.spk.yaml', { cwd: root }).sort();
const explained = explainWorkspace({ root, entries: nxSpkPluginEntries(nxJson), recipeFiles: files, env: {} });

describe('nx-spk explain on examples/studio equals the metadata explanations before slimming', () => {
  test('the same projects', () => assert.deepEqual([...explained.keys()].sort(), Object.keys(before).sort()));
  for (const [project, requirements] of Object.entries(before)) {
    test(project, () => assert.deepEqual(explained.get(project)?.requirements, requirements));
  }
});

describe('slim project configurations', () => {
  const g = computeWorkspaceGraph(files, normalizeOptions({ hostOptions: false }), root, new Map(), {});
  for (const [project, meta] of g.metadata) {
    test(`${project}: no explanations in metadata.spk; the compact facts agree with them`, () => {
      assert.equal('requirements' in meta, false);
      const reqs = before[project];
      const targets = (keep: (r: ResolvedRequirement) => boolean) => [...new Set(reqs.filter((r) => r.target !== undefined && keep(r)).map((r) => r.target!))];
      assert.deepEqual(meta.buildEnv, targets((r) => r.resolution === 'project' && (r.role === 'build' || r.role === 'platform-base')));
      assert.deepEqual(meta.runtime, targets((r) => r.resolution === 'project' && r.role === 'runtime'));
      assert.deepEqual(
        meta.published,
        reqs.filter((r) => ['external', 'self', 'cycle-broken'].includes(r.resolution)).map(({ role, request, pkg, resolution }) => ({ role, request, pkg, resolution })),
      );
    });
  }
});

const ENTRY_CASES: Array<{ name: string; plugins: unknown[]; want: NxSpkPluginEntry[] }> = [
  { name: 'a plain string entry', plugins: ['nx-spk'], want: [{}] },
  {
    name: 'an object entry keeps options, include and exclude',
    plugins: [{ plugin: 'nx-spk', options: { strictCycles: true }, include: ['a/**'], exclude: ['a/b/**'] }],
    want: [{ options: { strictCycles: true }, include: ['a/**'], exclude: ['a/b/**'] }],
  },
  { name: 'other plugins are ignored', plugins: ['@nx/js', { plugin: '@nx/vite/plugin' }], want: [] },
];
describe('nxSpkPluginEntries', () => {
  for (const c of ENTRY_CASES) test(c.name, () => assert.deepEqual(nxSpkPluginEntries({ plugins: c.plugins }), c.want));
});

test('recipeFilesOfGraph: recipe files of spk projects and broken-recipe placeholders, once each', () => {
  const nodes = {
    'a@1': { data: { metadata: { spk: { recipe: 'r/a.spk.yaml' } } } },
    'a@2': { data: { metadata: { spk: { recipe: 'r/a.spk.yaml' } } } },
    'broken-recipe/r/b.spk.yaml': { data: { metadata: { spkBrokenRecipe: { recipe: 'r/b.spk.yaml' } } } },
    other: { data: {} },
  };
  assert.deepEqual(recipeFilesOfGraph(nodes), ['r/a.spk.yaml', 'r/b.spk.yaml']);
});

test('an include that selects no recipe explains nothing', () => {
  const none = explainWorkspace({ root, entries: [{ include: ['nowhere/**'] }], recipeFiles: files, env: {} });
  assert.equal(none.size, 0);
});

test('the text form names each requirement, its resolution and its reason', () => {
  const text = formatExplanation(explained.get('python@3.10.11')!);
  assert.match(text, /^python@3\.10\.11 \(examples\/studio\/packages\/python\/python\.spk\.yaml, spk workspace examples\/studio\)/);
  assert.match(text, /build gcc\/9\.3 \[build\.options, variants 0\]: project → gcc@9\.3\.0\n {6}highest workspace version/);
});
