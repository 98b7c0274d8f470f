/**
 * Conformance: spk's own packages/ tree (github.com/spkenv/spk, read in place from the path given
 * to `npm run test:conformance`): the workspace yields exactly the recipe-versions spk would
 * attempt, every one renders, and a dozen recipes' requirements are checked by hand against their
 * text. Rows are keyed by recipe path and skipped when no given tree holds that recipe.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadWorkspace } from '../src/spk/workspace';
import { loadRecipeFile, type RecipeVersion } from '../src/spk/recipe';
import { HOST, NOT_SPK_TREE, spkPackagesTree, treeWith } from './trees';

const spkTree = spkPackagesTree();

describe('spk packages/ workspace', { skip: !spkTree && NOT_SPK_TREE }, () => {
  const ws = loadWorkspace(spkTree ?? '/nonexistent');
  const all: RecipeVersion[] = [];
  const problems: unknown[] = [];
  for (const e of ws.entries) {
    const r = loadRecipeFile(e.absPath, e.versions, { workspaceRoot: ws.root, hostOptions: HOST, env: {} });
    all.push(...r.recipeVersions);
    problems.push(...r.problems);
  }
  test('159 recipe-versions, none failing, python2 absent → one warning', () => {
    assert.deepEqual(problems, []);
    assert.equal(all.length, 159);
    assert.deepEqual(ws.problems.map((p) => p.severity), ['warning']);
  });
  test('python3 renders once per listed version with pkg python/V', () => {
    const py = all.filter((r) => r.file === 'packages/python/python3.spk.yaml');
    assert.equal(py.length, 101);
    assert.ok(py.every((r) => r.name === 'python' && r.templated));
    assert.deepEqual([py[0].version.toString(), py[100].version.toString()], ['3.7.0', '3.13.1']);
    // the cpXX derived with replace_regex reaches the variant: abi cp313m for 3.13.x
    assert.deepEqual(py[100].variants, [{ gcc: '6.3', abi: 'cp313m', debug: 'off' }]);
  });
  test('recipes without versions use their own version; cmake renders its default', () => {
    const cmake = all.find((r) => r.name === 'cmake')!;
    assert.equal(cmake.version.toString(), '3.18.2');
    assert.equal(cmake.templated, true);
    assert.equal(all.filter((r) => r.name === 'tbb').map((r) => r.version.toString()).sort().join(' '), '2019.9.0 2020.3.0');
  });
});

/** role request [components] source {variants} include fromBuildEnv stage */
function summary(r: RecipeVersion): string[] {
  return r.requirements.map((q) =>
    [q.role, q.request, q.components.length ? `[${q.components.join(',')}]` : '', q.source, q.variants ? `{${q.variants.join(',')}}` : '', q.include === 'IfAlreadyPresent' ? 'soft' : '', q.fromBuildEnv !== undefined ? `pin=${q.fromBuildEnv}` : '', q.stage ?? '']
      .filter((x) => x !== '')
      .join(' '),
  );
}

describe('requirements of corpus recipes (checked by hand against the recipe text)', () => {
  const table: Array<{ file: string; version: string; variants?: number; expect: string[]; provides?: string[]; tests?: string[]; remote?: string[]; paths?: string[] }> = [
    {
      // 4 variants override gcc/python/boost-python/imath; `python.abi` is a var; imath `2.4` overrides `~3.1.0`
      file: 'packages/alembic/alembic.spk.yaml',
      version: '1.8.2+r.3',
      variants: 4,
      expect: [
        'build stdfs [build] build.options {0,1,2,3}',
        'build gcc/6.3 [build] build.options {0,1}',
        'build python/~2.7.0 [build] build.options {0}',
        'build boost-python/~1.70.0 [build] build.options {0,1}',
        'build imath/2.4 [build] build.options {0,1,2}',
        'build cmake/^3.13 [build] build.options {0,1,2,3}',
        'build python/~3.7.0 [build] build.options {1,2,3}',
        'build gcc/9.3 [build] build.options {2,3}',
        'build boost-python/~1.73.0 [build] build.options {2,3}',
        'build imath/~3.1.0 [build] build.options {3}',
        'runtime stdfs install.requirements',
        'runtime gcc install.requirements pin=x.x',
        'runtime boost-python install.requirements pin=x.x',
        'soft python install.requirements soft pin=x.x',
        'runtime imath install.requirements pin=x.x',
      ],
      tests: ['build'],
    },
    {
      file: 'packages/boost/boost-python.spk.yaml',
      version: '1.73.0',
      variants: 4,
      expect: [
        'build stdfs [build] build.options {0,1,2,3}',
        'build gcc/6.3 [build] build.options {0,1}',
        'build python/2.7 [build] build.options {0,2}',
        'build python/3.7 [build] build.options {1,3}',
        'build gcc/9.3 [build] build.options {2,3}',
        'runtime stdfs install.requirements',
        'runtime gcc install.requirements pin=x.x',
        'soft python install.requirements soft pin=x.x',
      ],
    },
    {
      // `default:` on pkg options
      file: 'packages/gnu/mpc.spk.yaml',
      version: '1.1.0',
      expect: [
        'build stdfs [build] build.options {0}',
        'build gmp/>=5 [build] build.options {0}',
        'build mpfr/>=4.1 [build] build.options {0}',
        'build make [build] build.options {0}',
        'runtime stdfs install.requirements',
        'runtime mpfr install.requirements pin=x.x',
      ],
      remote: ['http://ftpmirror.gnu.org/gnu/mpc/mpc-1.1.0.tar.gz'],
      paths: [],
    },
    {
      // a single variant `{python: 3.7}` overrides `pkg: python/3`
      file: 'packages/opentimelineio/opentimelineio.spk.yaml',
      version: '0.14.1',
      expect: [
        'build python-pip [build] build.options {0}',
        'build python/3.7 [build] build.options {0}',
        'build gcc [build] build.options {0}',
        'build cmake/~3.18 [build] build.options {0}',
        'runtime python install.requirements pin=Binary',
      ],
      remote: ['https://github.com/AcademySoftwareFoundation/OpenTimelineIO.git@v0.14.1'],
    },
    {
      // templated; variant gcc 6.3 overrides `pkg: gcc`; zlib/1.2 as written; components without requirements
      file: 'packages/python/python3.spk.yaml',
      version: '3.7.3',
      expect: [
        'build gcc/6.3 [build] build.options {0}',
        'build stdfs [build] build.options {0}',
        'build bzip2 [build] build.options {0}',
        'build ncurses [build] build.options {0}',
        'build binutils [build] build.options {0}',
        'build libffi [build] build.options {0}',
        'build openssl [build] build.options {0}',
        'build zlib/1.2 [build] build.options {0}',
        'runtime binutils install.requirements pin=Binary',
        'soft gcc install.requirements soft pin=Binary',
        'runtime stdfs install.requirements',
        'runtime libffi install.requirements',
        'runtime ncurses install.requirements',
        'runtime bzip2 install.requirements pin=Binary',
        'runtime zlib install.requirements pin=Binary',
        'runtime openssl install.requirements pin=Binary',
      ],
      tests: ['install', 'install'],
      remote: ['https://github.com/python/cpython@v3.7.3'],
    },
    {
      file: 'packages/imath/imath.spk.yaml',
      version: '3.1.3',
      variants: 3,
      expect: [
        'build stdfs [build] build.options {0,1,2}',
        'build gcc/6.3 [build] build.options {0,1}',
        'build python/~2.7.0 [build] build.options {0}',
        'build numpy [build] build.options {0,1,2}',
        'build cmake/~3.13 [build] build.options {0,1,2}',
        'build boost-python/~1.70.0 [build] build.options {0,1}',
        'build python/~3.7.0 [build] build.options {1,2}',
        'build gcc/9.3 [build] build.options {2}',
        'build boost-python/~1.73.0 [build] build.options {2}',
        'runtime stdfs install.requirements',
        'runtime gcc install.requirements pin=x.x',
        'runtime boost-python install.requirements pin=x.x',
        'soft python install.requirements soft pin=x.x',
        'soft numpy install.requirements soft pin=x.x',
      ],
    },
    {
      // var option with `default: on` + two gcc variants
      file: 'packages/pugixml/pugixml.spk.yaml',
      version: '1.11.4',
      variants: 2,
      expect: [
        'build stdfs [build] build.options {0,1}',
        'build gcc/6.3 [build] build.options {0}',
        'build cmake/^3.13 [build] build.options {0,1}',
        'build gcc/9.3 [build] build.options {1}',
        'runtime stdfs install.requirements',
        'runtime gcc install.requirements pin=x.x',
      ],
      paths: ['packages/pugixml'],
    },
    {
      // self build dependency (recursive build)
      file: 'packages/gettext/gettext.spk.yaml',
      version: '0.21',
      expect: ['autoconf', 'automake/>=1.16.1', 'gettext', 'autopoint', 'pkg-config', 'texinfo', 'gcc', 'make'].map((r) => `build ${r} [build] build.options {0}`),
      tests: ['build'],
    },
    {
      file: 'packages/openssl/openssl.spk.yaml',
      version: '1.1.1+r.13',
      expect: ['build stdfs [build] build.options {0}', 'build gcc/6.3 [build] build.options {0}', 'runtime stdfs install.requirements', 'runtime gcc install.requirements pin=x.x'],
    },
    {
      file: 'packages/pip/pip.spk.yaml',
      version: '22.0.4',
      expect: ['build python [build] build.options {0}', 'runtime python install.requirements pin=x.x'],
      tests: ['install'],
    },
    {
      file: 'packages/stdfs/stdfs.spk.yaml',
      version: '1.1.0',
      expect: [],
    },
    {
      // install.embedded → provides
      file: 'docs-packages/maya2019.spk.yaml',
      version: '2019.0.0',
      expect: [],
      provides: ['qt/5.12.6'],
    },
    {
      file: 'docs-packages/my-plugin.spk.yaml',
      version: '1.0.0',
      expect: ['build maya/2019 [build] build.options {0}', 'runtime maya install.requirements pin=true'],
    },
  ];
  for (const row of table) {
    const root = treeWith(row.file);
    test(row.file, { skip: !root && 'no given tree holds this recipe' }, () => {
      const abs = path.join(root!, row.file);
      const r = loadRecipeFile(abs, [], { workspaceRoot: root!, hostOptions: HOST, env: {} });
      assert.deepEqual(r.problems, []);
      assert.equal(r.recipeVersions.length, 1);
      const rv = r.recipeVersions[0];
      assert.ok(rv.version.equals(row.version), `${rv.version} != ${row.version}`);
      assert.deepEqual(summary(rv), row.expect);
      if (row.variants !== undefined) assert.equal(rv.variants.length, row.variants);
      if (row.provides) assert.deepEqual(rv.provides.map((p) => `${p.name}/${p.version}`), row.provides);
      if (row.tests) assert.deepEqual(rv.tests.map((t) => t.stage), row.tests);
      if (row.remote) assert.deepEqual(rv.sources.remote, row.remote);
      if (row.paths) assert.deepEqual(rv.sources.paths, row.paths);
    });
  }
});
