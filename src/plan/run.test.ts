import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { findMatchingProjects } from '@nx/devkit/internal';
import { sampleGraph } from './fixture.test';
import { affectedArgs, findWorkspaceRoot, parseNxProjectList, runPlan, type AffectedOptions, type PlanIo } from './run';
import type { RepoScope } from './status';

interface FakeIoOptions {
  spk?: boolean;
  repo?: Partial<Record<RepoScope, Record<string, string[]>>>;
  failFor?: string[];
  affected?: string[] | Error;
}

function fakeIo(o: FakeIoOptions = {}) {
  const calls: string[] = [];
  const affectedCalls: AffectedOptions[] = [];
  const nx = sampleGraph();
  const io: PlanIo = {
    loadGraph: async () => ({ graph: nx, problems: [] }),
    matcher: (g) => (p) => findMatchingProjects([...p], g.nodes),
    affected: async (opts) => {
      affectedCalls.push(opts);
      if (o.affected instanceof Error) throw o.affected;
      return o.affected ?? [];
    },
    spk: async () =>
      o.spk === false
        ? { unavailable: "spk binary not found: looked for 'spk' (from PATH)" }
        : {
            bin: '/fake/spk',
            version: '0.44.0',
            list: async (name, scope) => {
              calls.push(`${scope}:${name}`);
              if (o.failFor?.includes(name)) throw new Error(`spk ls ${name} failed (exit 1): no`);
              return o.repo?.[scope]?.[name] ?? [];
            },
          },
  };
  return { io, calls, affectedCalls };
}

describe('runPlan', () => {
  test('one origin + one local call per package name of the plan, then only the missing external names', async () => {
    const f = fakeIo({ repo: { origin: { zlib: ['1.2.13'] } } });
    const { plan } = await runPlan({ selection: { mode: 'up-to', patterns: ['curl@8.0.0'] } }, f.io);
    // curl, openssl, zlib for status; externals of the two to build (openssl, curl): gcc, perl, cmake.
    assert.deepEqual(f.calls.slice(0, 6).sort(), ['local:curl', 'local:openssl', 'local:zlib', 'origin:curl', 'origin:openssl', 'origin:zlib']);
    assert.deepEqual(f.calls.slice(6).sort(), ['local:cmake', 'local:gcc', 'local:perl', 'origin:cmake', 'origin:gcc', 'origin:perl']);
    assert.deepEqual(plan.waves, [['openssl@3.0.0'], ['curl@8.0.0']]);
    assert.equal(plan.spk.available, true);
    assert.equal(plan.spk.version, '0.44.0');
  });

  test('versions of one package cost one call per scope, not one per version', async () => {
    const f = fakeIo();
    await runPlan({ selection: { mode: 'projects', patterns: ['tool'] } }, f.io);
    assert.deepEqual(f.calls.sort(), ['local:tool', 'origin:tool']);
  });

  test('without spk: statuses unknown, one problem, no calls', async () => {
    const f = fakeIo({ spk: false });
    const { plan, nothingMatched } = await runPlan({ selection: { mode: 'all' } }, f.io);
    assert.equal(nothingMatched, false);
    assert.ok(plan.projects.every((p) => p.status === 'unknown'));
    assert.deepEqual(plan.problems.map((p) => p.kind), ['spk-unavailable']);
    assert.match(plan.problems[0].message, /every status is 'unknown'/);
    assert.equal(plan.spk.available, false);
    assert.equal(plan.waves.flat().length, 9);
  });

  test('spk failing for one package name: the rest of the plan is intact', async () => {
    const f = fakeIo({ failFor: ['openssl'], repo: { origin: { zlib: ['1.2.13'] } } });
    const { plan } = await runPlan({ selection: { mode: 'up-to', patterns: ['curl@8.0.0'] } }, f.io);
    const st = Object.fromEntries(plan.projects.map((p) => [p.name, p.status]));
    assert.deepEqual(st, { 'openssl@3.0.0': 'error', 'curl@8.0.0': 'build', 'zlib@1.2.13': 'published' });
    assert.equal(plan.problems.filter((p) => p.kind === 'spk-failed').length, 1);
  });

  test('affected: options go to Nx, its answer selects', async () => {
    const f = fakeIo({ affected: ['left@1.0.0', 'docs'] });
    const { plan, affectedFailed } = await runPlan({ selection: { mode: 'affected', base: 'main', head: 'HEAD', files: ['a.yaml'] } }, f.io);
    assert.equal(affectedFailed, false);
    assert.deepEqual(f.affectedCalls, [{ base: 'main', head: 'HEAD', files: ['a.yaml'] }]);
    assert.deepEqual(plan.projects.map((p) => [p.name, p.reasons]), [
      ['base@1.0.0', [{ kind: 'dependency', of: 'left@1.0.0' }]],
      ['left@1.0.0', [{ kind: 'affected' }]],
    ]);
  });

  test('affected failing: reported, empty plan, affectedFailed', async () => {
    const f = fakeIo({ affected: new Error('no git') });
    const { plan, nothingMatched, affectedFailed } = await runPlan({ selection: { mode: 'affected' } }, f.io);
    assert.equal(plan.projects.length, 0);
    assert.equal(nothingMatched, false);
    assert.equal(affectedFailed, true);
    assert.match(plan.problems[0].message, /cannot compute the affected projects: no git/);
  });

  test('unknown patterns only: nothingMatched', async () => {
    const f = fakeIo();
    const r = await runPlan({ selection: { mode: 'up-to', patterns: ['ghost@1'] } }, f.io);
    assert.equal(r.nothingMatched, true);
    assert.deepEqual(f.calls, []);
  });
});

describe('helpers', () => {
  test('affectedArgs', () => {
    assert.deepEqual(affectedArgs({}), ['show', 'projects', '--affected', '--json']);
    assert.deepEqual(affectedArgs({ base: '-x', head: 'HEAD', files: ['a', 'b'], uncommitted: true, untracked: true }), [
      'show', 'projects', '--affected', '--json', '--base=-x', '--head=HEAD', '--files=a,b', '--uncommitted', '--untracked',
    ]);
  });

  test('parseNxProjectList: plain, after noise, invalid', () => {
    assert.deepEqual(parseNxProjectList('["a","b@1"]\n'), ['a', 'b@1']);
    assert.deepEqual(parseNxProjectList('NX warning\n[]\n'), []);
    assert.throws(() => parseNxProjectList('oops'), /unexpected output/);
  });

  test('findWorkspaceRoot walks up to nx.json', () => {
    const root = path.resolve('/ws');
    const exists = (p: string) => p === path.join(root, 'nx.json');
    assert.equal(findWorkspaceRoot(path.join(root, 'a', 'b'), exists), root);
    assert.equal(findWorkspaceRoot(path.resolve('/elsewhere'), exists), undefined);
  });
});

describe('broken recipes in the plan', () => {
  test('a project carrying a load error, and a placeholder, are broken-recipe problems', async () => {
    const f = fakeIo();
    const nx = sampleGraph();
    const curl = nx.nodes['curl@8.0.0'].data.metadata as { spk: Record<string, unknown> };
    curl.spk = { ...curl.spk, loadError: { recipe: 'recipes/curl/curl.spk.yaml', line: 7, message: 'install.requirements[0]: bad request' } };
    nx.nodes['broken-recipe/recipes/junk.spk.yaml'] = {
      name: 'broken-recipe/recipes/junk.spk.yaml',
      type: 'lib',
      data: {
        root: '.nx-spk/.broken/recipes/junk.spk.yaml',
        tags: ['spk', 'spk:broken'],
        metadata: { spkBrokenRecipe: { recipe: 'recipes/junk.spk.yaml', message: 'invalid yaml', spkWorkspace: '.' } },
      } as never,
    };
    const { plan } = await runPlan({ selection: { mode: 'all' } }, { ...f.io, loadGraph: async () => ({ graph: nx, problems: [] }) });
    const broken = plan.problems.filter((p) => p.kind === 'broken-recipe');
    assert.deepEqual(broken.map((p) => p.subject), ['broken-recipe/recipes/junk.spk.yaml', 'curl@8.0.0']);
    assert.match(broken[1].message, /^recipes\/curl\/curl\.spk\.yaml:7 failed to load \(curl@8\.0\.0\): install\.requirements\[0\]: bad request/);
    assert.ok(plan.projects.some((p) => p.name === 'curl@8.0.0'), 'a named broken project is still planned');
  });
});
