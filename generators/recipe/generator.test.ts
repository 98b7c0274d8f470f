import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parse } from 'yaml';
import { SpkError } from '../../src/spk/errors';
import { loadRecipeText } from '../../src/spk/recipe';
import { parseVersion } from '../../src/spk/version';
import { parseWorkspaceFile } from '../../src/spk/workspace';
import { STARTER_WORKSPACE_TEXT } from '../init/generator';
import {
  addRecipeToWorkspaceText,
  recipeGenerator,
  renderRecipeText,
  splitRequestList,
  splitTopLevelCommas,
  type RecipeGeneratorSchema,
} from './generator';
import { fixtureStudio } from '../../test-support/testing/repo-root';

// modeled on the workspace file of spk's packages/ tree: comments, a glob, brace-expanded versions
const FIXTURE_WORKSPACE = resolve(fixtureStudio(), 'workspace.spk.yaml');

async function generate(tree: Tree, schema: Omit<RecipeGeneratorSchema, 'skipFormat'>) {
  await recipeGenerator(tree, { skipFormat: true, ...schema });
}

function read(tree: Tree, p: string): string {
  const t = tree.read(p, 'utf-8');
  assert.ok(t !== null, `${p} exists`);
  return t;
}

/** The workspace file as spk would read it: pattern → versions (canonical strings). */
function entries(text: string) {
  const { items, problems } = parseWorkspaceFile(text, 'workspace.spk.yaml');
  assert.deepEqual(problems, []);
  return items.map((i) => ({ pattern: i.pattern, versions: i.versions.map((v) => v.toString()) }));
}

function commentLines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('#'));
}

describe('recipe generator: scaffolding', () => {
  test('writes the templated recipe with the requests and description', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await generate(tree, {
      name: 'zlib',
      recipeVersion: '1.3.1',
      buildRequires: 'gcc/9,cmake/^3.13',
      installRequires: 'glibc/2.17',
      description: 'zlib: compression',
    });
    const text = read(tree, 'packages/zlib/zlib.spk.yaml');
    const lines = text.split('\n');
    assert.equal(lines[0], '# {% set opt = opt | default_opts(version="1.3.1") %}');
    assert.equal(lines[1], 'pkg: zlib/{{ opt.version }}');
    assert.equal(lines[2], 'api: v0/package');
    assert.match(text, /^meta:\n  description: "zlib: compression"\n/m);
    assert.match(text, /^sources:\n(?:  #.*\n)*  - path: \.\/\n/m);
    assert.match(text, /^build:\n  options:\n    - pkg: gcc\/9\n    - pkg: cmake\/\^3\.13\n  script:\n/m);
    assert.match(text, /\$SPK_PKG_VERSION/);
    assert.match(text, /^install:\n  requirements:\n    - pkg: glibc\/2\.17\n$/m);
  });

  test('defaults: packages/<name>, version 1.0.0, no meta/options/install sections', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await generate(tree, { name: 'bzip2' });
    const text = read(tree, 'packages/bzip2/bzip2.spk.yaml');
    assert.ok(text.startsWith('# {% set opt = opt | default_opts(version="1.0.0") %}\npkg: bzip2/{{ opt.version }}\n'));
    assert.doesNotMatch(text, /^meta:|^  options:|^install:/m);
  });

  test('the default version is the highest of --versions when --recipeVersion is absent', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await generate(tree, { name: 'zlib', versions: '1.2.{11..13},1.2.9' });
    assert.match(read(tree, 'packages/zlib/zlib.spk.yaml'), /default_opts\(version="1\.2\.13"\)/);
  });

  test('the scaffolded recipe loads and renders with the plugin reader, for each listed version', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await generate(tree, {
      name: 'zlib',
      versions: '1.2.{12..13}',
      buildRequires: 'gcc/>=9,<10',
      installRequires: 'python:{lib,bin}/~3.7',
    });
    const text = read(tree, 'packages/zlib/zlib.spk.yaml');
    const out = loadRecipeText(text, 'packages/zlib/zlib.spk.yaml', [parseVersion('1.2.12'), parseVersion('1.2.13')], {
      workspaceRoot: '/nonexistent-ws',
      hostOptions: false,
    });
    assert.deepEqual(out.problems, []);
    assert.deepEqual(out.recipeVersions.map((r) => `${r.name}/${r.version}`), ['zlib/1.2.12', 'zlib/1.2.13']);
    assert.ok(out.recipeVersions.every((r) => r.templated));
    const reqs = out.recipeVersions[0].requirements.map((r) => `${r.role} ${r.request}`);
    assert.ok(reqs.includes('build gcc/>=9,<10'), reqs.join('; '));
    assert.ok(reqs.some((r) => r.startsWith('runtime python:')), reqs.join('; '));
  });

  test('--directory places the recipe under it', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await generate(tree, { name: 'cmake', directory: './tools/', recipeVersion: '3.18.2' });
    assert.ok(tree.exists('tools/cmake/cmake.spk.yaml'));
  });

  test('refuses to overwrite an existing recipe, and changes nothing', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('packages/zlib/zlib.spk.yaml', 'pkg: zlib/1.0.0\n');
    tree.write('workspace.spk.yaml', 'recipes: []\n');
    await assert.rejects(generate(tree, { name: 'zlib', recipeVersion: '2.0.0' }), (e: unknown) => {
      assert.ok(e instanceof SpkError);
      assert.match(e.message, /^packages\/zlib\/zlib\.spk\.yaml: the recipe already exists; nx-spk:recipe never overwrites/);
      return true;
    });
    assert.equal(read(tree, 'packages/zlib/zlib.spk.yaml'), 'pkg: zlib/1.0.0\n');
    assert.equal(read(tree, 'workspace.spk.yaml'), 'recipes: []\n');
  });
});

describe('recipe generator: validation', () => {
  const cases: Array<[string, Omit<RecipeGeneratorSchema, 'skipFormat'>, RegExp]> = [
    ['upper-case name', { name: 'Zlib' }, /invalid package name at pos 0.*in name "Zlib"/],
    ['leading hyphen', { name: '-zlib' }, /must begin with a letter and not a hyphen/],
    ['one-character name', { name: 'z' }, /must be at least 2 characters/],
    ['bad build request', { name: 'zlib', buildRequires: 'gcc/9,cmake/!!' }, /^--buildRequires entry 2: .* in request "cmake\/!!" at position \d+/],
    ['bad install request', { name: 'zlib', installRequires: 'Zlib/1' }, /^--installRequires entry 1: .*in request "Zlib\/1"/],
    ['bad recipeVersion', { name: 'zlib', recipeVersion: '1.x' }, /^--recipeVersion: version must be a sequence of integers, got 'x' in position 1 in version "1.x"/],
    ['empty recipeVersion', { name: 'zlib', recipeVersion: ' ' }, /--recipeVersion: a version must not be empty/],
    ['bad --versions entry', { name: 'zlib', versions: '1.0.0,1.{a,2}' }, /^--versions entry 2: brace expansion in position 1 produced invalid version '1.a'/],
    ['unbalanced braces', { name: 'zlib', versions: '1.{0..2' }, /^--versions entry 1: invalid brace expansion/],
    ['directory outside the workspace', { name: 'zlib', directory: '../x' }, /--directory must stay inside the workspace/],
  ];
  for (const [what, schema, message] of cases) {
    test(`rejects ${what}, writing nothing`, async () => {
      const tree = createTreeWithEmptyWorkspace();
      await assert.rejects(generate(tree, schema), (e: unknown) => {
        assert.ok(e instanceof SpkError, `SpkError, got ${String(e)}`);
        assert.match(e.message, message);
        return true;
      });
      assert.equal(tree.listChanges().filter((c) => c.path.endsWith('.spk.yaml')).length, 0);
    });
  }
});

describe('recipe generator: workspace.spk.yaml', () => {
  test('creates the workspace file (starter + entry) when there is none', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await generate(tree, { name: 'zlib', versions: '1.2.{11..13}' });
    const text = read(tree, 'workspace.spk.yaml');
    assert.ok(text.startsWith(STARTER_WORKSPACE_TEXT), text);
    assert.ok(text.endsWith("  - path: packages/zlib/zlib.spk.yaml\n    versions: ['1.2.{11..13}']\n"), text);
    assert.deepEqual(entries(text), [
      { pattern: 'packages/**/*.spk.yaml', versions: [] },
      { pattern: 'packages/zlib/zlib.spk.yaml', versions: ['1.2.11', '1.2.12', '1.2.13'] },
    ]);
  });

  test('--recipeVersion alone lists that version; without any version a matching glob is enough', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await generate(tree, { name: 'cmake', recipeVersion: '3.18.2' });
    await generate(tree, { name: 'bzip2' });
    assert.deepEqual(entries(read(tree, 'workspace.spk.yaml')).slice(1), [
      { pattern: 'packages/cmake/cmake.spk.yaml', versions: ['3.18.2'] },
    ]);
  });

  test('a recipe no glob selects gets its path listed (no versions)', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('workspace.spk.yaml', 'api: v0/workspace\nrecipes:\n  - packages/**/*.spk.yaml\n');
    await generate(tree, { name: 'lz4', directory: 'other' });
    assert.equal(read(tree, 'workspace.spk.yaml'), 'api: v0/workspace\nrecipes:\n  - packages/**/*.spk.yaml\n  - other/lz4/lz4.spk.yaml\n');
  });

  test('--recipeVersion not covered by --versions is listed too', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await generate(tree, { name: 'zlib', versions: '1.2.{11..13}', recipeVersion: '1.3.1' });
    await generate(tree, { name: 'bzip2', versions: '1.0.{6..8}', recipeVersion: '1.0.7', directory: 'b' });
    const e = entries(read(tree, 'workspace.spk.yaml'));
    assert.deepEqual(e[1].versions, ['1.2.11', '1.2.12', '1.2.13', '1.3.1']);
    assert.deepEqual(e[2], { pattern: 'b/bzip2/bzip2.spk.yaml', versions: ['1.0.6', '1.0.7', '1.0.8'] });
  });

  test('extends the existing {path, versions} entry with the new versions only', () => {
    const before = [
      'api: v0/workspace',
      'recipes:',
      '  - path: packages/zlib/zlib.spk.yaml',
      '    versions:',
      "      - '1.2.{11..13}'",
      '      - 1.3.0',
      '',
    ].join('\n');
    const after = addRecipeToWorkspaceText(before, 'packages/zlib/zlib.spk.yaml', ['1.2.12', '1.3.0', '1.3.1', '1.4.{0..1}']);
    assert.equal(
      after,
      [
        'api: v0/workspace',
        'recipes:',
        '  - path: packages/zlib/zlib.spk.yaml',
        '    versions:',
        "      - '1.2.{11..13}'",
        '      - 1.3.0',
        '      - 1.3.1',
        // yaml writes new plain-safe strings plain; `{` only starts a flow mapping at the start.
        '      - 1.4.{0..1}',
        '',
      ].join('\n'),
    );
    // Nothing new: the text comes back byte for byte.
    assert.equal(addRecipeToWorkspaceText(after, 'packages/zlib/zlib.spk.yaml', ['1.3.1', '1.2.13']), after);
  });

  test('through the generator: a second recipe directory reuses the entry for the same path', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('workspace.spk.yaml', 'recipes:\n  - path: packages/zlib/zlib.spk.yaml\n    versions: [1.2.11]\n');
    await generate(tree, { name: 'zlib', versions: '1.2.11,1.2.12' });
    assert.equal(read(tree, 'workspace.spk.yaml'), 'recipes:\n  - path: packages/zlib/zlib.spk.yaml\n    versions: [1.2.11, 1.2.12]\n');
  });

  test('keeps every comment and the order of a commented workspace file (fixture studio)', () => {
    const before = readFileSync(FIXTURE_WORKSPACE, 'utf8');
    const after1 = addRecipeToWorkspaceText(before, 'packages/python/python3.spk.yaml', ['3.10.{0..1}', '3.10.2', '3.12.0']);
    const after = addRecipeToWorkspaceText(after1, 'packages/zlib/zlib.spk.yaml', ['1.3.1']);
    assert.deepEqual(commentLines(after), commentLines(before));
    const e = entries(after);
    assert.deepEqual(e.map((x) => x.pattern), [
      'packages/**/*.spk.yaml',
      'packages/python/python2.spk.yaml',
      'packages/python/python3.spk.yaml',
      'packages/gnu/gcc/gcc.spk.yaml',
      'packages/cmake/cmake.spk.yaml',
      'packages/zlib/zlib.spk.yaml',
    ]);
    const py3 = e[2].versions;
    assert.ok(py3.includes('3.10.2') && py3.includes('3.12.0') && py3.includes('3.9.0'));
    assert.deepEqual(e[5].versions, ['1.3.1']);
    // Existing list entries are untouched, quotes included; the already-covered 3.10.{0..1} is not re-added.
    assert.ok(after.includes("      - '3.9.{0..2}'\n"));
    assert.equal(after.split('3.10.{0..1}').length - 1, 1);
    // Untouched lines stay as written.
    for (const line of ['  - path: packages/python/python2.spk.yaml', '    versions: [2.7.18]']) {
      assert.ok(after.includes(`${line}\n`), line);
    }
  });

  test('keeps comments of a hand-written file, including inline and trailing ones', () => {
    const before = [
      '# top comment',
      'api: v0/workspace  # inline api',
      '',
      'recipes:',
      '  # first',
      '  - a/*.spk.yaml',
      '',
      '  # second',
      '  - path: b/b.spk.yaml  # inline path',
      '    versions: [1.0.0]',
      '  # trailing',
      '',
    ].join('\n');
    const after = addRecipeToWorkspaceText(before, 'c/c/c.spk.yaml', ['2.0.0']);
    assert.deepEqual(commentLines(after).map((l) => l), ['# top comment', '# first', '# second', '# trailing']);
    assert.match(after, /api: v0\/workspace +# inline api/);
    assert.match(after, /- path: b\/b\.spk\.yaml +# inline path/);
    assert.deepEqual(entries(after).map((x) => x.pattern), ['a/*.spk.yaml', 'b/b.spk.yaml', 'c/c/c.spk.yaml']);
    // (yaml re-spaces inline comments to one space; everything else is kept.)
    assert.ok(after.startsWith('# top comment\napi: v0/workspace # inline api\n\nrecipes:\n  # first\n  - a/*.spk.yaml\n\n  # second\n'), after);
  });

  test('uses the nearest workspace.spk.yaml above the recipe, with a path relative to it', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('workspace.spk.yaml', 'recipes: []\n');
    tree.write('spk/workspace.spk.yaml', 'api: v0/workspace\nrecipes:\n  - packages/*/*.spk.yaml\n');
    await generate(tree, { name: 'zlib', directory: 'spk/packages', recipeVersion: '1.3.1' });
    assert.equal(read(tree, 'workspace.spk.yaml'), 'recipes: []\n');
    assert.deepEqual(entries(read(tree, 'spk/workspace.spk.yaml')), [
      { pattern: 'packages/*/*.spk.yaml', versions: [] },
      { pattern: 'packages/zlib/zlib.spk.yaml', versions: ['1.3.1'] },
    ]);
  });

  test('fills an empty or recipes-less workspace file', () => {
    assert.deepEqual(entries(addRecipeToWorkspaceText('', 'x/x.spk.yaml', ['1.0.0'])), [{ pattern: 'x/x.spk.yaml', versions: ['1.0.0'] }]);
    assert.equal(addRecipeToWorkspaceText('api: v0/workspace\nrecipes:\n', 'x/x.spk.yaml', ['1.0.0']), "api: v0/workspace\nrecipes:\n  - path: x/x.spk.yaml\n    versions: [1.0.0]\n");
  });

  test('refuses to edit a workspace file it cannot understand, before writing the recipe', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('workspace.spk.yaml', 'recipes: packages/*.spk.yaml\n');
    await assert.rejects(generate(tree, { name: 'zlib', recipeVersion: '1.0.0' }), /`recipes` must be a list/);
    assert.equal(tree.exists('packages/zlib/zlib.spk.yaml'), false);
    assert.throws(() => addRecipeToWorkspaceText('recipes: [a\n', 'x/x.spk.yaml', ['1.0.0']), (e: unknown) => e instanceof SpkError && /invalid yaml/.test(e.message));
  });
});

describe('recipe generator: option lists', () => {
  test('commas inside braces do not split', () => {
    assert.deepEqual(splitTopLevelCommas(' 1.{0,1}.0 , 2.0.{0..3},,3 '), ['1.{0,1}.0', '2.0.{0..3}', '3']);
  });
  test('a range with commas stays one request', () => {
    assert.deepEqual(splitRequestList('gcc/>=9,<10,cmake/^3.13,python:{lib,bin}/~3.7'), [
      'gcc/>=9,<10',
      'cmake/^3.13',
      'python:{lib,bin}/~3.7',
    ]);
  });
  test('renderRecipeText quotes descriptions that need it', () => {
    const text = renderRecipeText({ name: 'ab', defaultVersion: '1.0.0', description: '#1: "x"\nsecond', buildRequires: [], installRequires: [] });
    const desc = text.split('\n').find((l) => l.startsWith('  description: '))!;
    assert.ok(desc, text);
    assert.equal(desc, '  description: "#1: \\"x\\"\\nsecond"');
    assert.ok(!text.includes('\nsecond'), 'newline is escaped, not a new YAML line');
    assert.equal((parse(text) as { meta: { description: string } }).meta.description, '#1: "x"\nsecond');
  });
});
