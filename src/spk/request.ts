/**
 * spk requests: the `RangeIdent` text (`[repo/]name[:comp|:{a,b}][/range[/build]]`), package and
 * var request objects as written in recipes, request merging and `fromBuildEnv` rendering.
 *
 * Mirrors `crates/spk-schema/crates/foundation/src/ident/parsing/request.rs`,
 * `ident_ops/parsing/mod.rs` (repository-prefix disambiguation), `ident_component/` (components),
 * `ident_build/parsing/build.rs` (build part), `ident/range_ident.rs` (display, restrict) and
 * `ident/pinnable_request.rs` (YAML keys, `restrict`, `contains`, `render_pin`).
 */
import { Compat } from './compat';
import { SpkError, errorAbout, withErrorKind, type SpkErrorKind } from './errors';
import { isPkgNameChar, isValidPkgName, scanComponentNameAt, scanPkgNameAt, validateOptName } from './name';
import { RequiredCompat, VersionRange, parseVersionFilter, scanVersionRangeAt } from './range';
import { Version, parseVersion } from './version';

export interface RangeIdent {
  repositoryName?: string;
  name: string;
  /** Requested components, sorted as spk does (all, build, run, src, then named ones). */
  components: string[];
  /** Rules as written (not simplified); empty range = any version. */
  version: VersionRange;
  /** The range text exactly as written ('' when absent). */
  versionText: string;
  /** `src`, `embedded[...]` or an 8-character base32 build digest. */
  build?: string;
}

export type PrereleasePolicy = 'ExcludeAll' | 'IncludeAll';
export type InclusionPolicy = 'Always' | 'IfAlreadyPresent';

export interface PkgRequest {
  kind: 'pkg';
  pkg: RangeIdent;
  /** Absent behaves like ExcludeAll but loses against an explicit IncludeAll when merging. */
  prereleasePolicy?: PrereleasePolicy;
  include: InclusionPolicy;
  /** Pin template (`x.x`, `Binary`, `API:x.x`, ...) or `true` (= `Binary`). */
  fromBuildEnv?: string | boolean;
  ifPresentInBuildEnv?: boolean;
}

export interface VarRequest {
  kind: 'var';
  name: string;
  /** Requested value; undefined when it comes from the build environment. */
  value?: string;
  fromBuildEnv?: boolean;
  ifPresentInBuildEnv?: boolean;
  description?: string;
}

export type Request = PkgRequest | VarRequest;

/** Repository names recognised as a prefix even when ambiguous (spk always knows `local`). */
export const DEFAULT_KNOWN_REPOSITORIES: readonly string[] = Object.freeze(['local']);

const COMPONENT_ORDER: Record<string, number> = { all: 0, build: 1, run: 2, src: 3 };

/** spk `Component` order: the built-ins first, then named components alphabetically. */
export function sortComponents(components: Iterable<string>): string[] {
  return [...new Set(components)].sort((a, b) => {
    const ra = COMPONENT_ORDER[a] ?? 4;
    const rb = COMPONENT_ORDER[b] ?? 4;
    if (ra !== rb) return ra - rb;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

// ------------------------------------------------------------------------------------------
// RangeIdent parsing

/** Scans `name[:comp|:{a,b}]`; soft failure (-1) if no name, hard error on bad components. */
function scanNameAndComponents(s: string, i: number): { name: string; components: string[]; end: number } | undefined {
  const nameEnd = scanPkgNameAt(s, i);
  if (nameEnd < 0) return undefined;
  const name = s.slice(i, nameEnd);
  let j = nameEnd;
  const components: string[] = [];
  if (s[j] === ':') {
    j++;
    if (s[j] === '{') {
      j++;
      for (;;) {
        const e = scanComponentNameAt(s, j);
        if (e < 0) throw new SpkError('request', 'expected a component name', { input: s, position: j });
        components.push(s.slice(j, e));
        j = e;
        if (s[j] === ',') {
          j++;
          continue;
        }
        if (s[j] !== '}') throw new SpkError('request', "expected ',' or '}' in component list", { input: s, position: j });
        j++;
        break;
      }
    } else {
      const e = scanComponentNameAt(s, j);
      if (e < 0) throw new SpkError('request', 'expected a component name', { input: s, position: j });
      components.push(s.slice(j, e));
      j = e;
    }
  }
  return { name, components: sortComponents(components), end: j };
}

function isBase32(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'));
}

/** spk `build`: `src` | `embedded[...]` | 8 base32 chars. Returns end or -1. */
function scanBuild(s: string, i: number): number {
  if (s.startsWith('src', i)) return i + 3;
  if (s.startsWith('embedded', i)) {
    let j = i + 8;
    if (s[j] === '[') {
      // Embedded source package ident; we only need to find its end.
      const close = s.indexOf(']', j);
      if (close < 0) return -1;
      j = close + 1;
    }
    return j;
  }
  for (let k = 0; k < 8; k++) if (!isBase32(s[i + k])) return -1;
  return i + 8;
}

/** Tries `range` then optional `/build` at `i`; returns end or -1 (never throws). */
function tryVersionAndBuild(s: string, i: number): { end: number; hasBuild: boolean } | undefined {
  try {
    const { end } = scanVersionRangeAt(s, i);
    if (s[end] === '/') {
      const b = scanBuild(s, end + 1);
      if (b < 0) return undefined;
      return { end: b, hasBuild: true };
    }
    return { end, hasBuild: false };
  } catch (e) {
    if (e instanceof SpkError) return undefined;
    throw e;
  }
}

function atIdentEnd(s: string, i: number): boolean {
  return i >= s.length || s[i] === ']' || s[i] === ',';
}

/**
 * spk `repo_name_in_ident`: `x/` is a repository prefix if `x` is a known repository and a bare
 * name follows, or if what follows is a package name that could not itself be read as a
 * version (`222/333` is name 222 + version 333, `111/222/333` is repo 111).
 */
function scanRepoPrefix(s: string, known: readonly string[]): number {
  const slash = s.indexOf('/');
  if (slash > 0) {
    const candidate = s.slice(0, slash);
    if (known.includes(candidate)) {
      let j = slash + 1;
      const start = j;
      while (isPkgNameChar(s[j])) j++;
      if (j > start && (j >= s.length || s[j] === ']')) return slash + 1;
    }
  }
  let r = 0;
  while (isPkgNameChar(s[r])) r++;
  if (r === 0 || s[r] !== '/') return 0;
  const rest = r + 1;
  let ident: ReturnType<typeof scanNameAndComponents>;
  try {
    ident = scanNameAndComponents(s, rest);
  } catch (e) {
    if (e instanceof SpkError) return 0;
    throw e;
  }
  if (!ident) return 0;
  // Note: spk runs these checks on the text *starting at the name*, not after it.
  try {
    const { end } = scanVersionRangeAt(s, rest);
    if (atIdentEnd(s, end)) return 0; // could be a version
  } catch (e) {
    if (!(e instanceof SpkError)) throw e;
  }
  const vb = tryVersionAndBuild(s, rest);
  if (vb && vb.hasBuild && atIdentEnd(s, vb.end)) return 0; // could be a build
  return rest;
}

/**
 * Request texts repeat: a templated recipe is read once per listed version (spk renders and
 * parses it per version), and a studio writes the same requests in many recipes. Parsing is
 * pure, so each distinct text (with the default repositories) is parsed once per process and
 * the result shared; shared results are frozen, so a caller that needs another shape copies.
 * Bounded: cleared when full (a long-lived Nx daemon worker sees edits come and go).
 */
const parsedRangeIdents = new Map<string, RangeIdent>();
const PARSED_RANGE_IDENTS_MAX = 65_536;

/**
 * Parses a request ident such as `python:{lib,bin}/~3.7/src` or `local/hello`.
 * Throws SpkError kind 'request' with the position of the problem. With the default
 * repositories the result is frozen: it is shared with every caller that parses the same text.
 */
export function parseRangeIdent(input: string, knownRepositories: readonly string[] = DEFAULT_KNOWN_REPOSITORIES): Readonly<RangeIdent> {
  if (knownRepositories !== DEFAULT_KNOWN_REPOSITORIES) return scanRangeIdent(input, knownRepositories);
  const hit = parsedRangeIdents.get(input);
  if (hit !== undefined) return hit;
  const parsed = scanRangeIdent(input, knownRepositories);
  Object.freeze(parsed.components);
  Object.freeze(parsed);
  if (parsedRangeIdents.size >= PARSED_RANGE_IDENTS_MAX) parsedRangeIdents.clear();
  parsedRangeIdents.set(input, parsed);
  return parsed;
}

function scanRangeIdent(input: string, knownRepositories: readonly string[]): RangeIdent {
  if (typeof input !== 'string') {
    throw new SpkError('request', `expected a request string, got ${typeof input}`, { input: String(input) });
  }
  const s = input;
  const repoEnd = scanRepoPrefix(s, knownRepositories);
  const repositoryName = repoEnd > 0 ? s.slice(0, repoEnd - 1) : undefined;
  const ident = scanNameAndComponents(s, repoEnd);
  if (!ident) {
    throw new SpkError('request', 'expected a package name ([a-z0-9-]{2,64}, not starting with "-")', {
      input,
      position: repoEnd,
    });
  }
  let i = ident.end;
  let version = VersionRange.empty();
  let versionText = '';
  let build: string | undefined;
  if (s[i] === '/') {
    const start = i + 1;
    let scanned: { range: VersionRange; end: number };
    try {
      scanned = scanVersionRangeAt(s, start, input);
    } catch (e) {
      if (e instanceof SpkError) throw new SpkError('request', e.reason, { input, position: e.position, cause: e });
      throw e;
    }
    version = scanned.range;
    versionText = s.slice(start, scanned.end);
    i = scanned.end;
    if (s[i] === '/') {
      const b = scanBuild(s, i + 1);
      if (b < 0) throw new SpkError('request', 'expected a build (src, embedded or an 8-character build id)', { input, position: i + 1 });
      build = s.slice(i + 1, b);
      i = b;
    }
  }
  if (i !== s.length) {
    throw new SpkError('request', `unexpected ${JSON.stringify(s[i])}`, { input, position: i });
  }
  const out: RangeIdent = { name: ident.name, components: ident.components, version, versionText };
  if (repositoryName !== undefined) out.repositoryName = repositoryName;
  if (build !== undefined) out.build = build;
  return out;
}

function formatComponents(components: readonly string[]): string {
  const sorted = sortComponents(components);
  if (sorted.length === 0) return '';
  if (sorted.length === 1) return `:${sorted[0]}`;
  return `:{${sorted.join(',')}}`;
}

/** spk `Display for RangeIdent` (ranges shown in spk's normalized form). */
export function formatRangeIdent(r: RangeIdent): string {
  let s = r.repositoryName ? `${r.repositoryName}/` : '';
  s += r.name + formatComponents(r.components);
  if (!r.version.isEmpty()) s += `/${r.version}`;
  if (r.build) s += `/${r.build}`;
  return s;
}

// ------------------------------------------------------------------------------------------
// Request objects (YAML mappings)

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v;
}

function reqError(reason: string, input: unknown): SpkError {
  return errorAbout('request', reason, input);
}

/** `prereleasePolicy:` of a request or a pkg option (`PreReleasePolicy`: ExcludeAll | IncludeAll). */
export function readPrereleasePolicy(v: unknown, whole: unknown, kind: SpkErrorKind): PrereleasePolicy {
  if (v !== 'ExcludeAll' && v !== 'IncludeAll') {
    throw errorAbout(kind, `invalid prereleasePolicy ${JSON.stringify(v)} (expected ExcludeAll or IncludeAll)`, whole);
  }
  return v;
}

/**
 * `var: name[/value]` of a request or a var option: split at the first '/' (spk's docs say
 * `name=value`; its code uses '/'), the name validated as an option name; errors are `kind`.
 */
export function parseVarText(text: string, kind: SpkErrorKind): { name: string; value?: string } {
  const slash = text.indexOf('/');
  const name = slash < 0 ? text : text.slice(0, slash);
  withErrorKind(kind, text, () => validateOptName(name));
  return slash < 0 ? { name } : { name, value: text.slice(slash + 1) };
}

function scalarString(value: unknown, key: string, whole: unknown): string {
  if (typeof value === 'string') return value;
  // serde_yaml would reject non-strings here; numbers/bools are accepted leniently because YAML
  // authors write `value: 3` and mean the string.
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw reqError(`'${key}' must be a string, got ${describe(value)}`, whole);
}

function parseBoolish(value: unknown, key: string, whole: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const l = value.toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
  }
  throw reqError(`invalid value for ${key}: ${String(value)} (expected true or false)`, whole);
}

/**
 * Parses a request: a string is package request text; an object is a recipe request mapping
 * (`pkg`/`var`, `prereleasePolicy`, `include`, `fromBuildEnv`, `ifPresentInBuildEnv`, `value`,
 * `description`). Keys are matched case-insensitively and unknown keys ignored, as spk does.
 * Note: spk's docs mention `inclusionPolicy`, but only `include` is read (so is it here).
 */
export function parseRequest(
  input: string | Record<string, unknown>,
  knownRepositories: readonly string[] = DEFAULT_KNOWN_REPOSITORIES,
): PkgRequest | VarRequest {
  if (typeof input === 'string') {
    return { kind: 'pkg', pkg: parseRangeIdent(input, knownRepositories), include: 'Always' };
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw reqError(`a request must be a mapping with 'pkg' or 'var', got ${describe(input)}`, input);
  }
  let pkg: string | undefined;
  let varText: string | undefined;
  let value: string | undefined;
  let description: string | undefined;
  let prereleasePolicy: PrereleasePolicy | undefined;
  let include: InclusionPolicy | undefined;
  let fromBuildEnv: string | boolean | undefined;
  let ifPresentInBuildEnv: boolean | undefined;
  let suppress = false;
  for (const [rawKey, v] of Object.entries(input)) {
    switch (rawKey.toLowerCase()) {
      case 'pkg':
        pkg = scalarString(v, 'pkg', input);
        break;
      case 'var':
        varText = scalarString(v, 'var', input);
        break;
      case 'value':
        value = scalarString(v, 'value', input);
        break;
      case 'description':
        description = scalarString(v, 'description', input);
        break;
      case 'prereleasepolicy':
        prereleasePolicy = readPrereleasePolicy(v, input, 'request');
        break;
      case 'include':
        if (v !== 'Always' && v !== 'IfAlreadyPresent') {
          throw reqError(`invalid include ${JSON.stringify(v)} (expected Always or IfAlreadyPresent)`, input);
        }
        include = v;
        break;
      case 'frombuildenv':
        if (typeof v === 'boolean') fromBuildEnv = v;
        else if (typeof v === 'string') fromBuildEnv = v;
        else throw reqError(`fromBuildEnv must be a string or boolean, got ${describe(v)}`, input);
        break;
      case 'ifpresentinbuildenv':
        ifPresentInBuildEnv = parseBoolish(v, 'ifPresentInBuildEnv', input);
        break;
      case 'suppress':
        suppress = true;
        break;
      default:
        // spk ignores unknown keys (forward compatibility).
        break;
    }
  }
  // `fromBuildEnv: false` is the same as not giving it.
  const pinned = fromBuildEnv !== undefined && fromBuildEnv !== false;
  if (pkg !== undefined && varText !== undefined) {
    throw reqError('could not determine request type, it may only contain one of the `pkg` or `var` fields', input);
  }
  if (pkg !== undefined) {
    const text = pkg;
    const ident: RangeIdent = withErrorKind('request', text, () => parseRangeIdent(text, knownRepositories));
    if (pinned && !ident.version.isEmpty()) {
      throw reqError(
        `request for \`${ident.name}\` cannot specify a value \`/${ident.versionText}\` when \`fromBuildEnv\` is specified`,
        input,
      );
    }
    const out: PkgRequest = { kind: 'pkg', pkg: ident, include: include ?? 'Always' };
    if (prereleasePolicy !== undefined) out.prereleasePolicy = prereleasePolicy;
    if (pinned) out.fromBuildEnv = fromBuildEnv;
    if (ifPresentInBuildEnv !== undefined) out.ifPresentInBuildEnv = ifPresentInBuildEnv;
    return out;
  }
  if (varText !== undefined) {
    const parsed = parseVarText(varText, 'request');
    const name = parsed.name;
    if (parsed.value !== undefined) value = parsed.value;
    const out: VarRequest = { kind: 'var', name };
    if (description !== undefined) out.description = description;
    if (suppress) {
      // HEAD-only `suppress:` form; it names a var without requesting a value.
      return out;
    }
    if (typeof fromBuildEnv === 'string') {
      throw reqError(`\`fromBuildEnv\` for var request \`${name}\` must be a boolean, found \`${fromBuildEnv}\``, input);
    }
    if (pinned && value !== undefined) {
      throw reqError(`request for \`${name}\` cannot specify a value \`/${value}\` when \`fromBuildEnv\` is true`, input);
    }
    if (!pinned && value === undefined) {
      throw reqError(
        `request for \`${name}\` must specify a value (eg: ${name}/<value>) when \`fromBuildEnv\` is false or omitted`,
        input,
      );
    }
    if (pinned) out.fromBuildEnv = true;
    else out.value = value;
    if (ifPresentInBuildEnv !== undefined) out.ifPresentInBuildEnv = ifPresentInBuildEnv;
    return out;
  }
  throw reqError('could not determine request type, it must include either a `pkg` or `var` field', input);
}

// ------------------------------------------------------------------------------------------
// Merging and matching

/** spk `PkgRequest::restrict` prerelease rule: ExcludeAll beats IncludeAll; absent loses to either. */
export function mergePrereleasePolicy(a?: PrereleasePolicy, b?: PrereleasePolicy): PrereleasePolicy | undefined {
  if (a !== undefined && b !== undefined) return a === 'ExcludeAll' || b === 'ExcludeAll' ? 'ExcludeAll' : 'IncludeAll';
  return a ?? b;
}

/** spk `PkgRequest::contains` prerelease rule: can `a` stand in for `b`'s policy? */
export function prereleasePolicyContains(a?: PrereleasePolicy, b?: PrereleasePolicy): boolean {
  const rank = (p?: PrereleasePolicy) => (p === undefined ? 0 : p === 'ExcludeAll' ? 1 : 2);
  if (rank(a) <= rank(b)) return true;
  // Some(ExcludeAll) vs None behave the same.
  return a === 'ExcludeAll' && b === undefined;
}

/**
 * spk `PkgRequest::contains`: every package satisfying `b` also satisfies `a` (ranges,
 * prerelease and inclusion policies).
 */
export function requestContains(a: PkgRequest, b: PkgRequest): boolean {
  if (a.pkg.name !== b.pkg.name) return false;
  if (!a.pkg.version.contains(b.pkg.version)) return false;
  if (!prereleasePolicyContains(a.prereleasePolicy, b.prereleasePolicy)) return false;
  // Always < IfAlreadyPresent; a stricter (IfAlreadyPresent) a does not contain an Always b.
  return !(a.include === 'IfAlreadyPresent' && b.include === 'Always');
}

/**
 * spk `PkgRequest::restrict`: merge two requests for the same package. Ranges are intersected
 * (throws SpkError kind 'request' if they cannot be) unless both are `IfAlreadyPresent`, in which
 * case non-intersecting ranges are simply concatenated. Components are united; the stricter
 * prerelease policy and the stronger inclusion (`Always`) win.
 */
export function restrictRequests(a: PkgRequest, b: PkgRequest): PkgRequest {
  if (a.pkg.name !== b.pkg.name) {
    throw new SpkError('request', `cannot merge requests for different packages: ${a.pkg.name} and ${b.pkg.name}`, {
      input: `${formatRangeIdent(a.pkg)} + ${formatRangeIdent(b.pkg)}`,
    });
  }
  const ra = a.pkg.repositoryName;
  const rb = b.pkg.repositoryName;
  if (ra !== undefined && rb !== undefined && ra !== rb) {
    throw new SpkError('request', `package ${a.pkg.name} requested from two repositories: ${ra} and ${rb}`, {
      input: `${formatRangeIdent(a.pkg)} + ${formatRangeIdent(b.pkg)}`,
    });
  }
  if (a.pkg.build !== undefined && b.pkg.build !== undefined && a.pkg.build !== b.pkg.build) {
    throw new SpkError('request', `package ${a.pkg.name} requested with two builds: ${a.pkg.build} and ${b.pkg.build}`, {
      input: `${formatRangeIdent(a.pkg)} + ${formatRangeIdent(b.pkg)}`,
    });
  }
  const include: InclusionPolicy = a.include === 'Always' || b.include === 'Always' ? 'Always' : 'IfAlreadyPresent';
  let version: VersionRange;
  try {
    version = a.pkg.version.restrict(b.pkg.version, include === 'IfAlreadyPresent');
  } catch (e) {
    if (e instanceof SpkError) {
      throw new SpkError('request', `conflicting requests for ${a.pkg.name}: ${e.reason}`, {
        input: `${formatRangeIdent(a.pkg)} + ${formatRangeIdent(b.pkg)}`,
        cause: e,
      });
    }
    throw e;
  }
  const pkg: RangeIdent = {
    name: a.pkg.name,
    components: sortComponents([...a.pkg.components, ...b.pkg.components]),
    version,
    versionText: version.toString(),
  };
  const repositoryName = ra ?? rb;
  if (repositoryName !== undefined) pkg.repositoryName = repositoryName;
  const build = a.pkg.build ?? b.pkg.build;
  if (build !== undefined) pkg.build = build;
  const out: PkgRequest = { kind: 'pkg', pkg, include };
  const pre = mergePrereleasePolicy(a.prereleasePolicy, b.prereleasePolicy);
  if (pre !== undefined) out.prereleasePolicy = pre;
  if (a.fromBuildEnv !== undefined) out.fromBuildEnv = a.fromBuildEnv;
  if (a.ifPresentInBuildEnv !== undefined) out.ifPresentInBuildEnv = a.ifPresentInBuildEnv;
  return out;
}

/**
 * Why `version` (with its package `compat`) is not allowed by `req`, or undefined if it is.
 * spk `is_version_applicable` + `check_satisfies_request`: a pre-release candidate never matches
 * unless the request says `IncludeAll`, whatever the range.
 */
export function explainRequestMismatch(
  req: PkgRequest,
  version: string | Version,
  compat?: string | Compat,
  requiredCompat: RequiredCompat = 'Binary',
): string | undefined {
  const v = parseVersion(version);
  if (req.prereleasePolicy !== 'IncludeAll' && v.isPrerelease()) {
    return `prereleases not allowed (${v})`;
  }
  return req.pkg.version.checkSatisfiedBy(v, compat, requiredCompat);
}

export function isVersionAllowedByRequest(
  req: PkgRequest,
  version: string | Version,
  compat?: string | Compat,
  requiredCompat: RequiredCompat = 'Binary',
): boolean {
  return explainRequestMismatch(req, version, compat, requiredCompat) === undefined;
}

/**
 * spk `render_pin`: the range text a `fromBuildEnv` template produces for the version found in
 * the build environment. `true`/`Binary`/`API` give `Binary:`/`API:` + the full base; otherwise
 * `x` → next version part (0 past the end), `v` → base, `V` → full version, `X` after `-`/`+` →
 * the pre/post tags; anything else is copied. Trailing `-`/`+` are dropped.
 */
export function renderFromBuildEnvText(pin: string | boolean, buildEnvVersion: string | Version): string {
  const version = parseVersion(buildEnvVersion);
  const template = pin === true ? 'Binary' : pin;
  if (template === false) {
    throw new SpkError('request', 'request has no fromBuildEnv pin to be rendered', { input: 'false' });
  }
  if (template === 'API' || template === 'Binary') return `${template}:${version.base}`;
  let mode: 'base' | 'pre' | 'post' = 'base';
  let partIndex = 0;
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === 'x' && mode === 'base') {
      out += String(version.parts[partIndex++] ?? 0);
    } else if (c === 'x') {
      throw new SpkError('request', `'x' in ${mode === 'pre' ? 'pre' : 'post'}-release position not supported; try 'X' instead`, {
        input: template,
        position: i,
      });
    } else if (c === 'X' && mode === 'pre') {
      out += version.pre.toString();
    } else if (c === 'X' && mode === 'post') {
      out += version.post.toString();
    } else if (c === 'v' && mode === 'base') {
      out += version.base;
    } else if (c === 'V' && mode === 'base') {
      out += version.toString();
    } else {
      if (c === '-') mode = 'pre';
      else if (c === '+') mode = 'post';
      out += c;
    }
  }
  while (out.endsWith('+') || out.endsWith('-')) out = out.slice(0, -1);
  return out;
}

/** Renders `req.fromBuildEnv` against the build-env version: a copy with the pinned range, no pin. */
export function renderFromBuildEnv(req: PkgRequest, buildEnvVersion: string | Version): PkgRequest {
  if (req.fromBuildEnv === undefined || req.fromBuildEnv === false) {
    throw new SpkError('request', `request for ${req.pkg.name} has no fromBuildEnv pin to be rendered`, {
      input: formatRangeIdent(req.pkg),
    });
  }
  const text = renderFromBuildEnvText(req.fromBuildEnv, buildEnvVersion);
  let version: VersionRange;
  try {
    version = parseVersionFilter(text);
  } catch (e) {
    if (e instanceof SpkError) {
      throw new SpkError('request', `fromBuildEnv ${JSON.stringify(req.fromBuildEnv)} rendered an invalid range: ${e.reason}`, {
        input: text,
        position: e.position,
        cause: e,
      });
    }
    throw e;
  }
  const out: PkgRequest = { ...req, pkg: { ...req.pkg, version, versionText: text } };
  delete out.fromBuildEnv;
  return out;
}

/** Text form of a package request's ident (what `spk` shows). */
export function formatPkgRequest(req: PkgRequest): string {
  return formatRangeIdent(req.pkg);
}

/** True if `s` is a valid package name (re-exported convenience for request consumers). */
export { isValidPkgName };
