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

describe('parseRangeIdent', () => {
  test('name, components, range as written, build', () => {
    const r = parseRangeIdent('python:{run,lib}/~3.7,!=3.7.2/src');
    assert.equal(r.name, 'python');
    assert.deepEqual(r.components, ['run', 'lib']);
    assert.equal(r.versionText, '~3.7,!=3.7.2');
    assert.equal(r.build, 'src');
    assert.equal(formatRangeIdent(r), 'python:{run,lib}/!=3.7.2,~3.7/src');
  });

  test('repository prefixes: local, configured remotes, or unambiguous names', () => {
    assert.equal(parseRangeIdent('local/python').repositoryName, 'local');
    // `python` cannot be read as a version, so `origin/` must be a repository (spk does the same).
    assert.equal(parseRangeIdent('origin/python').repositoryName, 'origin');
    assert.equal(parseRangeIdent('local/1.0').repositoryName, undefined);
    assert.equal(parseRangeIdent('origin/python/3').repositoryName, 'origin');
    assert.equal(parseRangeIdent('gcc/10').repositoryName, undefined);
  });

  test('errors name the position', () => {
    const cases: Array<[string, number]> = [
      ['Python', 0],
      ['python/', 7],
      ['python/3.7/bad', 11],
      ['python:{lib', 11],
      ['python 3', 6],
    ];
    for (const [input, position] of cases) {
      assert.throws(
        () => parseRangeIdent(input),
        (e: unknown) => e instanceof SpkError && e.kind === 'request' && e.position === position,
        input,
      );
    }
  });
});

describe('parseRequest', () => {
  test('pkg mapping with case-insensitive keys, unknown keys ignored', () => {
    const r = parseRequest({ PKG: 'gcc/9', PrereleasePolicy: 'IncludeAll', include: 'IfAlreadyPresent', whatever: 1 }) as PkgRequest;
    assert.equal(r.kind, 'pkg');
    assert.equal(r.pkg.versionText, '9');
    assert.equal(r.prereleasePolicy, 'IncludeAll');
    assert.equal(r.include, 'IfAlreadyPresent');
  });

  test('inclusionPolicy (docs spelling) is ignored like spk does', () => {
    const r = parseRequest({ pkg: 'gcc', inclusionPolicy: 'IfAlreadyPresent' }) as PkgRequest;
    assert.equal(r.include, 'Always');
  });

  test('fromBuildEnv with a version is an error; without, it is kept', () => {
    assert.throws(() => parseRequest({ pkg: 'gcc/9', fromBuildEnv: 'x.x' }), SpkError);
    const r = parseRequest({ pkg: 'gcc', fromBuildEnv: 'x.x' }) as PkgRequest;
    assert.equal(r.fromBuildEnv, 'x.x');
    assert.equal((parseRequest({ pkg: 'gcc/9', fromBuildEnv: false }) as PkgRequest).fromBuildEnv, undefined);
  });

  test('var requests split name/value at the first slash', () => {
    const v = parseRequest({ var: 'python.abi/cp37/m' }) as VarRequest;
    assert.deepEqual(v, { kind: 'var', name: 'python.abi', value: 'cp37/m' });
    assert.equal((parseRequest({ var: 'abi', fromBuildEnv: true }) as VarRequest).fromBuildEnv, true);
    assert.throws(() => parseRequest({ var: 'abi' }), SpkError);
    assert.throws(() => parseRequest({ var: 'abi/1', fromBuildEnv: true }), SpkError);
    assert.throws(() => parseRequest({ pkg: 'a-b', var: 'x/1' }), SpkError);
    assert.throws(() => parseRequest({}), SpkError);
    assert.throws(() => parseRequest({ pkg: 'gcc', include: 'Sometimes' }), SpkError);
  });
});

describe('merging and matching', () => {
  const req = (o: Record<string, unknown>) => parseRequest(o) as PkgRequest;

  test('restrict unions components, keeps stricter policies', () => {
    const m = restrictRequests(req({ pkg: 'python:lib/>=3' }), req({ pkg: 'python:bin/<4', prereleasePolicy: 'IncludeAll' }));
    assert.equal(formatRangeIdent(m.pkg), 'python:{bin,lib}/<4.0.0,>=3.0.0');
    assert.equal(m.prereleasePolicy, 'IncludeAll');
    assert.throws(() => restrictRequests(req({ pkg: 'python/=3' }), req({ pkg: 'gcc/=3' })), SpkError);
    assert.throws(() => restrictRequests(req({ pkg: 'python/=3' }), req({ pkg: 'python/=4' })), SpkError);
  });

  test('prerelease policy gates candidates before the range', () => {
    assert.ok(!isVersionAllowedByRequest(req({ pkg: 'gcc' }), '9.0.0-rc.1'));
    assert.ok(isVersionAllowedByRequest(req({ pkg: 'gcc', prereleasePolicy: 'IncludeAll' }), '9.0.0-rc.1'));
    assert.match(explainRequestMismatch(req({ pkg: 'gcc/9' }), '10.0') ?? '', /not compatible/);
    assert.ok(isVersionAllowedByRequest(req({ pkg: 'gcc/9' }), '10.0', 'x.a.b', 'Binary') === false);
    assert.ok(isVersionAllowedByRequest(req({ pkg: 'gcc/9' }), '9.4', 'x.a.b'));
  });

  test('contains', () => {
    assert.ok(requestContains(req({ pkg: 'gcc/>=9' }), req({ pkg: 'gcc/=9.4' })));
    assert.ok(!requestContains(req({ pkg: 'gcc/>=9', include: 'IfAlreadyPresent' }), req({ pkg: 'gcc/=9.4' })));
  });

  test('renderFromBuildEnv replaces the pin with the rendered range', () => {
    const r = renderFromBuildEnv(req({ pkg: 'python:run', fromBuildEnv: 'x.x' }), '3.7.12');
    assert.equal(formatRangeIdent(r.pkg), 'python:run/3.7.0');
    assert.equal(r.pkg.versionText, '3.7');
    assert.equal(r.fromBuildEnv, undefined);
    assert.throws(() => renderFromBuildEnv(req({ pkg: 'python' }), '3.7'), SpkError);
    assert.throws(() => renderFromBuildEnv(req({ pkg: 'python', fromBuildEnv: 'true' }), '3.7'), SpkError);
  });
});
