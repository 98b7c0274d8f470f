/**
 * e2e: `nx-spk explain` from the packed plugin, in a fresh Nx workspace holding examples/studio
 * (with the plugin options of this repository's nx.json). The explanations equal what the
 * plugin stored in `metadata.spk.requirements` before the project configurations were slimmed
 * (test-support/data/studio-explanations.json), for every project (`plan --explain --json`
 * explains all of them in one run) and for single projects (`explain <p> --json`).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace, readFixtureFiles, repoRoot, type TestWorkspace } from './helpers';

const studio = join(repoRoot(), 'examples', 'studio');
const before_: Record<string, unknown[]> = JSON.parse(readFileSync(join(repoRoot(), 'test-support', 'data', 'studio-explanations.json'), 'utf8'));
const HOST = { os: 'linux', arch: 'x86_64', distro: 'rocky', rocky: '9.3' };

const SINGLE = [
  { name: 'a package with build, runtime and fromBuildEnv requirements', project: 'python@3.10.11' },
  { name: 'a platform with a base and an atBuild removal', project: 'render-platform@2025.1.0' },
  { name: 'a recursive build request (gcc/<=9.3.0)', project: 'gcc@9.3.0' },
];

describe('e2e: nx-spk explain on examples/studio', () => {
  let ws: TestWorkspace;
  let bin: string;
  before(async () => {
    const files = Object.fromEntries(Object.entries(readFixtureFiles(studio)).map(([p, c]) => [`examples/studio/${p}`, c]));
    ws = await createWorkspace({ files, nxJson: { plugins: [{ plugin: 'nx-spk', include: ['examples/studio/**'], options: { hostOptions: HOST } }] } });
    bin = join(ws.root, 'node_modules', '.bin', 'nx-spk');
  });
  after(async () => ws?.cleanup());

  test('plan --explain --json: every project explained exactly as its metadata was before', async () => {
    const r = await ws.exec(bin, ['plan', '--json', '--explain', '--spk-bin', join(ws.root, 'no-spk-here')]);
    const explanations = JSON.parse(r.stdout).explanations as Record<string, unknown[]>;
    assert.deepEqual(Object.keys(explanations).sort(), Object.keys(before_).sort());
    for (const [project, reqs] of Object.entries(before_)) assert.deepEqual(explanations[project], reqs, project);
  });

  for (const c of SINGLE) {
    test(`explain ${c.project} --json (${c.name})`, async () => {
      const r = await ws.exec(bin, ['explain', c.project, '--json']);
      const e = JSON.parse(r.stdout);
      assert.equal(e.project, c.project);
      assert.equal(e.spkWorkspace, 'examples/studio');
      assert.deepEqual(e.requirements, before_[c.project]);
    });
  }

  test('the project configuration carries no explanations', async () => {
    const p = JSON.parse((await ws.runNx(['show', 'project', 'python@3.10.11', '--json'])).stdout);
    assert.equal(p.metadata.spk.requirements, undefined);
    assert.deepEqual(p.metadata.spk.buildEnv.sort(), ['gcc@9.3.0', 'stdfs@1.1.0', 'zlib@1.2.13']);
  });
});
