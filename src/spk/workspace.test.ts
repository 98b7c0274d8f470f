import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  WORKSPACE_FILE_NAME,
  expandVersionEntry,
  findPackageTemplate,
  findWorkspaceFile,
  loadWorkspace,
  parseWorkspaceFile,
  MAX_VERSIONS_PER_ENTRY,
} from './workspace';
import { SpkError } from './errors';
import { fixtureStudio, vectorsFile } from '../../test-support/testing/repo-root';

interface Vector { id: string; kind: string; [k: string]: unknown }
const vectors: Vector[] = JSON.parse(fs.readFileSync(vectorsFile(), 'utf8')).vectors;

const temps: string[] = [];
function tempWorkspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-ws-'));
  temps.push(dir);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}
after(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});
const vs = (e: { versions: Array<{ toString(): string }> }) => e.versions.map((v) => v.toString());

describe('workspace.* vectors', () => {
  for (const v of vectors.filter((x) => x.kind === 'workspace.versions_expand')) {
    test(v.id, () => {
      assert.deepEqual(expandVersionEntry(v.input as string, 0).map((x) => x.toString()), v.expanded);
    });
  }
  for (const v of vectors.filter((x) => x.kind === 'workspace.find_template')) {
    test(v.id, () => {
      const templates = v.templates as Record<string, string>;
      const wsVersions = (v.workspace_versions ?? {}) as Record<string, string[]>;
      const files: Record<string, string> = {};
      for (const [f, ident] of Object.entries(templates)) files[f] = `pkg: ${ident}\n`;
      const items = Object.keys(templates).map((f) =>
        wsVersions[f] ? `  - path: ${f}\n    versions: [${wsVersions[f].map((x) => `"${x}"`).join(', ')}]` : `  - ${f}`,
      );
      files[WORKSPACE_FILE_NAME] = `api: v0/workspace\nrecipes:\n${items.join('\n')}\n`;
      const ws = loadWorkspace(tempWorkspace(files));
      assert.deepEqual(ws.problems, []);
      if (v.found === null) {
        assert.throws(() => findPackageTemplate(ws, v.request as string), (e: unknown) => e instanceof SpkError && e.message.includes(v.error as string));
      } else {
        assert.equal(findPackageTemplate(ws, v.request as string).file, v.found);
      }
    });
  }
});

describe('expandVersionEntry (bracoxide-like, via braces)', () => {
  const table: Array<[string, string[]]> = [
    ['1.{0,2}.{1..2}', ['1.0.1', '1.0.2', '1.2.1', '1.2.2']],
    ['2.7.18', ['2.7.18']],
    ['1.{}', []], // literal `{}` stays and is not a version → error, checked below
  ];
  for (const [input, expected] of table.slice(0, 2)) {
    test(input, () => assert.deepEqual(expandVersionEntry(input, 0).map((x) => x.toString()), expected));
  }
  test('an expansion that is not a version names the position and value', () => {
    assert.throws(() => expandVersionEntry('1.{a,2}', 3), (e: unknown) => e instanceof SpkError && e.message.includes("brace expansion in position 3 produced invalid version '1.a'"));
  });
  test('unbalanced braces are an invalid brace expansion', () => {
    assert.throws(() => expandVersionEntry('1.{2', 1), (e: unknown) => e instanceof SpkError && e.message.includes('invalid brace expansion in position 1'));
  });
  test('huge expansions are refused with the limit in the message', () => {
    assert.throws(() => expandVersionEntry('{0..999}.{0..999}', 0), (e: unknown) => e instanceof SpkError && e.message.includes(`limit is ${MAX_VERSIONS_PER_ENTRY}`));
  });
});

describe('parseWorkspaceFile', () => {
  test('glob strings, {path, versions}, api ignored, numbers keep their text, duplicates collapse', () => {
    const { items, problems } = parseWorkspaceFile(
      'api: whatever\nrecipes:\n  - a/*.spk.yaml\n  - path: b.spk.yaml\n    versions: [3.10, "3.1{0,1}", "3.10.0"]\n',
      'ws.yaml',
    );
    assert.deepEqual(problems, []);
    assert.equal(items.length, 2);
    assert.deepEqual(items[0], { pattern: 'a/*.spk.yaml', versions: [], line: 3 });
    assert.deepEqual(vs(items[1]), ['3.10.0', '3.11.0']);
  });
  test('invalid YAML is one problem with a line', () => {
    const { items, problems } = parseWorkspaceFile('recipes:\n  - [a\n', 'ws.yaml');
    assert.equal(items.length, 0);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].severity, 'error');
    assert.ok(problems[0].line !== undefined);
  });
  test('a bad versions entry drops that item only, naming file, line and position', () => {
    const { items, problems } = parseWorkspaceFile(
      'recipes:\n  - path: a.spk.yaml\n    versions:\n      - "1.0"\n      - "1.{x,y}"\n  - b.spk.yaml\n',
      'ws.yaml',
    );
    assert.deepEqual(items.map((i) => i.pattern), ['b.spk.yaml']);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 5);
    assert.match(problems[0].message, /position 1 produced invalid version '1\.x'/);
  });
  test('mapping without versions is an error like spk (versions is required there)', () => {
    const { problems } = parseWorkspaceFile('recipes:\n  - path: a.spk.yaml\n', 'ws.yaml');
    assert.match(problems[0].message, /missing field `versions`/);
  });
});

describe('loadWorkspace', () => {
  test('discovery walks parents; later non-empty versions replace; empty never clears; dedupe', () => {
    const dir = tempWorkspace({
      [WORKSPACE_FILE_NAME]: [
        'recipes:',
        '  - path: pkgs/a.spk.yaml',
        '    versions: ["1.0"]',
        '  - pkgs/*.spk.yaml',
        '  - path: pkgs/b.spk.yaml',
        '    versions: ["1.{0..1}"]',
        '  - path: pkgs/b.spk.yaml',
        '    versions: ["2.0"]',
        '  - pkgs/**/*.spk.yaml',
        '  - pkgs/missing.spk.yaml',
        '  - pkgs/**.spk.yaml',
        '',
      ].join('\n'),
      'pkgs/a.spk.yaml': 'pkg: a/1.0\n',
      'pkgs/b.spk.yaml': 'pkg: b/2.0\n',
      'pkgs/sub/c.spk.yaml': 'pkg: c/1.0\n',
    });
    assert.equal(findWorkspaceFile(path.join(dir, 'pkgs', 'sub')), path.join(dir, WORKSPACE_FILE_NAME));
    const ws = loadWorkspace(path.join(dir, 'pkgs', 'sub'));
    assert.equal(ws.root, dir);
    assert.deepEqual(
      ws.entries.map((e) => [e.file, vs(e)]),
      [
        ['pkgs/a.spk.yaml', ['1.0.0']],
        ['pkgs/b.spk.yaml', ['2.0.0']],
        ['pkgs/sub/c.spk.yaml', []],
      ],
    );
    assert.deepEqual(
      ws.problems.map((p) => [p.severity, p.line, p.message.replace(/:.*/, '')]),
      [
        ['warning', 10, 'recipes[5]'],
        ['error', 11, 'recipes[6]'],
      ],
    );
    assert.match(ws.problems[0].message, /does not exist/);
    assert.match(ws.problems[1].message, /single path component/);
  });
  test('no workspace file: one problem, no throw', () => {
    const dir = tempWorkspace({ 'x.txt': '' });
    const ws = loadWorkspace(dir);
    // a workspace.spk.yaml may exist above the temp dir on odd machines; only assert when none does
    if (!findWorkspaceFile(dir)) {
      assert.equal(ws.entries.length, 0);
      assert.match(ws.problems[0].message, /workspace not found/);
    }
  });
  test('the fixture studio workspace (glob, brace-expanded versions, a listed file that is absent)', () => {
    const ws = loadWorkspace(path.join(fixtureStudio(), WORKSPACE_FILE_NAME));
    assert.equal(ws.entries.length, 12); // 12 recipe files present; python2 is listed but absent
    const py = ws.entries.find((e) => e.file === 'packages/python/python3.spk.yaml')!;
    assert.deepEqual(py.versions.map(String), ['3.9.0', '3.9.1', '3.9.2', '3.10.0', '3.10.1', '3.11.0']);
    const gcc = ws.entries.find((e) => e.file === 'packages/gnu/gcc/gcc.spk.yaml')!;
    assert.deepEqual(gcc.versions.map(String), ['9.3.1', '11.1.0', '11.2.0']);
    assert.deepEqual(ws.problems.map((p) => [p.severity, p.line]), [['warning', 8]]);
    assert.match(ws.problems[0].message, /python2\.spk\.yaml' does not exist/);
  });
});
