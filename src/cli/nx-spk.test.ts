import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findMatchingProjects } from '@nx/devkit/internal';
import { sampleGraph } from '../plan/fixture.test';
import type { PlanIo } from '../plan/run';
import type { ProjectGraphLike } from '../plan/project-graph';
import type { ResolvedRequirement } from '../graph/model';
import type { Explanation } from '../plugin/explain';
import { parsePlanArgs, runCli, splitProjectList, UsageError, PLAN_HELP } from './nx-spk';

describe('parsePlanArgs', () => {
  test('defaults: all, table', () => {
    assert.deepEqual(parsePlanArgs([]), { help: false, selection: { mode: 'all' }, format: 'table' });
  });

  test('selections', () => {
    assert.deepEqual(parsePlanArgs(['-p', 'a@1,tag:x', '--projects', '!b@1']).selection, {
      mode: 'projects',
      patterns: ['a@1', 'tag:x', '!b@1'],
    });
    assert.deepEqual(parsePlanArgs(['--up-to', 'app@1.0.0']).selection, { mode: 'up-to', patterns: ['app@1.0.0'] });
    assert.deepEqual(parsePlanArgs(['--dependents-of=zlib@1.2.13']).selection, { mode: 'dependents-of', patterns: ['zlib@1.2.13'] });
    assert.deepEqual(parsePlanArgs(['--affected', '--base', 'main', '--head=HEAD', '--files', 'a,b', '--uncommitted']).selection, {
      mode: 'affected',
      base: 'main',
      head: 'HEAD',
      files: ['a', 'b'],
      uncommitted: true,
    });
  });

  test('formats', () => {
    assert.equal(parsePlanArgs(['--json']).format, 'json');
    assert.equal(parsePlanArgs(['--format', 'mermaid']).format, 'mermaid');
    assert.equal(parsePlanArgs(['--format=dot']).format, 'dot');
    assert.equal(parsePlanArgs(['--json', '--format', 'json']).format, 'json');
  });

  test('spk options', () => {
    assert.deepEqual(parsePlanArgs(['--spk-bin', '/x/spk', '--repo', 'ci', '--concurrency', '2']), {
      help: false,
      selection: { mode: 'all' },
      format: 'table',
      spkBin: '/x/spk',
      repo: 'ci',
      concurrency: 2,
    });
  });

  const bad: Array<[string[], RegExp]> = [
    [['--up-to', 'a@1', '--projects', 'b@1'], /choose one selection/],
    [['--affected', '--up-to', 'a@1'], /choose one selection/],
    [['--base', 'main'], /--base only applies with --affected/],
    [['--format', 'svg'], /--format must be one of table, json, mermaid, dot/],
    [['--json', '--format', 'dot'], /--json conflicts with --format dot/],
    [['--concurrency', '0'], /--concurrency must be an integer/],
    [['--bogus'], /bogus/],
    [['stray'], /stray/],
    [['--projects', ','], /--projects needs at least one project/],
  ];
  for (const [argv, msg] of bad) {
    test(`usage error: ${argv.join(' ')}`, () => {
      assert.throws(() => parsePlanArgs(argv), (e: unknown) => e instanceof UsageError && msg.test((e as Error).message));
    });
  }
});

test('splitProjectList keeps spk tag sets together', () => {
  assert.deepEqual(splitProjectList(['a@1,b@2', ' c ']), ['a@1', 'b@2', 'c']);
  assert.deepEqual(splitProjectList(['foo@1.0.0-alpha.1,beta.2,bar@1']), ['foo@1.0.0-alpha.1,beta.2', 'bar@1']);
  assert.deepEqual(splitProjectList(['tag:x,beta.2']), ['tag:x', 'beta.2']);
});

describe('runCli', () => {
  const ws = mkdtempSync(path.join(tmpdir(), 'nx-spk-cli-'));
  writeFileSync(path.join(ws, 'nx.json'), '{}');
  const nx = sampleGraph();
  const io = (spk: boolean): PlanIo => ({
    loadGraph: async () => ({ graph: nx, problems: [] }),
    matcher: (g) => (p) => findMatchingProjects([...p], g.nodes),
    affected: async (o) => {
      if (o.base === 'broken') throw new Error("fatal: bad revision 'broken'");
      return ['left@1.0.0'];
    },
    spk: async () => (spk ? { bin: '/s', version: '1', list: async () => [] } : { unavailable: 'spk binary not found' }),
  });

  async function cli(argv: string[], spk = true, cwd = ws) {
    let out = '';
    let err = '';
    let entered: string | undefined;
    const code = await runCli(argv, {
      cwd,
      env: {},
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      enterWorkspace: (r) => (entered = r),
      makeIo: () => io(spk),
    });
    return { code, out, err, entered };
  }

  test('plan --json: exit 0, JSON on stdout only, entered the workspace root', async () => {
    const r = await cli(['plan', '--json', '--up-to', 'curl@8.0.0']);
    assert.equal(r.code, 0);
    assert.equal(r.entered, ws);
    const json = JSON.parse(r.out);
    assert.deepEqual(json.waves, [['zlib@1.2.13'], ['openssl@3.0.0'], ['curl@8.0.0']]);
    assert.equal(r.err, '');
  });

  test('--strict: exit 3 when the plan has a problem; without spk alone it stays 0', async () => {
    assert.equal(parsePlanArgs(['--strict']).strict, true);
    const unknown = await cli(['plan', '--json', '--strict', '--projects', 'ghost@1,curl@8.0.0']);
    assert.equal(unknown.code, 3, unknown.err);
    assert.match(unknown.err, /--strict: the plan has problems/);
    const noSpk = await cli(['plan', '--json', '--strict'], false);
    assert.equal(noSpk.code, 0, noSpk.err);
    const clean = await cli(['plan', '--json', '--strict']);
    assert.equal(clean.code, 0, clean.err);
  });

  test('from a subdirectory, the workspace root is found', async () => {
    const r = await cli(['plan', '--json'], true, path.join(ws, 'deep', 'er'));
    assert.equal(r.entered, ws);
  });

  test('without spk: exit 0, a note on stderr, statuses unknown', async () => {
    const r = await cli(['plan'], false);
    assert.equal(r.code, 0);
    assert.match(r.err, /note: spk binary not found; every status is 'unknown'/);
    assert.match(r.out, /spk not available: statuses unknown/);
    assert.match(r.out, /^1 +base@1\.0\.0 +unknown +selected$/m);
  });

  test('unknown pattern among good ones: exit 0, reported', async () => {
    const r = await cli(['plan', '-p', 'ghost@1,base@1.0.0']);
    assert.equal(r.code, 0);
    assert.match(r.err, /problem: 'ghost@1' matches no project/);
    assert.match(r.out, /base@1\.0\.0/);
  });

  test('only unknown patterns: exit 1', async () => {
    const r = await cli(['plan', '--up-to', 'ghost@1']);
    assert.equal(r.code, 1);
    assert.match(r.err, /nothing to plan/);
  });

  test('--affected: exit 0 with the affected projects; exit 1 when Nx cannot tell', async () => {
    const ok = await cli(['plan', '--affected', '--base', 'main']);
    assert.equal(ok.code, 0);
    assert.match(ok.out, /^2 +left@1\.0\.0 +build +affected$/m);
    const bad = await cli(['plan', '--affected', '--base', 'broken', '--json']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /cannot compute the affected projects: fatal: bad revision 'broken'/);
    assert.deepEqual(JSON.parse(bad.out).projects, []);
  });

  test('usage error: exit 2', async () => {
    const r = await cli(['plan', '--format', 'svg']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--format must be one of/);
  });

  test('help', async () => {
    const r = await cli(['plan', '--help']);
    assert.equal(r.code, 0);
    assert.equal(r.out, PLAN_HELP);
    assert.equal((await cli(['--help'])).code, 0);
    assert.equal((await cli([])).code, 2);
    assert.equal((await cli(['build'])).code, 2);
  });

  test('outside an Nx workspace: exit 1 with a clear message', async () => {
    const r = await cli(['plan'], true, path.parse(ws).root);
    assert.equal(r.code, 1);
    assert.match(r.err, /no nx\.json/);
  });

  test('mermaid and dot formats', async () => {
    assert.match((await cli(['plan', '--format', 'mermaid'])).out, /^flowchart LR\n/);
    assert.match((await cli(['plan', '--format', 'dot'])).out, /^digraph plan \{\n/);
  });

  test('cleanup', () => rmSync(ws, { recursive: true, force: true }));
});

describe('nx-spk explain and plan --explain', () => {
  const ws = mkdtempSync(path.join(tmpdir(), 'nx-spk-explain-'));
  writeFileSync(path.join(ws, 'nx.json'), '{}');
  const nx = sampleGraph();
  const requirement = (project: string): ResolvedRequirement => ({
    role: 'build', request: `dep-of-${project}`, pkg: 'dep', source: 'build.options', resolution: 'external', reason: `why ${project}`,
  });
  const explainFake = (_root: string, graph: ProjectGraphLike): Map<string, Explanation> =>
    new Map(Object.keys(graph.nodes).map((p) => [p, { project: p, recipe: `r/${p}.spk.yaml`, spkWorkspace: '.', requirements: [requirement(p)] }]));

  async function cli(argv: string[]) {
    let out = '';
    let err = '';
    const code = await runCli(argv, {
      cwd: ws,
      env: {},
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      loadGraph: async () => nx,
      explain: explainFake,
      makeIo: () => ({
        loadGraph: async () => ({ graph: nx, problems: [] }),
        matcher: (g) => (p) => findMatchingProjects([...p], g.nodes),
        affected: async () => [],
        spk: async () => ({ unavailable: 'spk binary not found' }),
      }),
    });
    return { code, out, err };
  }

  const CASES: Array<{ name: string; argv: string[]; code: number; out?: RegExp; err?: RegExp }> = [
    { name: 'explain --json prints the explanation object', argv: ['explain', 'curl@8.0.0', '--json'], code: 0, out: /"requirements": \[\s*\{\s*"role": "build",\s*"request": "dep-of-curl@8\.0\.0"/ },
    { name: 'explain as text names the reason', argv: ['explain', 'curl@8.0.0'], code: 0, out: /^curl@8\.0\.0 \(r\/curl@8\.0\.0\.spk\.yaml\)\n {2}build dep-of-curl@8\.0\.0 \[build\.options\]: external\n {6}why curl@8\.0\.0\n$/ },
    { name: 'a bare package name with one version names it', argv: ['explain', 'curl', '--json'], code: 0, out: /"project": "curl@8\.0\.0"/ },
    { name: 'an unknown project: exit 1', argv: ['explain', 'ghost@1'], code: 1, err: /ghost@1 is not a spk recipe-version project/ },
    { name: 'no project: usage error', argv: ['explain'], code: 2, err: /name one project/ },
    { name: 'two projects: usage error', argv: ['explain', 'a', 'b'], code: 2, err: /name one project \(got a, b\)/ },
    { name: 'explain --help', argv: ['explain', '--help'], code: 0, out: /^Usage: nx-spk explain <project> \[--json\]/ },
    { name: 'plan --explain --json adds explanations per planned project', argv: ['plan', '--json', '--explain', '--up-to', 'openssl@3.0.0'], code: 0, out: /"explanations": \{\s*"zlib@1\.2\.13": \[\s*\{[^}]*"reason": "why zlib@1\.2\.13"[^}]*\}\s*\],\s*"openssl@3\.0\.0"/ },
    { name: 'plan --explain (table) appends the explanations', argv: ['plan', '--explain', '--up-to', 'zlib@1.2.13'], code: 0, out: /\nExplanations:\nzlib@1\.2\.13 \(r\/zlib@1\.2\.13\.spk\.yaml\)\n {2}build dep-of-zlib@1\.2\.13/ },
    { name: 'plan --explain with mermaid: usage error', argv: ['plan', '--explain', '--format', 'mermaid'], code: 2, err: /--explain applies to the table and json formats/ },
  ];
  for (const c of CASES) {
    test(c.name, async () => {
      const r = await cli(c.argv);
      assert.equal(r.code, c.code, r.err);
      if (c.out) assert.match(r.out, c.out);
      if (c.err) assert.match(r.err, c.err);
    });
  }
  test('cleanup', () => rmSync(ws, { recursive: true, force: true }));
});
