/**
 * Hostile recipes, end to end through the plugin: a workspace whose recipes and workspace file
 * try to smuggle flags into spk's argv, escape the workspace, or hang the graph. The graph is
 * computed like Nx would, then every inferred spk-build target is run by the real executor
 * against a fake spk that records its argv, so "never an extra flag" is checked on what spk
 * actually receives (argv arrays, no shell in between).
 */
import { after, before, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { logger } from '@nx/devkit';
import type { ExecutorContext } from '@nx/devkit';
import runSpkBuild from '../../executors/spk-build/executor';
import { readFakeSpkLog, writeFakeSpk } from '../../test-support/fake-spk';
import type { SpkBuildExecutorOptions } from '../../executors/shared/options';
import { normalizeOptions } from './options';
import { resetReported } from './report';
import { computeWorkspaceGraph, type WorkspaceGraphResult } from './workspace-graph';
import type { CachedRecipeFile } from './recipe-record';

const HOSTILE_VALUE = `a b "c" 'd' $(touch pwned) ; --force \`id\` --help`;

const FILES: Record<string, string> = {
  'workspace.spk.yaml': [
    'recipes:',
    '  - packages/**/*.spk.yaml',
    '  - --help.spk.yaml',
    '  # a version that is a flag: the whole entry is refused (spk fails the item too)',
    '  - path: packages/flaggy/flaggy.spk.yaml',
    '    versions: ["--help", "1.0.0"]',
    '',
  ].join('\n'),
  // A recipe FILE whose name is a flag (the package name itself is fine).
  '--help.spk.yaml': 'pkg: dash-file/1.0.0\nbuild:\n  script: [make]\n',
  // Templated; the workspace entry above lists `--help` as a version.
  'packages/flaggy/flaggy.spk.yaml': '# {% set opt = opt | default_opts(version="1.0.0") %}\npkg: flaggy/{{ opt.version }}\n',
  // Package names starting with '-' (spk's name rules refuse them): no project.
  'packages/dash/dash.spk.yaml': 'pkg: -rf/1.0.0\n',
  'packages/dash2/dash2.spk.yaml': 'pkg: --help/1.0.0\n',
  // A rendered version that is a flag.
  'packages/dashver/dashver.spk.yaml': 'pkg: dashver/--help\n',
  // Sources outside the workspace, next to one inside.
  'packages/escape/escape.spk.yaml': [
    'pkg: escape/1.0.0',
    'sources:',
    '  - path: ../../../etc',
    '  - path: /etc',
    '  - path: ./src',
    '    exclude: ["../../../../home"]',
    'build:',
    '  options:',
    `    - var: flags/${JSON.stringify(HOSTILE_VALUE).slice(1, -1)}`,
    '  script: [make]',
    '',
  ].join('\n'),
  'packages/escape/src/main.c': 'int main() {}\n',
  // An ordinary recipe depending on a hostile-looking (but valid) request.
  'packages/good/good.spk.yaml': 'pkg: good/2.0.0\ninstall:\n  requirements:\n    - pkg: escape/1.0.0\n',
};

let root: string;
let graph: WorkspaceGraphResult;
let errors: string[];
let warnings: string[];
let elapsedMs: number;

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-hostile-'));
  for (const [rel, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  // Symlink loops under the glob: one back to packages/, one back to the workspace root.
  fs.symlinkSync('..', path.join(root, 'packages/good/loop'));
  fs.symlinkSync('../../..', path.join(root, 'packages/escape/src/root'));
  errors = [];
  warnings = [];
  resetReported();
  mock.method(logger, 'error', (m: unknown) => void errors.push(String(m)));
  mock.method(logger, 'warn', (m: unknown) => void warnings.push(String(m)));
  mock.method(logger, 'info', () => undefined);
  const files = Object.keys(FILES).filter((f) => f.endsWith('.spk.yaml'));
  const opts = normalizeOptions({ hostOptions: false, options: { note: HOSTILE_VALUE } });
  const cache = new Map<string, CachedRecipeFile>();
  const start = performance.now();
  graph = computeWorkspaceGraph(files, opts, root, cache, {});
  computeWorkspaceGraph(files, opts, root, cache, {});
  elapsedMs = performance.now() - start;
});

after(() => {
  mock.restoreAll();
  resetReported();
  fs.rmSync(root, { recursive: true, force: true });
});

function buildTarget(project: string) {
  const node = [...graph.projectsByFile.values()].flatMap((p) => Object.values(p)).find((p) => p.name === project);
  assert.ok(node, `project ${project}`);
  return node.targets!['spk-build'];
}

describe('hostile recipes: the graph', () => {
  test('loading terminates quickly despite two symlink loops under the glob', () => {
    assert.ok(elapsedMs < 30_000, `${Math.round(elapsedMs)} ms`);
  });

  test('exactly the safe projects exist', () => {
    // flaggy is still selected by the `packages/**` glob (no versions: its default 1.0.0).
    assert.deepEqual([...graph.metadata.keys()].sort(), ['dash-file@1.0.0', 'escape@1.0.0', 'flaggy@1.0.0', 'good@2.0.0']);
  });

  test('a version "--help" in the workspace file is refused, naming the file and line', () => {
    const hits = errors.filter((m) => m.startsWith('nx-spk: workspace.spk.yaml:6:') && m.includes("'--help'"));
    assert.equal(hits.length, 1, errors.join('\n'));
    assert.match(hits[0], /recipes\[2\] \(packages\/flaggy\/flaggy\.spk\.yaml\): .*invalid version '--help'/);
  });

  test('package names starting with "-" are refused, once each', () => {
    for (const f of ['packages/dash/dash.spk.yaml', 'packages/dash2/dash2.spk.yaml']) {
      const hits = errors.filter((m) => m.includes(f));
      assert.equal(hits.length, 1, `${f}: ${JSON.stringify(hits)}`);
      assert.match(hits[0], /invalid package name/);
    }
  });

  test('a rendered version "--help" is refused', () => {
    const hits = errors.filter((m) => m.includes('packages/dashver/dashver.spk.yaml'));
    assert.equal(hits.length, 1);
    assert.match(hits[0], /invalid version/);
  });

  test('symlink loops are reported as warnings naming the workspace file, once each', () => {
    const loops = warnings.filter((m) => m.includes('symlink loop'));
    assert.equal(loops.length, 2, warnings.join('\n'));
    assert.ok(loops.every((m) => m.startsWith('nx-spk: workspace.spk.yaml:')));
    assert.ok(loops.some((m) => m.includes("'packages/good/loop'")));
  });

  test('sources outside the workspace never become inputs, and are reported', () => {
    const inputs = (buildTarget('escape@1.0.0').inputs ?? []).filter((i): i is string => typeof i === 'string');
    const paths = inputs.map((i) => i.replace(/^!/, ''));
    assert.ok(paths.every((p) => p.startsWith('{workspaceRoot}/') && !p.includes('..') && !p.startsWith('{workspaceRoot}//')), inputs.join('\n'));
    assert.ok(inputs.includes('{workspaceRoot}/packages/escape/src'), inputs.join('\n'));
    const outside = warnings.filter((m) => m.includes('packages/escape/escape.spk.yaml') && m.includes('outside the workspace'));
    assert.equal(outside.length, 2, warnings.join('\n'));
  });
});

describe('hostile recipes: what spk receives', () => {
  let bin: string;
  let log: string;
  before(() => {
    bin = writeFakeSpk(path.join(root, '.bin'));
    log = path.join(root, '.bin', 'calls.jsonl');
  });

  function context(project: string): ExecutorContext {
    const ctx: ExecutorContext = {
      root,
      cwd: root,
      isVerbose: false,
      projectName: project,
      targetName: 'spk-build',
      projectsConfigurations: { version: 2, projects: {} },
      nxJsonConfiguration: {},
      projectGraph: { nodes: {}, dependencies: {} },
    };
    return ctx;
  }

  for (const project of ['dash-file@1.0.0', 'escape@1.0.0', 'flaggy@1.0.0', 'good@2.0.0']) {
    test(`${project}: every argv element is a known flag, a flag value, or the recipe path`, async () => {
      fs.rmSync(log, { force: true });
      const options = { ...(buildTarget(project).options as SpkBuildExecutorOptions), spkBin: bin, env: { FAKE_SPK_LOG: log }, handoff: false };
      const log0 = console.log;
      const err0 = console.error;
      console.log = () => undefined;
      console.error = () => undefined;
      let result;
      try {
        result = await runSpkBuild(options, context(project));
      } finally {
        console.log = log0;
        console.error = err0;
      }
      assert.deepEqual(result, { success: true });
      const calls = readFakeSpkLog(log);
      assert.equal(calls.length, 1);
      const argv = calls[0].argv;
      assert.equal(argv[0], 'build');
      const flagsWithValue = new Set(['-o', '--workspace', '-r']);
      for (let i = 1; i < argv.length - 1; i++) {
        const a = argv[i];
        if (flagsWithValue.has(a)) {
          i++; // its value travels as one element, whatever it contains
          continue;
        }
        assert.ok(a === '--no-host' || a.startsWith('--variant='), `unexpected argv element ${JSON.stringify(a)} in ${JSON.stringify(argv)}`);
      }
      const recipe = argv[argv.length - 1];
      assert.ok(!recipe.startsWith('-'), `recipe positional ${recipe}`);
      // The hostile option value arrives as ONE element, byte for byte (no shell re-parsed it).
      assert.ok(argv.includes(`note=${HOSTILE_VALUE}`), JSON.stringify(argv));
      assert.equal(fs.existsSync(path.join(root, 'pwned')), false);
    });
  }

  test('the recipe file named "--help.spk.yaml" is passed as ./--help.spk.yaml', async () => {
    // (the previous test ran good@2.0.0; run dash-file again to look at its positional)
    fs.rmSync(log, { force: true });
    const options = { ...(buildTarget('dash-file@1.0.0').options as SpkBuildExecutorOptions), spkBin: bin, env: { FAKE_SPK_LOG: log }, handoff: false, dryRun: false };
    const log0 = console.log;
    console.log = () => undefined;
    try {
      await runSpkBuild(options, context('dash-file@1.0.0'));
    } finally {
      console.log = log0;
    }
    const calls = readFakeSpkLog(log);
    assert.ok(calls.length > 0, 'spk was called');
    const argv = calls[0].argv;
    assert.equal(argv[argv.length - 1], './--help.spk.yaml');
  });
});
