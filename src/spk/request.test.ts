import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SpkError } from './errors';
import {
  PkgRequest,
  VarRequest,
  explainRequestMismatch,
  formatRangeIdent,
  isVersionAllowedByRequest,
  parseRangeIdent,
  parseRequest,
  renderFromBuildEnv,
  requestContains,
  restrictRequests,
} from './request';

// One case per row (spk's rstest `#[case]` style), so a failure names its case.
type Row = { name: string; got: () => unknown; want: unknown };
const req = (o: Record<string, unknown>) => parseRequest(o) as PkgRequest;
const throwsSpk = (f: () => unknown) => () => assert.throws(f, SpkError);

describe('parseRangeIdent', () => {
  const full = () => parseRangeIdent('python:{run,lib}/~3.7,!=3.7.2/src');
  const CASES: Row[] = [
    { name: 'name', got: () => full().name, want: 'python' },
    { name: 'components', got: () => full().components, want: ['run', 'lib'] },
    { name: 'range as written', got: () => full().versionText, want: '~3.7,!=3.7.2' },
    { name: 'build', got: () => full().build, want: 'src' },
    { name: 'display', got: () => formatRangeIdent(full()), want: 'python:{run,lib}/!=3.7.2,~3.7/src' },
    { name: 'repository: local', got: () => parseRangeIdent('local/python').repositoryName, want: 'local' },
    // `python` cannot be read as a version, so `origin/` must be a repository (spk does the same).
    { name: 'repository: a name after a name', got: () => parseRangeIdent('origin/python').repositoryName, want: 'origin' },
    { name: 'repository: local/1.0 is a package and version', got: () => parseRangeIdent('local/1.0').repositoryName, want: undefined },
    { name: 'repository: three parts', got: () => parseRangeIdent('origin/python/3').repositoryName, want: 'origin' },
    { name: 'repository: none in gcc/10', got: () => parseRangeIdent('gcc/10').repositoryName, want: undefined },
  ];
  for (const c of CASES) test(c.name, () => assert.deepEqual(c.got(), c.want));

  const ERRORS: Array<{ name: string; input: string; position: number }> = [
    { name: 'upper-case name', input: 'Python', position: 0 },
    { name: 'empty version', input: 'python/', position: 7 },
    { name: 'bad build', input: 'python/3.7/bad', position: 11 },
    { name: 'unclosed component set', input: 'python:{lib', position: 11 },
    { name: 'space', input: 'python 3', position: 6 },
  ];
  for (const c of ERRORS) {
    test(`error names the position: ${c.name} ${JSON.stringify(c.input)}`, () =>
      assert.throws(() => parseRangeIdent(c.input), (e: unknown) => e instanceof SpkError && e.kind === 'request' && e.position === c.position));
  }
});

describe('parseRangeIdent: each distinct text is parsed once and shared', () => {
  test('the same text gives the same (frozen) result', () => {
    const a = parseRangeIdent('memo-pkg:{run,lib}/~1.2');
    assert.equal(parseRangeIdent('memo-pkg:{run,lib}/~1.2'), a);
    assert.ok(Object.isFrozen(a) && Object.isFrozen(a.components));
    assert.throws(() => (a.components as string[]).push('src'), TypeError);
  });
  test('other repositories are parsed afresh (the text reads differently)', () => {
    const shared = parseRangeIdent('studio/memo-pkg');
    const known = parseRangeIdent('studio/memo-pkg', ['local', 'studio']);
    assert.deepEqual([shared.repositoryName, shared.name], ['studio', 'memo-pkg']);
    assert.notEqual(known, shared);
    assert.ok(!Object.isFrozen(known));
  });
  test('a failure is not remembered as a success', () => {
    assert.throws(() => parseRangeIdent('memo-pkg/'), SpkError);
    assert.throws(() => parseRangeIdent('memo-pkg/'), SpkError);
  });
});

describe('parseRequest', () => {
  const mixed = () => req({ PKG: 'gcc/9', PrereleasePolicy: 'IncludeAll', include: 'IfAlreadyPresent', whatever: 1 });
  const CASES: Row[] = [
    { name: 'case-insensitive pkg key: kind', got: () => mixed().kind, want: 'pkg' },
    { name: 'case-insensitive pkg key: range', got: () => mixed().pkg.versionText, want: '9' },
    { name: 'case-insensitive prereleasePolicy key', got: () => mixed().prereleasePolicy, want: 'IncludeAll' },
    { name: 'include (unknown keys ignored)', got: () => mixed().include, want: 'IfAlreadyPresent' },
    { name: 'inclusionPolicy (docs spelling) is ignored like spk does', got: () => req({ pkg: 'gcc', inclusionPolicy: 'IfAlreadyPresent' }).include, want: 'Always' },
    { name: 'fromBuildEnv without a version is kept', got: () => req({ pkg: 'gcc', fromBuildEnv: 'x.x' }).fromBuildEnv, want: 'x.x' },
    { name: 'fromBuildEnv: false is no pin', got: () => req({ pkg: 'gcc/9', fromBuildEnv: false }).fromBuildEnv, want: undefined },
    { name: 'var requests split name/value at the first slash', got: () => parseRequest({ var: 'python.abi/cp37/m' }) as VarRequest, want: { kind: 'var', name: 'python.abi', value: 'cp37/m' } },
    { name: 'var fromBuildEnv without a value', got: () => (parseRequest({ var: 'abi', fromBuildEnv: true }) as VarRequest).fromBuildEnv, want: true },
  ];
  for (const c of CASES) test(c.name, () => assert.deepEqual(c.got(), c.want));

  const ERRORS: Array<{ name: string; input: Record<string, unknown> }> = [
    { name: 'fromBuildEnv with a version', input: { pkg: 'gcc/9', fromBuildEnv: 'x.x' } },
    { name: 'var without a value', input: { var: 'abi' } },
    { name: 'var with a value and fromBuildEnv', input: { var: 'abi/1', fromBuildEnv: true } },
    { name: 'both pkg and var', input: { pkg: 'a-b', var: 'x/1' } },
    { name: 'neither pkg nor var', input: {} },
    { name: 'unknown include policy', input: { pkg: 'gcc', include: 'Sometimes' } },
  ];
  for (const c of ERRORS) test(`refused: ${c.name}`, throwsSpk(() => parseRequest(c.input)));
});

describe('merging and matching', () => {
  const merged = () => restrictRequests(req({ pkg: 'python:lib/>=3' }), req({ pkg: 'python:bin/<4', prereleasePolicy: 'IncludeAll' }));
  const pinned = () => renderFromBuildEnv(req({ pkg: 'python:run', fromBuildEnv: 'x.x' }), '3.7.12');
  const CASES: Row[] = [
    { name: 'restrict unions components and ranges', got: () => formatRangeIdent(merged().pkg), want: 'python:{bin,lib}/<4.0.0,>=3.0.0' },
    { name: 'restrict keeps the stricter prerelease policy', got: () => merged().prereleasePolicy, want: 'IncludeAll' },
    { name: 'prerelease policy gates candidates before the range', got: () => isVersionAllowedByRequest(req({ pkg: 'gcc' }), '9.0.0-rc.1'), want: false },
    { name: 'IncludeAll lets a pre-release through', got: () => isVersionAllowedByRequest(req({ pkg: 'gcc', prereleasePolicy: 'IncludeAll' }), '9.0.0-rc.1'), want: true },
    { name: 'Binary compat refuses another major', got: () => isVersionAllowedByRequest(req({ pkg: 'gcc/9' }), '10.0', 'x.a.b', 'Binary'), want: false },
    { name: 'compatible minor allowed', got: () => isVersionAllowedByRequest(req({ pkg: 'gcc/9' }), '9.4', 'x.a.b'), want: true },
    { name: 'contains a narrower request', got: () => requestContains(req({ pkg: 'gcc/>=9' }), req({ pkg: 'gcc/=9.4' })), want: true },
    { name: 'IfAlreadyPresent does not contain an Always request', got: () => requestContains(req({ pkg: 'gcc/>=9', include: 'IfAlreadyPresent' }), req({ pkg: 'gcc/=9.4' })), want: false },
    { name: 'renderFromBuildEnv replaces the pin with the rendered range', got: () => formatRangeIdent(pinned().pkg), want: 'python:run/3.7.0' },
    { name: 'renderFromBuildEnv range as written', got: () => pinned().pkg.versionText, want: '3.7' },
    { name: 'renderFromBuildEnv clears the pin', got: () => pinned().fromBuildEnv, want: undefined },
  ];
  for (const c of CASES) test(c.name, () => assert.deepEqual(c.got(), c.want));

  test('explainRequestMismatch says why', () => assert.match(explainRequestMismatch(req({ pkg: 'gcc/9' }), '10.0') ?? '', /not compatible/));

  const ERRORS: Array<{ name: string; f: () => unknown }> = [
    { name: 'restrict of two packages', f: () => restrictRequests(req({ pkg: 'python/=3' }), req({ pkg: 'gcc/=3' })) },
    { name: 'restrict of disjoint ranges', f: () => restrictRequests(req({ pkg: 'python/=3' }), req({ pkg: 'python/=4' })) },
    { name: 'renderFromBuildEnv without a pin', f: () => renderFromBuildEnv(req({ pkg: 'python' }), '3.7') },
    { name: 'renderFromBuildEnv with pin "true" (not a compat)', f: () => renderFromBuildEnv(req({ pkg: 'python', fromBuildEnv: 'true' }), '3.7') },
  ];
  for (const c of ERRORS) test(`refused: ${c.name}`, throwsSpk(c.f));
});
