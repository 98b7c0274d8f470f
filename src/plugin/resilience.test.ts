/**
 * Graph resilience: a generated 5,000-version workspace where 1% of the recipe-versions are
 * broken in varied ways. The graph must still load every good project and every edge between
 * good projects, and report each broken recipe-version exactly once (as an error naming its
 * file, and its version when only that version is broken), and nothing else.
 *
 * Layout (kept fast: few files with many versions plus many small files):
 * - big/big-K.spk.yaml, K = 0..19: templated, 200 versions each (1.0.0 … 1.0.199) = 4,000
 *   versions; big-K@1.0.J requires big-(K-1)/=1.0.J (a chain per J). In big-0 … big-9 one
 *   version each renders a bad request (10 broken versions).
 * - small/sm-NNNN.spk.yaml: 960 good fixed-version recipes, sm-N requires big-(N%20)/=1.0.J;
 *   plus 40 broken small files of eight kinds (5 each) = 1,000 files, 1,000 versions.
 */
import { after, before, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { logger } from '@nx/devkit';
import { normalizeOptions } from './options';
import { resetReported } from './report';
import { computeWorkspaceGraph, type WorkspaceGraphResult } from './workspace-graph';
import type { CachedRecipeFile } from './recipe-record';

const BIG = 20;
const BIG_VERSIONS = 200;
const SMALL_GOOD = 960;
const BROKEN_KINDS = 8;
const BROKEN_PER_KIND = 5;
/** In big-K (K < 10) version 1.0.(7 + 19K) renders a bad request. */
const brokenBig = new Map<number, number>(Array.from({ length: 10 }, (_, k) => [k, 7 + 19 * k]));

function bigRecipe(k: number): string {
  const broken = brokenBig.get(k);
  return [
    '# {% set opt = opt | default_opts(version="1.0.0") %}',
    `pkg: big-${k}/{{ opt.version }}`,
    'build:',
    '  script: [make]',
    'install:',
    '  requirements:',
    ...(k > 0 ? [`    - pkg: big-${k - 1}/={{ opt.version }}`] : []),
    // Tags live in YAML comments: spk reads the raw text as YAML before rendering (name and api).
    ...(broken !== undefined ? [`    # {% if opt.version == "1.0.${broken}" %}`, '    - pkg: "NOT A NAME/1"', '    # {% endif %}'] : []),
    '    - pkg: stdfs',
    '',
  ].join('\n');
}

/** The big version a small recipe depends on (never a broken one). */
function smallTarget(n: number): { k: number; j: number } {
  const k = n % BIG;
  let j = n % BIG_VERSIONS;
  if (brokenBig.get(k) === j) j = (j + 1) % BIG_VERSIONS;
  return { k, j };
}

function pad(n: number): string {
  return String(n).padStart(4, '0');
}

function smallRecipe(n: number): string {
  const { k, j } = smallTarget(n);
  return `pkg: sm-${n}/1.0.0\nbuild:\n  script: [make]\ninstall:\n  requirements:\n    - pkg: big-${k}/=1.0.${j}\n`;
}

/** Eight kinds of broken recipe; each returns [file name, text, what the report must say]. */
const brokenKinds: Array<(i: number) => [string, string, RegExp]> = [
  (i) => [`small/bad-yaml-${i}.spk.yaml`, `pkg: [bad-yaml-${i}\n`, /invalid yaml/],
  (i) => [`small/bad-api-${i}.spk.yaml`, `api: v9/package\npkg: bad-api-${i}/1.0.0\n`, /unknown api version/],
  (i) => [`small/bad-name-${i}.spk.yaml`, `pkg: -bad-name-${i}/1.0.0\n`, /invalid package name/],
  (i) => [`small/bad-tmpl-${i}.spk.yaml`, `pkg: bad-tmpl-${i}/{{ opt.no_such_option }}\n`, /opt\.no_such_option/],
  (i) => [`small/bad-req-${i}.spk.yaml`, `pkg: bad-req-${i}/1.0.0\ninstall:\n  requirements:\n    - pkg: zlib/>>1\n`, /install\.requirements\[0\]/],
  (i) => [`small/bad-version-${i}.spk.yaml`, `pkg: bad-version-${i}/one\n`, /invalid version/],
  (i) => [`small/bad-test-${i}.spk.yaml`, `pkg: bad-test-${i}/1.0.0\ntests:\n  - stage: bogus\n    script: [true]\n`, /invalid stage 'bogus'/],
  // A second recipe producing an existing name@version: kept out, the first file wins.
  (i) => [`small/zz-dup-${i}.spk.yaml`, `pkg: sm-${i}/1.0.0\n`, /also produced by small\/sm-/],
];

let root: string;
let graph: WorkspaceGraphResult;
let errors: string[];
let warnings: string[];
const broken: Array<{ file: string; version?: string; says: RegExp }> = [];

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-resilience-'));
  const files: string[] = [];
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
    files.push(rel);
  };
  const ws = ['recipes:', '  - small/*.spk.yaml'];
  for (let k = 0; k < BIG; k++) {
    write(`big/big-${k}.spk.yaml`, bigRecipe(k));
    ws.push(`  - path: big/big-${k}.spk.yaml`, `    versions: ["1.0.{0..${BIG_VERSIONS - 1}}"]`);
    const b = brokenBig.get(k);
    if (b !== undefined) broken.push({ file: `big/big-${k}.spk.yaml`, version: `1.0.${b}`, says: /NOT A NAME/ });
  }
  fs.writeFileSync(path.join(root, 'workspace.spk.yaml'), ws.join('\n') + '\n');
  for (let n = 0; n < SMALL_GOOD; n++) write(`small/sm-${pad(n)}.spk.yaml`, smallRecipe(n));
  for (const kind of brokenKinds) {
    for (let i = 0; i < BROKEN_PER_KIND; i++) {
      const [file, text, says] = kind(i);
      write(file, text);
      broken.push({ file, says });
    }
  }
  files.push('workspace.spk.yaml');

  errors = [];
  warnings = [];
  resetReported();
  mock.method(logger, 'error', (m: unknown) => void errors.push(String(m)));
  mock.method(logger, 'warn', (m: unknown) => void warnings.push(String(m)));
  mock.method(logger, 'info', () => undefined);
  const cache = new Map<string, CachedRecipeFile>();
  const opts = normalizeOptions({ hostOptions: false });
  graph = computeWorkspaceGraph(files, opts, root, cache, {});
  // Nx recomputes the graph often (daemon, file changes): a second, cached pass must not
  // report anything again or lose anything.
  const again = computeWorkspaceGraph(files, opts, root, cache, {});
  assert.deepEqual([...again.metadata.keys()].sort(), [...graph.metadata.keys()].sort());
});

after(() => {
  mock.restoreAll();
  resetReported();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('5,000-version workspace with 1% broken recipe-versions', () => {
  test('the workspace has 5,000 recipe-versions, 50 of them broken', () => {
    assert.equal(BIG * BIG_VERSIONS + SMALL_GOOD + BROKEN_KINDS * BROKEN_PER_KIND, 5000);
    assert.equal(broken.length, 50);
  });

  test('every good project is loaded', () => {
    const expected = new Set<string>();
    for (let k = 0; k < BIG; k++) {
      for (let j = 0; j < BIG_VERSIONS; j++) if (brokenBig.get(k) !== j) expected.add(`big-${k}@1.0.${j}`);
    }
    for (let n = 0; n < SMALL_GOOD; n++) expected.add(`sm-${n}@1.0.0`);
    const got = new Set([...graph.metadata].filter(([, m]) => !m.loadError).map(([k]) => k));
    const missing = [...expected].filter((p) => !got.has(p));
    const extra = [...got].filter((p) => !expected.has(p));
    assert.deepEqual({ missing: missing.slice(0, 10), extra: extra.slice(0, 10) }, { missing: [], extra: [] });
    assert.equal(got.size, 5000 - 50);
  });

  test('a broken version whose name@version is known is still a project, carrying its load error', () => {
    for (const [k, j] of brokenBig) {
      const meta = graph.metadata.get(`big-${k}@1.0.${j}`);
      assert.ok(meta?.loadError, `big-${k}@1.0.${j}`);
      assert.equal(meta.loadError.recipe, `big/big-${k}.spk.yaml`);
      assert.match(meta.loadError.message, /NOT A NAME/);
      const projects = graph.projectsByFile.get(`big/big-${k}.spk.yaml`)!;
      const project = Object.values(projects).find((p) => p.name === `big-${k}@1.0.${j}`)!;
      assert.equal(project.targets!['spk-build'].executor, 'nx-spk:recipe-error');
      assert.ok(project.tags!.includes('spk:broken'));
    }
  });

  test('a broken file whose name or version cannot be read gets one placeholder project', () => {
    const placeholder = Object.values(graph.projectsByFile.get('small/bad-yaml-0.spk.yaml') ?? {});
    assert.deepEqual(placeholder.map((p) => p.name), ['broken-recipe/small/bad-yaml-0.spk.yaml']);
    assert.equal(placeholder[0].targets!['spk-build'].executor, 'nx-spk:recipe-error');
    assert.deepEqual(placeholder[0].targets!['spk-build'].inputs, ['{workspaceRoot}/small/bad-yaml-0.spk.yaml']);
    // bad-req names bad-req-N/1.0.0: a named project, not a placeholder.
    assert.ok(graph.metadata.get('bad-req-0@1.0.0')?.loadError);
  });

  test('every edge between good projects is there, and no other', () => {
    let expectedEdges = 0;
    const wrong: string[] = [];
    const check = (from: string, to: string[]) => {
      expectedEdges += to.length;
      const deps = [...(graph.metadata.get(from)?.dependencies ?? [])].sort();
      if (JSON.stringify(deps) !== JSON.stringify([...to].sort())) wrong.push(`${from}: ${deps.join(',')} (want ${to.join(',')})`);
    };
    for (let k = 0; k < BIG; k++) {
      for (let j = 0; j < BIG_VERSIONS; j++) {
        if (brokenBig.get(k) === j) continue;
        // The dependency may itself be the broken version: it is still a project (whose build
        // fails with the load error), so the edge is there and this one fails as "dependency failed".
        const dep = k > 0 ? [`big-${k - 1}@1.0.${j}`] : [];
        check(`big-${k}@1.0.${j}`, dep);
      }
    }
    for (let n = 0; n < SMALL_GOOD; n++) {
      const { k, j } = smallTarget(n);
      check(`sm-${n}@1.0.0`, [`big-${k}@1.0.${j}`]);
    }
    assert.deepEqual(wrong.slice(0, 10), []);
    const total = [...graph.metadata.values()].filter((m) => !m.loadError).reduce((a, m) => a + m.dependencies.length, 0);
    assert.equal(total, expectedEdges);
    assert.ok(expectedEdges > 4700, `only ${expectedEdges} edges`);
  });

  test('a requirement on a broken version names the broken file, not "must already be published"', () => {
    // big-1@1.0.7 requires big-0/=1.0.7, the broken version of big-0.
    const r = graph.explanations.get('big-1@1.0.7')?.find((q) => q.pkg === 'big-0');
    assert.ok(r, 'requirement kept in metadata');
    assert.equal(r.target, 'big-0@1.0.7');
    assert.match(r.reason, /its recipe big\/big-0\.spk\.yaml(:\d+)? failed to load: .*NOT A NAME/);
  });

  test('each broken recipe-version is reported exactly once, as an error naming its file', () => {
    for (const b of broken) {
      const hits = errors.filter((m) => m.includes(b.file) && (b.version === undefined || m.includes(`version ${b.version}`)));
      assert.equal(hits.length, 1, `${b.file}${b.version ? ` ${b.version}` : ''}: ${JSON.stringify(hits)}`);
      assert.match(hits[0], b.says);
    }
  });

  test('nothing else is reported as an error', () => {
    assert.equal(errors.length, broken.length, errors.filter((m) => !broken.some((b) => m.includes(b.file))).slice(0, 5).join('\n'));
  });

  test('stdfs (not in the workspace) is external, without a warning per project', () => {
    const r = graph.explanations.get('big-3@1.0.3')?.find((q) => q.pkg === 'stdfs');
    assert.equal(r?.resolution, 'external');
    assert.ok(warnings.length < 10, warnings.slice(0, 3).join('\n'));
  });
});
