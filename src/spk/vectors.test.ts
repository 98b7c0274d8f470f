/**
 * Runs every spk behaviour vector of the version-model kinds from
 * test-support/data/spk-version-vectors.json (transcribed from spk's Rust tests, e.g.
 * crates/spk-schema/crates/foundation/src/version/version_test.rs; the file's "groups" names the
 * spk source of each kind), one subtest each.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SpkError } from './errors';
import { TagSet, Version, parseVersion } from './version';
import { parseCompat } from './compat';
import { parseVersionFilter, parseVersionRange } from './range';
import { isValidOptName, isValidPkgName, splitOptNamespace } from './name';
import {
  PkgRequest,
  formatRangeIdent,
  mergePrereleasePolicy,
  parseRangeIdent,
  parseRequest,
  prereleasePolicyContains,
  renderFromBuildEnv,
  restrictRequests,
} from './request';
import { PkgOption, VarOption, parseBuildOption } from './option';
import { repoRoot } from '../../test-support/testing/repo-root';

interface Vector {
  id: string;
  kind: string;
  [key: string]: unknown;
}


const VECTORS_FILE = path.join(repoRoot(), 'test-support', 'data', 'spk-version-vectors.json');
const vectors: Vector[] = JSON.parse(fs.readFileSync(VECTORS_FILE, 'utf8')).vectors;

/** Kind prefixes this test is responsible for; every vector of these kinds must be handled. */
const OWNED_PREFIXES = ['version.', 'tagset.', 'range.', 'compat.', 'name.', 'range_ident.', 'ident.', 'request.', 'option.'];

/**
 * Vectors we are convinced are wrong (or describe behaviour we deliberately do not copy).
 * Each stays in the table: the test asserts that our behaviour DOES differ, so a fix shows up.
 */
const KNOWN_DIVERGENCES: Record<string, string> = {};

function str(v: unknown): string {
  assert.equal(typeof v, 'string');
  return v as string;
}

function tagSetOf(text: string): TagSet {
  return text === '' ? TagSet.EMPTY : parseVersion(`0-${text}`).pre;
}

function yamlObject(text: string): Record<string, unknown> {
  const v = parseYaml(text);
  assert.ok(v && typeof v === 'object', `vector input ${text} is a mapping`);
  return v as Record<string, unknown>;
}

function sameRange(actual: string, expected: string): void {
  assert.equal(actual, parseVersionFilter(expected).toString());
}

function pkgReq(text: string): PkgRequest {
  const r = parseRequest(yamlObject(text));
  assert.equal(r.kind, 'pkg');
  return r as PkgRequest;
}

const handlers: Record<string, (v: Vector) => void> = {
  'version.parse': (v) => {
    if (v.ok === false) {
      assert.throws(() => parseVersion(str(v.input)), SpkError);
      return;
    }
    const parsed = parseVersion(str(v.input));
    assert.deepEqual([...parsed.parts], v.parts);
    assert.deepEqual(parsed.pre.toObject(), v.pre);
    assert.deepEqual(parsed.post.toObject(), v.post);
  },
  'version.compare': (v) => {
    const c = parseVersion(str(v.a)).compare(parseVersion(str(v.b)));
    const result = v.op === '>' ? c > 0 : v.op === '<' ? c < 0 : c === 0;
    assert.equal(result, v.expected);
  },
  'tagset.compare': (v) => {
    const c = TagSet.compare(tagSetOf(str(v.a)), tagSetOf(str(v.b)));
    assert.equal(c, { Less: -1, Equal: 0, Greater: 1 }[str(v.expected)]);
  },
  'range.bounds': (v) => {
    const r = parseVersionRange(str(v.range));
    assert.equal(r.greaterOrEqualTo()?.withEpsilon(0).toString(), v.greater_or_equal_to);
    const lt = r.lessThan();
    assert.equal(lt?.withEpsilon(0).toString(), v.less_than);
    const eps = lt?.epsilon === -1 ? 'minus' : lt?.epsilon === 1 ? 'plus' : null;
    assert.equal(eps, v.less_than_epsilon);
  },
  'range.parse': (v) => {
    if (v.ok) parseVersionRange(str(v.range));
    else assert.throws(() => parseVersionRange(str(v.range)), SpkError);
  },
  'range.is_applicable': (v) => {
    assert.equal(parseVersionRange(str(v.range)).isApplicable(str(v.version)), v.expected);
  },
  'range.is_satisfied_by': (v) => {
    const r = parseVersionRange(str(v.range));
    const ok = r.isSatisfiedBy(str(v.package_version), str(v.package_compat), v.required_compat as 'API' | 'Binary');
    assert.equal(ok, v.expected);
  },
  'range.intersects': (v) => {
    const a = parseVersionRange(str(v.a));
    const b = parseVersionRange(str(v.b));
    assert.equal(a.intersects(b), v.expected);
    if (v.symmetric) assert.equal(b.intersects(a), v.expected);
  },
  'range.contains': (v) => {
    assert.equal(parseVersionRange(str(v.a)).contains(parseVersionRange(str(v.b))), v.expected);
  },
  'range.simplify': (v) => {
    const input = str(v.input);
    const expected = v.expected === null ? parseVersionFilter(input).toString() : parseVersionFilter(str(v.expected)).toString();
    assert.equal(parseVersionRange(input).toString(), expected);
  },
  'range.equivalence': (v) => {
    // The documented equivalence is checked on bounds (ε aside, see the vector note).
    const r = parseVersionRange(str(v.range));
    const e = parseVersionFilter(str(v.equivalent));
    assert.equal(r.greaterOrEqualTo()?.toString(), e.greaterOrEqualTo()?.toString());
    assert.equal(r.lessThan()?.withEpsilon(0).toString(), e.lessThan()?.toString());
  },
  'compat.is_api_compatible': (v) => {
    assert.equal(parseCompat(str(v.compat)).isApiCompatible(str(v.base), str(v.other)), v.expected);
  },
  'compat.is_binary_compatible': (v) => {
    assert.equal(parseCompat(str(v.compat)).isBinaryCompatible(str(v.base), str(v.other)), v.expected);
  },
  'compat.render': (v) => {
    assert.equal(parseCompat(str(v.compat)).render(str(v.version)), v.expected);
  },
  'request.fromBuildEnv.render': (v) => {
    // `true` in the vectors is the YAML boolean (`fromBuildEnv: true`).
    const pin = v.fromBuildEnv === 'true' ? true : str(v.fromBuildEnv);
    const req: PkgRequest = { kind: 'pkg', pkg: parseRangeIdent('pkg-name'), include: 'Always', fromBuildEnv: pin };
    if (v.error) {
      assert.throws(() => renderFromBuildEnv(req, str(v.build_env_version)), SpkError);
      return;
    }
    const rendered = renderFromBuildEnv(req, str(v.build_env_version));
    assert.equal(rendered.fromBuildEnv, undefined);
    sameRange(rendered.pkg.version.toString(), str(v.rendered_range));
  },
  'range_ident.parse': (v) => {
    const r = parseRangeIdent(str(v.input));
    assert.equal(r.repositoryName ?? null, v.repository_name);
    assert.equal(r.name, v.name);
    assert.equal(r.versionText, v.version_range);
    assert.equal(r.build ?? null, v.build);
    const kind = str(v.version_range_kind);
    if (kind === 'any') assert.ok(r.version.isEmpty());
    else if (kind.startsWith('compat')) {
      assert.equal(r.version.rules.length, 1);
      assert.equal(r.version.rules[0].kind, 'compat');
    } else assert.fail(`unhandled version_range_kind ${kind}`);
  },
  'range_ident.components': (v) => {
    if (!v.ok) {
      assert.throws(() => parseRangeIdent(str(v.input)), SpkError);
      return;
    }
    assert.deepEqual(parseRangeIdent(str(v.input)).components, v.components);
  },
  'range_ident.restrict_components': (v) => {
    const a = parseRequest(str(v.a)) as PkgRequest;
    const b = parseRequest(str(v.b)) as PkgRequest;
    assert.deepEqual(restrictRequests(a, b).pkg.components, v.merged_components);
  },
  'ident.roundtrip': (v) => {
    assert.equal(formatRangeIdent(parseRangeIdent(str(v.input))), v.to_string);
  },
  'name.pkg_valid': (v) => {
    assert.equal(isValidPkgName(str(v.input)), v.valid);
  },
  'name.opt_valid': (v) => {
    assert.equal(isValidOptName(str(v.input)), v.valid);
  },
  'name.opt_namespace': (v) => {
    assert.deepEqual(splitOptNamespace(str(v.input)), { namespace: v.namespace, baseName: v.base_name });
  },
  'request.prereleasePolicy.restrict': (v) => {
    const p = (x: unknown) => (x === null ? undefined : (x as 'ExcludeAll' | 'IncludeAll'));
    assert.equal(mergePrereleasePolicy(p(v.a), p(v.b)) ?? null, v.merged);
    // Same through whole requests.
    const mk = (x: unknown): PkgRequest => ({ ...(parseRequest('something') as PkgRequest), ...(x === null ? {} : { prereleasePolicy: p(x) }) });
    assert.equal(restrictRequests(mk(v.a), mk(v.b)).prereleasePolicy ?? null, v.merged);
  },
  'request.prereleasePolicy.contains': (v) => {
    const p = (x: unknown) => (x === null ? undefined : (x as 'ExcludeAll' | 'IncludeAll'));
    assert.equal(prereleasePolicyContains(p(v.a), p(v.b)), v.compatible);
  },
  'request.include.restrict': (v) => {
    const a = pkgReq(str(v.a));
    const b = pkgReq(str(v.b));
    if ('merged_version' in v && v.merged_version === null) {
      assert.throws(() => restrictRequests(a, b), SpkError);
      return;
    }
    const merged = restrictRequests(a, b);
    assert.equal(merged.include, v.merged_include);
    if ('merged_version' in v) sameRange(merged.pkg.version.toString(), str(v.merged_version));
  },
  'request.restrict': (v) => {
    const merged = restrictRequests(pkgReq(str(v.a)), pkgReq(str(v.b)));
    sameRange(merged.pkg.version.toString(), str(v.merged_version));
  },
  'option.pkg.set_value': (v) => {
    const opt = parseBuildOption(yamlObject(str(v.option)));
    assert.ok(opt instanceof PkgOption);
    if (v.error) assert.throws(() => opt.validateValue(str(v.value)), SpkError);
    else assert.equal(opt.validateValue(str(v.value)), v.value);
  },
  'option.var.set_value': (v) => {
    const opt = parseBuildOption(yamlObject(str(v.option)));
    assert.ok(opt instanceof VarOption);
    if (v.error) assert.throws(() => opt.validateValue(str(v.value)), SpkError);
    else assert.equal(opt.validateValue(str(v.value)), v.value);
  },
  'option.var.value': (v) => {
    const opt = parseBuildOption(yamlObject(str(v.option)));
    assert.ok(opt instanceof VarOption);
    assert.equal(opt.value, v.value);
  },
};

const owned = vectors.filter((v) => OWNED_PREFIXES.some((p) => v.kind.startsWith(p)));

describe('spk behaviour vectors', () => {
  test('every owned vector kind has a handler', () => {
    const missing = [...new Set(owned.map((v) => v.kind))].filter((k) => !(k in handlers));
    assert.deepEqual(missing, []);
    assert.ok(owned.length > 200, `expected the full vector table, got ${owned.length}`);
  });

  test('every known divergence names an existing vector', () => {
    for (const id of Object.keys(KNOWN_DIVERGENCES)) assert.ok(owned.some((v) => v.id === id), id);
  });

  for (const v of owned) {
    const handler = handlers[v.kind];
    if (!handler) continue;
    const divergence = KNOWN_DIVERGENCES[v.id];
    test(`${v.id} ${v.kind}${divergence ? ' (known divergence)' : ''}`, () => {
      if (divergence) {
        assert.throws(() => handler(v), `expected known divergence (${divergence}) to still differ`);
      } else {
        handler(v);
      }
    });
  }
});

// Keep the import used even if no test references Version directly.
void Version;
