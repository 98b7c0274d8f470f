import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadRecipeFile, loadRecipeText, readRecipeName, type LoadRecipeOptions, type RecipeVersion } from './index';
import { loadWorkspace } from '../workspace';
import { parseVersion } from '../version';
import { SpkError } from '../errors';

const HOST = { os: 'linux', arch: 'x86_64', distro: 'rocky', rocky: '9.3' };
const opts = (extra: Partial<LoadRecipeOptions> = {}): LoadRecipeOptions => ({ workspaceRoot: '/ws', hostOptions: HOST, env: {}, ...extra });
const temps: string[] = [];
after(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});
function one(text: string, file = 'pkgs/x.spk.yaml', o = opts()): RecipeVersion {
  const r = loadRecipeText(text, file, [], o);
  assert.deepEqual(r.problems, []);
  assert.equal(r.recipeVersions.length, 1);
  return r.recipeVersions[0];
}
const pick = (rv: RecipeVersion, role: string) => rv.requirements.filter((q) => q.role === role);

describe('readRecipeName (raw YAML, no rendering)', () => {
  const ok: Array<[string, string, string]> = [
    ['pkg: my-pkg/{{ opt.version }}\n', 'my-pkg', 'v0/package'], // no api → v0/package
    ['api: v0/package\npkg: a-b\n', 'a-b', 'v0/package'],
    ['api: v0/platform\nplatform: base-plat/1.0\n', 'base-plat', 'v0/platform'],
    ['api: v1/platform\nplatform: dcc/2025.1\n', 'dcc', 'v1/platform'],
  ];
  for (const [text, name, kind] of ok) {
    test(`${JSON.stringify(text)} → ${name} ${kind}`, () => assert.deepEqual(readRecipeName(text, 'f.spk.yaml'), { name, kind }));
  }
  const bad: Array<[string, RegExp]> = [
    ['api: v9/thing\npkg: a/1\n', /unknown api version "v9\/thing"/],
    ['api: v0/requirements\nrequirements: []\n', /no package name/],
    ['api: v0/package\nmeta: {}\n', /Missing 'pkg' field/],
    ['pkg: {{ opt.name }}/1.0\n', /must be a string|invalid/],
    ['pkg: Bad_Name/1.0\n', /invalid package name 'Bad_Name'/],
    ['pkg: [a\n', /invalid yaml/],
  ];
  for (const [text, re] of bad) {
    test(`rejects ${JSON.stringify(text)}`, () => {
      assert.throws(() => readRecipeName(text, 'f.spk.yaml'), (e: unknown) => e instanceof SpkError && e.kind === 'recipe' && re.test(e.message) && e.file === 'f.spk.yaml');
    });
  }
});

describe('v0/package: every role', () => {
  const RECIPE = `
pkg: app/1.2.0
meta: {description: An app}
compat: x.ab
sources:
  - path: ./src
    exclude: [build/]
  - git: https://example.com/app.git
    ref: v1.2.0
  - tar: https://example.com/app.tgz
  - tar: vendor/dep.tgz
  - script: [echo hi]
build:
  options:
    - pkg: gcc/9
    - pkg: cmake
      default: ^3.20
    - pkg: python:{lib,run}/~3.9.0
      prereleasePolicy: IncludeAll
    - pkg: fixed/1.0
      static: "2.0"
    - var: debug
      default: off
  variants:
    - { gcc: 6.3, "python:dev": ~3.7.0, cuda: 11.3, debug: on }
    - { gcc: 9, distro: centos }
    - { gcc: 9 }
    - { gcc: "9" }
install:
  requirements:
    - pkg: zlib/1.2
    - pkg: numpy
      include: IfAlreadyPresent
    - pkg: python
      fromBuildEnv: x.x
    - var: debug/off
  components:
    - name: run
      requirements:
        - pkg: libffi:run/>=3
    - name: docs
      requirements:
        - pkg: doxygen
      embedded:
        - pkg: app-docs/1.2.0
  embedded:
    - pkg: qt/5.12.6
tests:
  - stage: build
    script: make test
    requirements:
      - pkg: pytest/>=7
  - stage: install
    script: run
`;
  const rv = one(RECIPE);
  test('identity, meta, compat', () => {
    assert.equal(rv.name, 'app');
    assert.equal(rv.version.toString(), '1.2.0');
    assert.equal(rv.kind, 'v0/package');
    assert.equal(rv.templated, false);
    assert.equal(rv.description, 'An app');
    assert.equal(rv.compat, 'x.ab');
  });
  test('variants: host-mismatched variant 1 skipped, variant 3 duplicates variant 2', () => {
    assert.deepEqual(rv.variants, [
      { gcc: '6.3', python: '~3.7.0', cuda: '11.3', debug: 'on' },
      { gcc: '9' },
    ]);
    assert.ok(rv.warnings.some((w) => /variant 1 skipped on this host: distro=centos \(host rocky\)/.test(w)));
    assert.ok(rv.warnings.some((w) => /variant 3 is a duplicate/.test(w)));
  });
  test('build role: static ?? variant ?? default, components, new pkg from a variant key', () => {
    assert.deepEqual(
      pick(rv, 'build').map((q) => [q.request, q.components.join(','), q.source, q.variants!.join(','), q.prereleasePolicy]),
      [
        ['gcc/6.3', 'build', 'build.options', '0', 'ExcludeAll'],
        ['cmake/^3.20', 'build', 'build.options', '0,2', 'ExcludeAll'],
        // the `python:dev` key overrides the range and unions its component
        ['python:{run,dev,lib}/~3.7.0', 'run,dev,lib', 'build.options', '0', 'IncludeAll'],
        ['fixed/2.0', 'build', 'build.options', '0,2', 'ExcludeAll'],
        ['cuda/11.3', 'build', 'build.variants[0]', '0', 'ExcludeAll'],
        ['gcc/9', 'build', 'build.options', '2', 'ExcludeAll'],
        ['python:{run,lib}/~3.9.0', 'run,lib', 'build.options', '2', 'IncludeAll'],
      ],
    );
  });
  test('runtime, soft, components, var requests skipped', () => {
    assert.deepEqual(
      rv.requirements.filter((q) => q.role === 'runtime' || q.role === 'soft').map((q) => [q.role, q.request, q.range, q.source, q.include, q.fromBuildEnv]),
      [
        ['runtime', 'zlib/1.2', '1.2', 'install.requirements', 'Always', undefined],
        ['soft', 'numpy', '', 'install.requirements', 'IfAlreadyPresent', undefined],
        ['runtime', 'python', '', 'install.requirements', 'Always', 'x.x'],
        ['runtime', 'libffi:run/>=3', '>=3', 'install.components[run].requirements', 'Always', undefined],
        ['runtime', 'doxygen', '', 'install.components[docs].requirements', 'Always', undefined],
      ],
    );
  });
  test('test role with stage, tests list', () => {
    assert.deepEqual(pick(rv, 'test').map((q) => [q.request, q.stage, q.source]), [['pytest/>=7', 'build', 'tests[0]']]);
    assert.deepEqual(rv.tests, [
      { index: 0, stage: 'build' },
      { index: 1, stage: 'install' },
    ]);
  });
  test('provides = install.embedded + component embedded', () => {
    assert.deepEqual(rv.provides, [
      { name: 'qt', version: '5.12.6' },
      { name: 'app-docs', version: '1.2.0' },
    ]);
  });
  test('sources: local paths relative to the workspace, excludes, remotes', () => {
    assert.deepEqual(rv.sources, {
      paths: ['pkgs/src', 'pkgs/vendor/dep.tgz'],
      excludes: ['build/'],
      remote: ['https://example.com/app.git@v1.2.0', 'https://example.com/app.tgz'],
    });
  });
  test('absent sources = the recipe directory with spk default excludes', () => {
    assert.deepEqual(one('pkg: bb/1\n', 'pkgs/bb/bb.spk.yaml').sources, { paths: ['pkgs/bb'], excludes: ['.git/', '.svn/'], remote: [] });
  });
  test('--no-host (hostOptions false) keeps host-looking variants', () => {
    const noHost = one(RECIPE, 'pkgs/x.spk.yaml', opts({ hostOptions: false }));
    assert.equal(noHost.variants.length, 3);
  });
});

describe('templating per workspace version', () => {
  const T = '# {% set opt = opt | default_opts(version="1.0.0") %}\npkg: tool/{{ opt.version }}\nbuild:\n  options:\n    - pkg: dep/<={{ opt.version }}\n';
  test('each version is rendered as -o version=V; no versions → the template default', () => {
    const r = loadRecipeText(T, 't.spk.yaml', ['2.0', '2.1.3'].map((v) => parseVersion(v)), opts());
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.recipeVersions.map((x) => [x.version.toString(), x.templated, x.requirements[0].request]), [
      ['2.0.0', true, 'dep/<=2.0'],
      ['2.1.3', true, 'dep/<=2.1.3'],
    ]);
    assert.equal(loadRecipeText(T, 't.spk.yaml', [], opts()).recipeVersions[0].version.toString(), '1.0.0');
  });
  test('host options reach the template; extra options too', () => {
    const rv = one('pkg: hh/1.0\nbuild:\n  options:\n    - var: where/{{ opt.distro }}-{{ opt.extra }}\n', 'h.spk.yaml', opts({ options: { extra: 'x' } }));
    assert.equal(rv.name, 'hh');
  });
});

describe('platforms', () => {
  test('v0/platform: base + add (forced IfAlreadyPresent) + remove noted', () => {
    const rv = one('api: v0/platform\nplatform: studio/2024.1\nbase: company/2023.1\nrequirements:\n  add:\n    - pkg: gcc/9.3\n    - var: python.abi/cp39\n  remove:\n    - pkg: maya\n');
    assert.equal(rv.kind, 'v0/platform');
    assert.deepEqual(rv.requirements.map((q) => [q.role, q.request, q.include, q.source, q.phase]), [
      ['platform-base', 'company/2023.1', 'Always', 'base', undefined],
      ['soft', 'gcc/9.3', 'IfAlreadyPresent', 'requirements', 'runtime'],
    ]);
    assert.ok(rv.warnings.some((w) => /'maya' removes/.test(w)));
  });
  test('v0/platform with a bare requirements list', () => {
    const rv = one('api: v0/platform\nplatform: pp/1\nrequirements:\n  - pkg: cmake/3\n');
    assert.deepEqual(rv.requirements.map((q) => [q.role, q.request, q.include]), [['soft', 'cmake/3', 'IfAlreadyPresent']]);
  });
  test('v1/platform: two bases, atBuild/atRuntime, false removes (a soft removal marker, no edge)', () => {
    const rv = one(
      [
        'api: v1/platform',
        'platform: dcc/2025.1.1',
        'base: [company/2024.1.1, vfx/2025]',
        'requirements:',
        '  - pkg: python',
        '    atBuild: =3.7.10',
        '    atRuntime: "3.7"',
        '  - pkg: gcc',
        '    atBuild: false',
        '  - pkg: qt:run',
        '    atRuntime: ~5.15',
        '  - var: abi/cp37m',
        '    atBuild: "cp37m"',
        '',
      ].join('\n'),
    );
    assert.equal(rv.kind, 'v1/platform');
    assert.deepEqual(rv.requirements.map((q) => [q.role, q.request, q.range, q.components.join(','), q.phase ?? '', q.include, q.removal ?? false]), [
      ['platform-base', 'company/2024.1.1', '2024.1.1', '', '', 'Always', false],
      ['platform-base', 'vfx/2025', '2025', '', '', 'Always', false],
      ['soft', 'python/=3.7.10', '=3.7.10', '', 'build', 'IfAlreadyPresent', false],
      ['soft', 'python/3.7', '3.7', '', 'runtime', 'IfAlreadyPresent', false],
      ['soft', 'gcc (atBuild: false)', '', '', 'build', 'IfAlreadyPresent', true],
      ['soft', 'qt/~5.15', '~5.15', 'run', 'runtime', 'IfAlreadyPresent', false],
    ]);
  });
  test('v0/requirements is skipped without a problem, with a note', () => {
    const r = loadRecipeText('api: v0/requirements\nrequirements:\n  - pkg: a\n', 'r.spk.yaml', [], opts());
    assert.deepEqual([r.recipeVersions.length, r.problems.length], [0, 0]);
    assert.match(r.notes![0], /not buildable/);
  });
});

describe('bad input: one problem each, the rest still loads', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-recipe-'));
  temps.push(dir);
  const files: Record<string, string> = {
    'workspace.spk.yaml': [
      'recipes:',
      '  - "*.spk.yaml"',
      '  - path: fixed.spk.yaml',
      '    versions: ["1.0", "2.0"]',
      '  - path: tpl.spk.yaml',
      '    versions: ["1.{0..1}", "3.{a,b}"]',
      '  - path: big.spk.yaml',
      '    versions: ["{0..999}.{0..999}"]',
      '',
    ].join('\n'),
    'good.spk.yaml': 'pkg: good/1.0.0\n',
    'yaml.spk.yaml': 'pkg: broken/1.0\nbuild:\n  options:\n   - pkg: a\n  - pkg: b\n',
    'api.spk.yaml': 'api: v7/package\npkg: x/1\n',
    'undef.spk.yaml': 'pkg: undef/1.0\nbuild:\n  script:\n    - echo {{ opt.typo }}\n',
    'fixed.spk.yaml': 'pkg: fixed/1.0\n',
    'tpl.spk.yaml': '# {% set opt = opt | default_opts(version="1.0") %}\npkg: tpl/{{ opt.version }}\n',
    'big.spk.yaml': 'pkg: big/1.0\n',
  };
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  fs.mkdirSync(path.join(dir, 'dir.spk.yaml')); // unreadable as a file
  const ws = loadWorkspace(dir);
  const results = ws.entries.map((e) => ({ e, r: loadRecipeFile(e.absPath, e.versions, { workspaceRoot: ws.root, hostOptions: HOST, env: {} }) }));
  const problems = results.flatMap((x) => x.r.problems);
  const loaded = results.flatMap((x) => x.r.recipeVersions.map((rv) => `${rv.name}/${rv.version}`));
  const problemOf = (file: string) => problems.filter((p) => p.file === file);

  test('good recipes and good versions load', () => {
    // tpl.spk.yaml lost its (bad) versions entry, so the glob's entry renders the template default
    assert.deepEqual(loaded.sort(), ['big/1.0.0', 'fixed/1.0.0', 'good/1.0.0', 'tpl/1.0.0']);
  });
  test('bad brace expansion drops that entry (workspace problem with line); huge expansion refused', () => {
    assert.deepEqual(ws.problems.map((p) => [p.line, /position 1 produced invalid version '3\.a'|limit is 10000/.test(p.message)]), [
      [6, true],
      [8, true],
    ]);
    // tpl.spk.yaml is still collected by the glob, without versions → renders its default
    assert.ok(results.some((x) => x.e.file === 'tpl.spk.yaml' && x.e.versions.length === 0));
  });
  test('invalid YAML names file and line', () => {
    const [p] = problemOf('yaml.spk.yaml');
    assert.match(p.message, /invalid yaml/);
    assert.equal(p.line, 5);
  });
  test('unknown api', () => assert.match(problemOf('api.spk.yaml')[0].message, /unknown api version "v7\/package"/));
  test('undefined variable names the variable and line', () => {
    const [p] = problemOf('undef.spk.yaml');
    assert.match(p.message, /Variable `opt\.typo` not found/);
    assert.equal(p.line, 4);
  });
  test('pkg mismatch: one problem per mismatching version', () => {
    const ps = problemOf('fixed.spk.yaml');
    assert.deepEqual(ps.map((p) => p.version), ['2.0.0']);
    assert.match(ps[0].message, /pkg mismatch.*2\.0\.0.*fixed\/1\.0\.0.*does not use opt\.version/);
  });
  test('unreadable file', () => assert.match(problemOf('dir.spk.yaml')[0].message, /cannot read recipe file/));
});
