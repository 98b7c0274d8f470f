/**
 * e2e: `nx-spk plan` from the packed plugin, in a fresh Nx workspace holding a small hand-written
 * spk workspace, with the spk test double's repositories partly filled.
 *
 * The fixture (8 recipe-versions):
 *   chain:    zlib/1.2.13 ← openssl/3.0.0 ← curl/8.0.0
 *   diamond:  base/1.0.0 ← left/1.0.0, right/1.0.0 ← top/1.0.0 (top also needs curl)
 *   alone:    tool/1.0.0
 *   externals: zlib and openssl need gcc/9, curl needs cmake/3 (not in the workspace)
 * Each recipe has its own directory: a recipe's default `sources` is its directory, so recipes
 * sharing one directory would all be inputs of each other (and all affected by any change).
 * Repositories: origin has zlib/1.2.13, base/1.0.0 and gcc/9.3.0; local has openssl/3.0.0.
 * So: published = zlib, base; local = openssl; to build = openssl, curl, left, right, top, tool.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createWorkspace, readDoubleLog, seedSpkPackage, spkDoubleEnv, type TestWorkspace } from './helpers';

const HOST = { os: 'linux', arch: 'x86_64', distro: 'rocky', rocky: '9.3' };

function recipe(pkg: string, buildDeps: string[] = []): string {
  const options = buildDeps.length > 0 ? `  options:\n${buildDeps.map((d) => `    - pkg: ${d}\n`).join('')}` : '';
  return `pkg: ${pkg}\nbuild:\n${options}  script:\n    - echo building ${pkg}\n`;
}

const FILES: Record<string, string> = {
  'workspace.spk.yaml': 'api: v0/workspace\nrecipes:\n  - recipes/*/*.spk.yaml\n',
  'recipes/zlib/zlib.spk.yaml': recipe('zlib/1.2.13', ['gcc/9']),
  'recipes/openssl/openssl.spk.yaml': recipe('openssl/3.0.0', ['zlib/1.2.13', 'gcc/9']),
  'recipes/curl/curl.spk.yaml': recipe('curl/8.0.0', ['openssl/3.0.0', 'cmake/3']),
  'recipes/base/base.spk.yaml': recipe('base/1.0.0'),
  'recipes/left/left.spk.yaml': recipe('left/1.0.0', ['base/1.0.0']),
  'recipes/right/right.spk.yaml': recipe('right/1.0.0', ['base/1.0.0']),
  'recipes/top/top.spk.yaml': recipe('top/1.0.0', ['left/1.0.0', 'right/1.0.0', 'curl/8.0.0']),
  'recipes/tool/tool.spk.yaml': recipe('tool/1.0.0'),
};

interface PlanJson {
  schemaVersion: number;
  spk: { available: boolean; version: string | null };
  projects: Array<{ name: string; package: string; version: string; recipe: string; status: string; wave: number | null; reasons: Array<{ kind: string; of?: string }>; dependencies: string[] }>;
  waves: string[][];
  cyclicWave: number | null;
  externals: Array<{ request: string; visible: boolean | null; neededBy: string[]; satisfiedBy: string[] }>;
  problems: Array<{ kind: string; message: string }>;
}

describe('e2e: nx-spk plan', () => {
  let ws: TestWorkspace;
  let machine: string;
  let spkEnv: Record<string, string>;
  let bin: string;

  before(async () => {
    ws = await createWorkspace({
      files: FILES,
      nxJson: { plugins: [{ plugin: 'nx-spk', options: { hostOptions: HOST } }] },
      git: true,
    });
    machine = mkdtempSync(path.join(tmpdir(), 'nx-spk-plan-machine-'));
    spkEnv = spkDoubleEnv(machine);
    seedSpkPackage(path.join(machine, 'origin'), { name: 'zlib', version: '1.2.13' });
    seedSpkPackage(path.join(machine, 'origin'), { name: 'base', version: '1.0.0' });
    seedSpkPackage(path.join(machine, 'origin'), { name: 'gcc', version: '9.3.0' });
    seedSpkPackage(path.join(machine, 'local'), { name: 'openssl', version: '3.0.0' });
    bin = path.join(ws.root, 'node_modules', '.bin', 'nx-spk');
  });
  after(async () => {
    await ws?.cleanup();
    if (machine) rmSync(machine, { recursive: true, force: true });
  });

  async function plan(args: string[], env: Record<string, string | undefined> = spkEnv) {
    const r = await ws.exec(bin, ['plan', ...args], { env, allowFailure: true });
    return r;
  }

  async function planJson(args: string[], env?: Record<string, string | undefined>): Promise<PlanJson> {
    const r = await plan(['--json', ...args], env);
    assert.equal(r.code, 0, `exit ${r.code}\n${r.stderr}`);
    return JSON.parse(r.stdout) as PlanJson;
  }

  test('the bin is installed with the package', () => {
    assert.ok(existsSync(bin), bin);
  });

  test('plan --json: exactly the missing recipe-versions in waves, published ones marked', async () => {
    const p = await planJson([]);
    assert.equal(p.schemaVersion, 1);
    assert.equal(p.spk.available, true);
    assert.deepEqual(p.waves, [['left@1.0.0', 'openssl@3.0.0', 'right@1.0.0', 'tool@1.0.0'], ['curl@8.0.0'], ['top@1.0.0']]);
    assert.deepEqual(
      Object.fromEntries(p.projects.map((x) => [x.name, [x.status, x.wave]])),
      {
        'left@1.0.0': ['build', 1],
        'openssl@3.0.0': ['local', 1],
        'right@1.0.0': ['build', 1],
        'tool@1.0.0': ['build', 1],
        'curl@8.0.0': ['build', 2],
        'top@1.0.0': ['build', 3],
        'base@1.0.0': ['published', null],
        'zlib@1.2.13': ['published', null],
      },
    );
    // waves consistent with the graph: every dependency to build is in an earlier wave
    const waveOf = new Map(p.projects.map((x) => [x.name, x.wave]));
    for (const x of p.projects) {
      for (const d of x.dependencies) {
        if (waveOf.get(d) !== null && x.wave !== null) assert.ok(waveOf.get(d)! < x.wave, `${d} before ${x.name}`);
      }
    }
    assert.deepEqual(p.projects.find((x) => x.name === 'top@1.0.0')!.dependencies, ['curl@8.0.0', 'left@1.0.0', 'right@1.0.0']);
    // externals of what is built: gcc/9 (visible in origin), cmake/3 (nowhere)
    const ext = Object.fromEntries(p.externals.map((e) => [e.request, e]));
    assert.equal(ext['gcc/9'].visible, true);
    assert.deepEqual(ext['gcc/9'].neededBy, ['openssl@3.0.0']);
    assert.equal(ext['cmake/3'].visible, false);
    assert.deepEqual(p.problems, []);
  });

  test('status queries are batched: one origin and one local `spk ls` per package name', async () => {
    const log = path.join(machine, 'batch.log');
    await planJson([], { ...spkEnv, SPK_DOUBLE_LOG: log });
    const ls = readDoubleLog(log).filter((e) => e.argv[0] === 'ls');
    const names = ls.map((e) => e.argv[e.argv.length - 1]);
    for (const n of ['zlib', 'openssl', 'curl', 'base', 'left', 'right', 'top', 'tool', 'gcc', 'cmake']) {
      assert.equal(names.filter((x) => x === n).length, 2, `${n}: ${JSON.stringify(ls.map((e) => e.argv))}`);
    }
    assert.equal(ls.length, 20);
    assert.ok(ls.every((e) => e.exit === 0));
  });

  test('--up-to: the project and its dependencies', async () => {
    const p = await planJson(['--up-to', 'curl@8.0.0']);
    assert.deepEqual(p.waves, [['openssl@3.0.0'], ['curl@8.0.0']]);
    assert.deepEqual(p.projects.map((x) => [x.name, x.status, x.reasons]), [
      ['openssl@3.0.0', 'local', [{ kind: 'dependency', of: 'curl@8.0.0' }]],
      ['curl@8.0.0', 'build', [{ kind: 'selected' }]],
      ['zlib@1.2.13', 'published', [{ kind: 'dependency', of: 'curl@8.0.0' }]],
    ]);
  });

  test('--dependents-of: the project and everything depending on it (plus what they need)', async () => {
    const p = await planJson(['--dependents-of', 'base@1.0.0']);
    const reasons = Object.fromEntries(p.projects.map((x) => [x.name, x.reasons.map((r) => (r.of ? `${r.kind} ${r.of}` : r.kind))]));
    assert.deepEqual(reasons['base@1.0.0'], ['selected']);
    assert.deepEqual(reasons['left@1.0.0'], ['dependent base@1.0.0']);
    assert.deepEqual(reasons['right@1.0.0'], ['dependent base@1.0.0']);
    assert.deepEqual(reasons['top@1.0.0'], ['dependent base@1.0.0']);
    assert.deepEqual(reasons['curl@8.0.0'], ['dependency top@1.0.0']);
    assert.equal(reasons['tool@1.0.0'], undefined);
    assert.deepEqual(p.waves, [['left@1.0.0', 'openssl@3.0.0', 'right@1.0.0'], ['curl@8.0.0'], ['top@1.0.0']]);
  });

  test('--projects with an unknown pattern: reported, the rest planned, exit 0; only unknown: exit 1', async () => {
    const r = await plan(['--json', '--projects', 'ghost@1,tool@1.0.0']);
    assert.equal(r.code, 0, r.stderr);
    const p = JSON.parse(r.stdout) as PlanJson;
    assert.deepEqual(p.waves, [['tool@1.0.0']]);
    assert.equal(p.problems[0].kind, 'unknown-pattern');
    assert.match(r.stderr, /'ghost@1' matches no project/);
    const bad = await plan(['--up-to', 'ghost@1']);
    assert.equal(bad.code, 1);
  });

  test('--format mermaid: stable, grouped by recipe, published greyed', async () => {
    const a = await plan(['--format', 'mermaid', '--up-to', 'curl@8.0.0']);
    const b = await plan(['--format', 'mermaid', '--up-to', 'curl@8.0.0']);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout, b.stdout);
    assert.equal(
      a.stdout,
      [
        'flowchart LR',
        '  subgraph r_recipes_2f_curl_2f_curl_2e_spk_2e_yaml["recipes/curl/curl.spk.yaml"]',
        '    p_curl_40_8_2e_0_2e_0["curl@8.0.0<br/>wave 2: build"]',
        '  end',
        '  subgraph r_recipes_2f_openssl_2f_openssl_2e_spk_2e_yaml["recipes/openssl/openssl.spk.yaml"]',
        '    p_openssl_40_3_2e_0_2e_0["openssl@3.0.0<br/>wave 1: local"]',
        '  end',
        '  subgraph r_recipes_2f_zlib_2f_zlib_2e_spk_2e_yaml["recipes/zlib/zlib.spk.yaml"]',
        '    p_zlib_40_1_2e_2_2e_13["zlib@1.2.13<br/>published"]',
        '  end',
        '  p_openssl_40_3_2e_0_2e_0 --> p_curl_40_8_2e_0_2e_0',
        '  p_zlib_40_1_2e_2_2e_13 --> p_openssl_40_3_2e_0_2e_0',
        '  classDef published fill:#ddd,color:#888',
        '  classDef error fill:#fdd,stroke:#c00',
        '  classDef cycle stroke:#c00,stroke-width:3px',
        '  class p_zlib_40_1_2e_2_2e_13 published',
        '',
      ].join('\n'),
    );
  });

  test('without spk on PATH: waves with status unknown, exit 0', async () => {
    const nodeDir = path.dirname(process.execPath);
    const pathDirs = [nodeDir, '/usr/bin', '/bin'];
    if (pathDirs.some((d) => existsSync(path.join(d, 'spk')))) return; // a real spk is installed there
    const env = { PATH: pathDirs.join(path.delimiter), SPK_BIN: undefined, SPK_DOUBLE_REPO: undefined };
    const r = await plan([], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /spk not available: statuses unknown/);
    assert.match(r.stderr, /spk binary not found/);
    const j = await planJson([], env);
    assert.equal(j.spk.available, false);
    assert.ok(j.projects.every((x) => x.status === 'unknown'));
    assert.deepEqual(j.waves, [
      ['base@1.0.0', 'tool@1.0.0', 'zlib@1.2.13'],
      ['left@1.0.0', 'openssl@3.0.0', 'right@1.0.0'],
      ['curl@8.0.0'],
      ['top@1.0.0'],
    ]);
  });

  // Last: it changes a recipe in the working tree.
  test('--affected: a changed recipe, its dependents and what they need', async () => {
    const byFiles = await planJson(['--affected', '--files', 'recipes/left/left.spk.yaml']);
    const check = (p: PlanJson) => {
      const reasons = Object.fromEntries(p.projects.map((x) => [x.name, x.reasons.map((r) => r.kind)]));
      assert.deepEqual(reasons['left@1.0.0'], ['affected']);
      assert.deepEqual(reasons['top@1.0.0'], ['affected']);
      assert.deepEqual(reasons['right@1.0.0'], ['dependency']);
      assert.equal(reasons['tool@1.0.0'], undefined);
      assert.deepEqual(reasons['zlib@1.2.13'], ['dependency']);
      assert.deepEqual(p.waves, [['left@1.0.0', 'openssl@3.0.0', 'right@1.0.0'], ['curl@8.0.0'], ['top@1.0.0']]);
    };
    check(byFiles);
    ws.writeFiles({ 'recipes/left/left.spk.yaml': `${FILES['recipes/left/left.spk.yaml']}# changed\n` });
    const byGit = await planJson(['--affected', '--base', 'HEAD']);
    check(byGit);
    const nothing = await planJson(['--affected', '--files', 'README.md']);
    assert.deepEqual(nothing.projects, []);
  });
});
