/**
 * e2e: nx-spk works the way an Nx user expects (issue 15 items 1–5, 8), with the packed plugin
 * in a fresh Nx workspace holding examples/studio and the spk double on PATH:
 * - spk-publish runs through `nx run` and `nx run-many` (every target hashes without
 *   `{projectRoot}`); a targetDefaults `{projectRoot}` input gets one clear message;
 * - `nx-spk plan --affected` after an edit of workspace.spk.yaml: exactly the added projects,
 *   those whose resolved dependencies change, and their dependents;
 * - a broken recipe turns `run-many` red, its dependents are not built, `plan --strict` fails;
 * - cache keys hash spk's version, not its path; the spkBin option's spk is the one hashed;
 *   spk is asked for its version once per nx invocation, not once per task;
 * - `variant` (spk's own flag name) is accepted; metadata.help names the right binary.
 * Builds are dry runs (NX_SPK_DRY_RUN=1): they are cached like real ones (a dry run is its own
 * cache entry) and need no spk, so the hashing is what is exercised.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWorkspace, readDoubleLog, readFixtureFiles, repoRoot, spkDoubleBin, spkDoubleEnv, type ExecResult, type TestWorkspace } from './helpers';

const HOST = { os: 'linux', arch: 'x86_64', distro: 'rocky', rocky: '9.3' };
const STUDIO = path.join(repoRoot(), 'examples', 'studio');

function studioFiles(): Record<string, string> {
  const files = readFixtureFiles(STUDIO);
  files['.gitignore'] = 'node_modules\n.nx\ndist\n';
  return files;
}

const out = (r: ExecResult) => `${r.stdout}\n${r.stderr}`;

/** "Nx read the output from the cache … for N out of M tasks" → [N, M]; no line → [0, M unknown]. */
function cacheHits(r: ExecResult): number {
  const m = /Cache:\s+(\d+)\/(\d+) hit/.exec(out(r)) ?? /for (\d+) out of (\d+) tasks/.exec(out(r));
  return m ? Number(m[1]) : 0;
}

describe('e2e: Nx-native behaviour (publish, affected, broken recipes, cache keys)', () => {
  let ws: TestWorkspace;
  let machine: string;
  let env: Record<string, string>;
  let log: string;
  const nxJson = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
    `${JSON.stringify({ plugins: [{ plugin: 'nx-spk', options: { hostOptions: HOST, ...options } }], ...extra }, null, 2)}\n`;

  before(async () => {
    ws = await createWorkspace({ files: { ...studioFiles(), 'nx.json': nxJson() }, git: true });
    machine = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-native-machine-'));
    env = { ...spkDoubleEnv(machine), NX_SPK_DRY_RUN: '1' };
    log = env.SPK_DOUBLE_LOG;
  });
  after(async () => {
    await ws?.cleanup();
    if (machine) fs.rmSync(machine, { recursive: true, force: true });
  });

  const versionCalls = () => readDoubleLog(log).filter((e) => e.argv[0] === 'version' || e.argv[0] === '--version').length;

  describe('item 1: every target hashes without {projectRoot}', () => {
    test('nx run <project>:spk-publish', async () => {
      const r = await ws.runNx(['run', 'stdfs@1.1.0:spk-publish'], { env, allowFailure: true });
      assert.equal(r.code, 0, out(r));
      assert.match(out(r), /\[dry-run\] .*spk publish .*stdfs\/1\.1\.0/);
      assert.doesNotMatch(out(r), /not found/);
    });
    test('nx run-many -t spk-publish', async () => {
      const r = await ws.runNx(['run-many', '-t', 'spk-publish'], { env, allowFailure: true });
      assert.equal(r.code, 0, out(r));
      assert.match(out(r), /Successfully ran target spk-publish for 32 projects/);
    });
    test('a targetDefaults input using {projectRoot} gets one message naming the setting', async () => {
      ws.writeFiles({ 'nx.json': nxJson({}, { targetDefaults: { 'spk-build': { inputs: ['default'] } } }) });
      try {
        const r = await ws.runNx(['show', 'projects', '--json'], { env, allowFailure: true });
        const said = out(r).match(/targetDefaults\["spk-build"\]\.inputs uses \{projectRoot\}/g) ?? [];
        assert.equal(said.length, 1, out(r));
        assert.match(out(r), /virtual roots .* own no files/);
      } finally {
        ws.writeFiles({ 'nx.json': nxJson() });
      }
    });
  });

  describe('items 4 and 5: cache keys hash the spk version, once per invocation', () => {
    test('a fully cached run-many asks spk for its version once, not once per task', async () => {
      const first = await ws.runNx(['run-many', '-t', 'spk-build'], { env, allowFailure: true });
      assert.equal(first.code, 0, out(first));
      const before = versionCalls();
      const again = await ws.runNx(['run-many', '-t', 'spk-build'], { env });
      assert.equal(cacheHits(again), 32, out(again));
      assert.equal(versionCalls() - before, 1);
    });
    test('the same spk at another path hits the cache (SPK_BIN is not hashed as a path)', async () => {
      const elsewhere = path.join(machine, 'opt', 'spk-elsewhere');
      fs.mkdirSync(elsewhere, { recursive: true });
      fs.writeFileSync(path.join(elsewhere, 'spk'), `#!/bin/sh\nexec '${spkDoubleBin()}' "$@"\n`, { mode: 0o755 });
      const r = await ws.runNx(['run-many', '-t', 'spk-build'], { env: { ...env, SPK_BIN: path.join(elsewhere, 'spk') } });
      assert.equal(cacheHits(r), 32, out(r));
    });
    test('another spk version misses the cache', async () => {
      const r = await ws.runNx(['run-many', '-t', 'spk-build', '-p', 'stdfs@1.1.0'], { env: { ...env, SPK_DOUBLE_VERSION: '0.99.0' } });
      assert.equal(cacheHits(r), 0, out(r));
    });
    test('with the spkBin option, its version is hashed (not the spk on PATH) and help names it', async () => {
      ws.writeFiles({ 'tools/spk': `#!/bin/sh\nSPK_DOUBLE_VERSION=7.7.7 exec '${spkDoubleBin()}' "$@"\n` });
      fs.chmodSync(path.join(ws.root, 'tools/spk'), 0o755);
      ws.writeFiles({ 'nx.json': nxJson({ spkBin: 'tools/spk' }) });
      try {
        const show = await ws.runNx(['show', 'project', 'stdfs@1.1.0', '--json'], { env });
        const project = JSON.parse(show.stdout) as { targets: Record<string, { metadata?: { help?: { command: string } } }> };
        for (const t of ['spk-build', 'spk-publish']) assert.equal(project.targets[t].metadata?.help?.command, `tools/spk ${t.slice(4)} --help`);
        const before = readDoubleLog(log).length;
        const r = await ws.runNx(['run-many', '-t', 'spk-build', '-p', 'stdfs@1.1.0'], { env });
        assert.equal(cacheHits(r), 0, `spk 7.7.7 is another cache key\n${out(r)}`);
        // The version input ran the option's spk: the double saw a `version` call from tools/spk.
        assert.ok(readDoubleLog(log).slice(before).some((e) => e.argv[0] === 'version'));
      } finally {
        ws.writeFiles({ 'nx.json': nxJson() });
      }
    });
  });

  describe("item 8: spk's own spellings", () => {
    test('variant is accepted as an alias of variants', async () => {
      const r = await ws.runNx(['run', 'zlib@1.2.13:spk-build', '--variant=0', '--skip-nx-cache', '--excludeTaskDependencies'], { env, allowFailure: true });
      assert.equal(r.code, 0, out(r));
      assert.match(out(r), /\[dry-run\] .*spk build .*--variant=0/);
    });
  });

  describe('item 2: nx-spk plan --affected after an edit of workspace.spk.yaml', () => {
    const wsFile = () => path.join(ws.root, 'workspace.spk.yaml');
    let original: string;
    before(() => {
      original = fs.readFileSync(wsFile(), 'utf8');
    });
    after(() => fs.writeFileSync(wsFile(), original));

    async function affected(): Promise<string[]> {
      const bin = path.join(ws.root, 'node_modules', '.bin', 'nx-spk');
      const r = await ws.exec(bin, ['plan', '--affected', '--base', 'HEAD', '--json'], { env: { ...env, NX_SPK_DRY_RUN: undefined } });
      const plan = JSON.parse(r.stdout) as { projects: Array<{ name: string; reasons: Array<{ kind: string }> }> };
      return plan.projects.filter((p) => p.reasons.some((x) => x.kind === 'affected')).map((p) => p.name).sort();
    }
    const DOWNSTREAM_OF_PY39 = ['oiio@2.4.17.0', 'pipeline-cli@3.0.0', 'studio-tools@1.2.0', 'usd@24.11.0-rc.1', 'usd@24.8.0'];

    test('adding a version: the new project, the projects now resolving to it, their dependents', async () => {
      fs.writeFileSync(wsFile(), original.replace("'3.9.{16..18}'", "'3.9.{16..19}'"));
      assert.deepEqual(await affected(), ['python@3.9.19', ...DOWNSTREAM_OF_PY39].sort());
    });
    test('removing a version: the projects that resolved to it and their dependents', async () => {
      fs.writeFileSync(wsFile(), original.replace("'3.9.{16..18}'", "'3.9.{16..17}'"));
      assert.deepEqual(await affected(), DOWNSTREAM_OF_PY39);
    });
    test('an unrelated edit (a comment): nothing', async () => {
      fs.writeFileSync(wsFile(), `${original}# a comment\n`);
      assert.deepEqual(await affected(), []);
    });
  });

  describe('item 3: a broken recipe is visible where CI looks', () => {
    const tiff = 'packages/libtiff/libtiff.spk.yaml';
    let original: string;
    before(() => {
      original = fs.readFileSync(path.join(ws.root, tiff), 'utf8');
      // The name and version stay readable; one requirement is not a valid request.
      ws.writeFiles({
        [tiff]: original.replace('install:\n  requirements:\n', 'install:\n  requirements:\n    - pkg: "NOT A NAME/1"\n'),
        'packages/junk/junk.spk.yaml': 'pkg: [junk\n',
      });
    });
    after(() => {
      ws.writeFiles({ [tiff]: original });
      fs.rmSync(path.join(ws.root, 'packages/junk'), { recursive: true, force: true });
    });

    test('run-many exits non-zero: the broken build fails with the load error, dependents are not built', async () => {
      const r = await ws.runNx(['run-many', '-t', 'spk-build', '--skip-nx-cache'], { env, allowFailure: true });
      assert.notEqual(r.code, 0, out(r));
      assert.match(out(r), /libtiff@4\.5\.1 cannot be built: its recipe packages\/libtiff\/libtiff\.spk\.yaml.* failed to load: .*NOT A NAME/);
      assert.match(out(r), /broken-recipe\/packages\/junk\/junk\.spk\.yaml cannot be built/);
      assert.doesNotMatch(out(r), /\[dry-run\] .*spk build .*oiio/, 'oiio depends on libtiff: not built');
    });
    test("a dependent's explanation names the broken file", async () => {
      // Explanations are computed on demand (`nx-spk explain`), not carried in the metadata.
      const r = await ws.exec(path.join(ws.root, 'node_modules', '.bin', 'nx-spk'), ['explain', 'oiio@2.4.17.0', '--json'], { env, allowFailure: true });
      assert.equal(r.code, 0, out(r));
      const reqs = (JSON.parse(r.stdout) as { requirements: Array<{ pkg: string; reason: string; target?: string }> }).requirements;
      const onTiff = reqs.filter((q) => q.pkg === 'libtiff');
      assert.ok(onTiff.length > 0);
      for (const q of onTiff) {
        assert.equal(q.target, 'libtiff@4.5.1');
        assert.match(q.reason, /its recipe packages\/libtiff\/libtiff\.spk\.yaml(:\d+)? failed to load/);
        assert.doesNotMatch(q.reason, /must already be published/);
      }
    });
    test('nx-spk plan lists it under problems; --strict exits non-zero', async () => {
      const bin = path.join(ws.root, 'node_modules', '.bin', 'nx-spk');
      const plain = await ws.exec(bin, ['plan', '--json'], { env, allowFailure: true });
      assert.equal(plain.code, 0, out(plain));
      const problems = (JSON.parse(plain.stdout) as { problems: Array<{ kind: string; subject?: string }> }).problems;
      assert.deepEqual(
        problems.filter((p) => p.kind === 'broken-recipe').map((p) => p.subject),
        ['broken-recipe/packages/junk/junk.spk.yaml', 'libtiff@4.5.1'],
      );
      const strict = await ws.exec(bin, ['plan', '--json', '--strict'], { env, allowFailure: true });
      assert.equal(strict.code, 3, out(strict));
    });
  });
});
