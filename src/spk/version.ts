/**
 * spk versions: `N(.N)*[-tag.N(,tag.N)*][+tag.N(,tag.N)*]`.
 *
 * Mirrors `crates/spk-schema/crates/foundation/src/version/mod.rs` (Version, TagSet, ordering,
 * display) and `version/parsing/version.rs` (the nom parser used inside ranges and idents).
 *
 * Two parsers exist in spk and both are mirrored here because they differ at the edges:
 * - `parseVersion` = `parse_version` / `Version::from_str` (split-based; used for recipe
 *   `pkg: name/1.2.3`, workspace versions, template filters). It accepts `""` (→ 0.0.0), a
 *   dangling `-`/`+` (empty tag set) and purely numeric tag names.
 * - `scanVersionAt` = the nom `version` parser used inside version ranges and request idents.
 *   Tag names must contain a letter there (that is how `1.0-a.1,2.0` splits into two rules),
 *   and a tag must be followed by `,` `/` `+` `]` or the end.
 */
import { SpkError } from './errors';

/** spk's u32 version/tag numbers. */
const U32_MAX = 4294967295;

/**
 * Internal "epsilon" of a version used only for range bounds (spk `Epsilon`):
 * `-1` sorts just below every version with the same numeric parts (`1.3-ε` < `1.3.0-pre.0`),
 * `+1` just above all of them (`1.3+ε` > `1.3.0+r.9`). Parsed versions always have `0`.
 */
export type Epsilon = -1 | 0 | 1;

function cmpNum(a: number, b: number): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpStr(a: string, b: string): -1 | 0 | 1 {
  // Tag names are ASCII, so UTF-16 order == Rust's byte order for `String`.
  return a < b ? -1 : a > b ? 1 : 0;
}

function isAsciiAlnum(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

function isAsciiAlpha(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Parses a run of ASCII digits as spk's u32 (Rust `str::parse::<u32>`); undefined on overflow/empty. */
function parseU32(digits: string): number | undefined {
  if (digits.length === 0) return undefined;
  for (const c of digits) if (!isDigit(c)) return undefined;
  const trimmed = digits.replace(/^0+(?=\d)/, '');
  if (trimmed.length > 10) return undefined;
  const n = Number(trimmed);
  return n <= U32_MAX ? n : undefined;
}

/**
 * A set of pre- or post-release tags (`alpha.1,rc.2`): unique names → u32 numbers,
 * kept sorted by name like spk's `BTreeMap`.
 */
export class TagSet {
  /** name → number, iterated in name order. */
  readonly entries: ReadonlyMap<string, number>;

  static readonly EMPTY = new TagSet();

  constructor(entries?: Iterable<readonly [string, number]> | Readonly<Record<string, number>>) {
    const list: Array<[string, number]> = [];
    if (entries !== undefined) {
      const iter: Iterable<readonly [string, number]> =
        Symbol.iterator in (entries as object)
          ? (entries as Iterable<readonly [string, number]>)
          : Object.entries(entries as Record<string, number>);
      for (const [k, v] of iter) list.push([k, v]);
    }
    list.sort((a, b) => cmpStr(a[0], b[0]));
    this.entries = new Map(list);
  }

  get size(): number {
    return this.entries.size;
  }

  isEmpty(): boolean {
    return this.entries.size === 0;
  }

  get(name: string): number | undefined {
    return this.entries.get(name);
  }

  /** Plain object form (`{alpha: 1}`), handy for JSON and template data. */
  toObject(): Record<string, number> {
    return Object.fromEntries(this.entries);
  }

  /** `name.num` entries joined with `,`, sorted by name (spk `Display for TagSet`). */
  toString(): string {
    return [...this.entries].map(([n, v]) => `${n}.${v}`).join(',');
  }

  equals(other: TagSet): boolean {
    if (this.entries.size !== other.entries.size) return false;
    for (const [n, v] of this.entries) if (other.entries.get(n) !== v) return false;
    return true;
  }

  /**
   * Raw `TagSet::cmp`: entries pairwise by (name, number), then by count. So the empty set
   * is the smallest. (Inside a `Version` an empty *pre* set sorts after a non-empty one; that
   * rule lives in `Version.compare`, not here.)
   */
  static compare(a: TagSet, b: TagSet): -1 | 0 | 1 {
    const ea = [...a.entries];
    const eb = [...b.entries];
    const n = Math.min(ea.length, eb.length);
    for (let i = 0; i < n; i++) {
      const c = cmpStr(ea[i][0], eb[i][0]) || cmpNum(ea[i][1], eb[i][1]);
      if (c !== 0) return c;
    }
    return cmpNum(ea.length, eb.length);
  }

  /**
   * spk `parse_tag_set` (split-based, used by `parseVersion`): `""` → empty; each segment must be
   * `<alnum name>.<u32>`; duplicate names rejected. `offset` shifts reported positions.
   */
  static parse(text: string, offset = 0, whole = text): TagSet {
    if (text === '') return TagSet.EMPTY;
    const entries: Array<[string, number]> = [];
    const seen = new Set<string>();
    let pos = offset;
    for (const segment of text.split(',')) {
      const dot = segment.indexOf('.');
      const name = dot < 0 ? segment : segment.slice(0, dot);
      const num = dot < 0 ? '' : segment.slice(dot + 1);
      if (name === '' || num === '') {
        throw new SpkError('version', `version tag segment must be of the form <name>.<int>, got [${segment}]`, {
          input: whole,
          position: pos,
        });
      }
      if (seen.has(name)) {
        throw new SpkError('version', `duplicate tag: ${name}`, { input: whole, position: pos });
      }
      for (let i = 0; i < name.length; i++) {
        if (!isAsciiAlnum(name[i])) {
          throw new SpkError('version', `invalid release tag name ${JSON.stringify(name)}`, {
            input: whole,
            position: pos + i,
          });
        }
      }
      const value = parseU32(num);
      if (value === undefined) {
        throw new SpkError('version', `version tag segment must be of the form <name>.<int>, got [${segment}]`, {
          input: whole,
          position: pos + dot + 1,
        });
      }
      seen.add(name);
      entries.push([name, value]);
      pos += segment.length + 1;
    }
    return new TagSet(entries);
  }
}

/** An spk version. Immutable. */
export class Version {
  /** Numeric parts exactly as written (`1.2` → `[1, 2]`; may be empty for `parseVersion('')`). */
  readonly parts: readonly number[];
  readonly pre: TagSet;
  readonly post: TagSet;
  /** Internal range-bound marker, see `Epsilon`. 0 for every parsed version. */
  readonly epsilon: Epsilon;

  constructor(parts: readonly number[], pre: TagSet = TagSet.EMPTY, post: TagSet = TagSet.EMPTY, epsilon: Epsilon = 0) {
    this.parts = Object.freeze([...parts]);
    this.pre = pre;
    this.post = post;
    this.epsilon = epsilon;
  }

  static readonly MINIMUM_PARTS_FOR_DISPLAY = 3;

  get major(): number {
    return this.parts[0] ?? 0;
  }
  get minor(): number {
    return this.parts[1] ?? 0;
  }
  get patch(): number {
    return this.parts[2] ?? 0;
  }

  /** Same version with the epsilon marker set (spk `minus_epsilon` / `plus_epsilon`). */
  withEpsilon(epsilon: Epsilon): Version {
    return new Version(this.parts, this.pre, this.post, epsilon);
  }
  minusEpsilon(): Version {
    return this.withEpsilon(-1);
  }
  plusEpsilon(): Version {
    return this.withEpsilon(1);
  }
  withTags(pre: TagSet, post: TagSet): Version {
    return new Version(this.parts, pre, post, this.epsilon);
  }

  /** Base (numeric parts) padded to 3 parts, no tags: spk `base_normalized` without the ε marker. */
  get base(): string {
    return padded(this.parts).join('.');
  }

  isPrerelease(): boolean {
    return !this.pre.isEmpty();
  }

  /** True when there are no tags and every part is 0 (spk `is_zero`). */
  isZero(): boolean {
    return this.pre.isEmpty() && this.post.isEmpty() && this.parts.every((p) => p === 0);
  }

  private tagsText(): string {
    let s = '';
    if (!this.pre.isEmpty()) s += `-${this.pre}`;
    if (!this.post.isEmpty()) s += `+${this.post}`;
    return s;
  }

  private epsilonText(): string {
    return this.epsilon === 1 ? '+ε' : this.epsilon === -1 ? '-ε' : '';
  }

  /** Canonical display (`{}`): parts padded to 3, more kept (`1` → `1.0.0`, `1.2.3.4` stays). */
  toString(): string {
    return padded(this.parts).join('.') + this.epsilonText() + this.tagsText();
  }

  /** Written-precision form (`{:#}`, also the serialized form): `1.2` stays `1.2`. */
  toAltString(): string {
    const base = this.parts.length === 0 ? '0' : this.parts.join('.');
    return base + this.epsilonText() + this.tagsText();
  }

  /** Equality as spk: trailing zero parts ignored, epsilon/pre/post must match exactly. */
  equals(other: Version | string): boolean {
    const o = typeof other === 'string' ? parseVersion(other) : other;
    return (
      this.epsilon === o.epsilon && partsEqual(this.parts, o.parts) && this.pre.equals(o.pre) && this.post.equals(o.post)
    );
  }

  /** spk `impl Ord for Version`: parts (missing = 0), epsilon, pre (none > some), post. */
  compare(other: Version | string): -1 | 0 | 1 {
    const o = typeof other === 'string' ? parseVersion(other) : other;
    const n = Math.max(this.parts.length, o.parts.length);
    for (let i = 0; i < n; i++) {
      const c = cmpNum(this.parts[i] ?? 0, o.parts[i] ?? 0);
      if (c !== 0) return c;
    }
    const e = cmpNum(this.epsilon, o.epsilon);
    if (e !== 0) return e;
    const aPre = this.pre.isEmpty();
    const bPre = o.pre.isEmpty();
    if (aPre !== bPre) return aPre ? 1 : -1;
    if (!aPre) {
      const c = TagSet.compare(this.pre, o.pre);
      if (c !== 0) return c;
    }
    return TagSet.compare(this.post, o.post);
  }

  lt(o: Version): boolean {
    return this.compare(o) < 0;
  }
  le(o: Version): boolean {
    return this.compare(o) <= 0;
  }
  gt(o: Version): boolean {
    return this.compare(o) > 0;
  }
  ge(o: Version): boolean {
    return this.compare(o) >= 0;
  }
}

function padded(parts: readonly number[]): number[] {
  const out = [...parts];
  while (out.length < Version.MINIMUM_PARTS_FOR_DISPLAY) out.push(0);
  return out;
}

/** spk `VersionParts::eq`: equal after stripping trailing zeros. */
export function partsEqual(a: readonly number[], b: readonly number[]): boolean {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return false;
  return true;
}

/**
 * Parses a version the way spk's `parse_version` does (see file comment). Throws
 * `SpkError` kind `version` with the position of the offending character.
 */
export function parseVersion(input: string | Version): Version {
  if (input instanceof Version) return input;
  if (typeof input !== 'string') {
    throw new SpkError('version', `expected a version string, got ${typeof input}`, { input: String(input) });
  }
  if (input === '') return new Version([]);
  // spk breaks at the FIRST '+', then at the first '-' of what is left; so a '-' after '+' ends up
  // inside a post tag number and fails (`1.0+post.1-pre.2` is invalid).
  const plus = input.indexOf('+');
  const beforePost = plus < 0 ? input : input.slice(0, plus);
  const postText = plus < 0 ? '' : input.slice(plus + 1);
  const dash = beforePost.indexOf('-');
  const numeric = dash < 0 ? beforePost : beforePost.slice(0, dash);
  const preText = dash < 0 ? '' : beforePost.slice(dash + 1);

  const parts: number[] = [];
  let pos = 0;
  for (const [i, p] of numeric.split('.').entries()) {
    const n = parseU32(p);
    if (n === undefined) {
      let bad = pos;
      while (bad < pos + p.length && isDigit(input[bad])) bad++;
      // All digits but too large for u32: point at the start of the part.
      if (bad === pos + p.length && p.length > 0) bad = pos;
      throw new SpkError('version', `version must be a sequence of integers, got '${p}' in position ${i}`, {
        input,
        position: bad,
      });
    }
    parts.push(n);
    pos += p.length + 1;
  }
  const pre = TagSet.parse(preText, numeric.length + 1, input);
  const post = TagSet.parse(postText, plus + 1, input);
  return new Version(parts, pre, post);
}

/** True if `parseVersion(s)` succeeds. */
export function isVersion(s: string): boolean {
  try {
    parseVersion(s);
    return true;
  } catch (e) {
    if (e instanceof SpkError) return false;
    throw e;
  }
}

export function compareVersions(a: string | Version, b: string | Version): -1 | 0 | 1 {
  return parseVersion(a).compare(parseVersion(b));
}

// ---------------------------------------------------------------------------------------------
// nom-style scanner used by range / request parsing (spk `version::parsing::version`).

/** Result of scanning a version at a position inside a larger text. */
export interface ScannedVersion {
  version: Version;
  /** Index just after the version text. */
  end: number;
}

/** Characters that may follow a tag in a range/ident context (spk `ptagset` lookahead). */
const TAG_TERMINATORS = new Set([',', '/', '+', ']']);

function scanDigits(s: string, i: number): number {
  while (i < s.length && isDigit(s[i])) i++;
  return i;
}

/** Scans one `name.num` tag at `i`; returns [name, num, end] or undefined (soft failure). */
function scanTag(s: string, i: number): [string, number, number] | undefined {
  let j = i;
  let hasAlpha = false;
  while (j < s.length && isAsciiAlnum(s[j])) {
    if (isAsciiAlpha(s[j])) hasAlpha = true;
    j++;
  }
  // spk `tag_name`: alphanumeric with at least one non-digit.
  if (j === i || !hasAlpha || s[j] !== '.') return undefined;
  const k = scanDigits(s, j + 1);
  const num = parseU32(s.slice(j + 1, k));
  if (num === undefined) return undefined;
  if (k < s.length && !TAG_TERMINATORS.has(s[k])) return undefined;
  return [s.slice(i, j), num, k];
}

/** Scans a comma-separated tag set at `i` (after `-`/`+`); undefined if not even one tag. */
function scanTagSet(s: string, i: number, input: string): [TagSet, number] | undefined {
  const first = scanTag(s, i);
  if (!first) return undefined;
  const entries: Array<[string, number]> = [[first[0], first[1]]];
  let end = first[2];
  while (s[end] === ',') {
    const next = scanTag(s, end + 1);
    // Not a tag after ',': the comma belongs to the enclosing range list (spk backtracks).
    if (!next) break;
    entries.push([next[0], next[1]]);
    end = next[2];
  }
  const seen = new Set<string>();
  for (const [name] of entries) {
    if (seen.has(name)) throw new SpkError('version', `duplicate tag: ${name}`, { input, position: i });
    seen.add(name);
  }
  return [new TagSet(entries), end];
}

/**
 * Scans a version at `start` in `s` like spk's nom `version` parser: digits separated by '.'
 * (a '.' must be followed by digits), then optional `-tags`, then optional `+tags`.
 * Returns undefined if there is no digit at `start`; throws SpkError on a hard failure.
 * `input`/`offset` are only used for error messages.
 */
export function scanVersionAt(s: string, start: number, input = s, offset = 0): ScannedVersion | undefined {
  if (!isDigit(s[start])) return undefined;
  const parts: number[] = [];
  let i = start;
  for (;;) {
    const j = scanDigits(s, i);
    const n = parseU32(s.slice(i, j));
    if (n === undefined) {
      throw new SpkError('version', `version part ${JSON.stringify(s.slice(i, j))} is not a 32-bit unsigned integer`, {
        input,
        position: offset + i,
      });
    }
    parts.push(n);
    i = j;
    if (s[i] !== '.') break;
    if (!isDigit(s[i + 1])) {
      throw new SpkError('version', "expected digits after '.'", { input, position: offset + i + 1 });
    }
    i++;
  }
  let pre = TagSet.EMPTY;
  let post = TagSet.EMPTY;
  if (s[i] === '-') {
    const r = scanTagSet(s, i + 1, input);
    if (r) {
      pre = r[0];
      i = r[1];
    }
  }
  if (s[i] === '+') {
    const r = scanTagSet(s, i + 1, input);
    if (r) {
      post = r[0];
      i = r[1];
    }
  }
  return { version: new Version(parts, pre, post), end: i };
}
