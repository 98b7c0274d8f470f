/**
 * e2e: the hand-written edge-case workspace (e2e/fixtures/edge-cases) under Nx 24 and Nx 23:
 * platforms with two bases and atBuild narrowing, embedded packages, pre-releases,
 * components, a duplicate name@version and a broken recipe.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace, readFixtureFiles, repoRoot, type TestWorkspace } from './helpers';

const fixture = join(repoRoot(), 'e2e', 'fixtures', 'edge-cases');


const EXPECTED_PROJECTS = [
  'app@1.0.0',
  'base-a@1.0.0',
  'base-b@1.0.0',
  'beta-consumer@1.0.0',
  // Fails to load (opt.typo), but its name and version are readable: a project whose build fails.
  'broken@1.0.0',
  'comp@1.0.0',
  'consumer@1.0.0',
  'dcc-platform@2025.1.0',
  'dcc@2024.1.0',
  'lib@1.0.0',
  'lib@2.0.0-beta.1',
  'python@3.11.0',
  'python@3.9.1',
  'python@3.9.2',
  'qt-user@1.0.0',
  'zlib@1.2.13',
];

for (const nxVersion of ['24.0.6', '23.3.2']) {
  describe(`e2e: edge cases on Nx ${nxVersion}`, () => {
    let ws: TestWorkspace;
    let graphOut = '';
    let deps: Record<string, Array<{ target: string; type: string }>> = {};
    before(async () => {
      ws = await createWorkspace({ files: readFixtureFiles(fixture), nxVersion, nxJson: { plugins: [{ plugin: 'nx-spk', options: { hostOptions: false } }] } });
      const r = await ws.runNx(['graph', '--file=graph.json']);
      graphOut = r.stdout + r.stderr;
      deps = JSON.parse(readFileSync(join(ws.root, 'graph.json'), 'utf8')).graph.dependencies;
    });
    after(async () => ws?.cleanup());
    const targets = (p: string) => (deps[p] ?? []).map((d) => d.target).sort();

    test('every recipe-version is a project (the broken one fails its build); the broken and the duplicate are reported', async () => {
      const r = await ws.runNx(['show', 'projects', '--json']);
      assert.deepEqual((JSON.parse(r.stdout) as string[]).sort(), EXPECTED_PROJECTS);
      const broken = JSON.parse((await ws.runNx(['show', 'project', 'broken@1.0.0', '--json'])).stdout);
      assert.ok(broken.tags.includes('spk:broken'));
      assert.equal(broken.targets['spk-build'].executor, 'nx-spk:recipe-error');
      assert.match(graphOut, /packages\/broken\/broken\.spk\.yaml:7 \(version 1\.0\.0\): Variable `opt\.typo` not found.* broken@1\.0\.0.s spk-build fails with this error/);
      assert.match(graphOut, /packages\/dup\/zlib-b\.spk\.yaml: zlib\/1\.2\.13 is also produced by packages\/dup\/zlib-a\.spk\.yaml/);
    });

    test('v1/platform: both bases are edges; the platform narrows python at build time', () => {
      assert.deepEqual(targets('dcc-platform@2025.1.0'), ['base-a@1.0.0', 'base-b@1.0.0']);
      assert.deepEqual(targets('app@1.0.0'), ['dcc-platform@2025.1.0', 'python@3.9.2']);
    });

    test('embedded packages are provided by their recipe', () => assert.deepEqual(targets('qt-user@1.0.0'), ['dcc@2024.1.0']));

    test('pre-releases only with prereleasePolicy: IncludeAll', () => {
      assert.deepEqual(targets('consumer@1.0.0'), ['lib@1.0.0']);
      assert.deepEqual(targets('beta-consumer@1.0.0'), ['lib@2.0.0-beta.1']);
    });

    test('requests with components resolve like any other', () => assert.deepEqual(targets('comp@1.0.0'), ['lib@1.0.0', 'python@3.9.2']));

    test('platform tags and explanations are on the projects', async () => {
      const p = JSON.parse((await ws.runNx(['show', 'project', 'dcc-platform@2025.1.0', '--json'])).stdout);
      assert.ok(p.tags.includes('spk:kind:platform'));
      const explained = JSON.parse((await ws.exec(join(ws.root, 'node_modules', '.bin', 'nx-spk'), ['explain', 'dcc-platform@2025.1.0', '--json'])).stdout);
      const removal = explained.requirements.find((r: { request: string }) => r.request === 'python (atRuntime: false)');
      assert.match(removal.reason, /removes the constraint/);
    });
  });
}
