/**
 * spk version ranges (`VersionFilter` / `VersionRange`): `^1.2`, `~1.2.3`, `>=1,<2`, `=1.0`,
 * `==1.0+r.1`, `!=1.0`, `!==1.0`, `API:1.2`, `Binary:1.2`, `1.*`, plain `1.2.3`, comma-AND-ed lists.
 *
 * Mirrors `crates/spk-schema/crates/foundation/src/version_range/mod.rs` (rules, bounds,
 * `is_applicable`, `is_satisfied_by`, `contains`, `intersects`, `restrict`, `simplify_rules`),
 * `version_range/intersection.rs` (ValidRange) and `version_range/parsing/version_range.rs`.
 */
import { Compat, DEFAULT_COMPAT, RequiredCompat, parseCompat } from './compat';
import { SpkError } from './errors';
import { TagSet, Version, parseVersion, partsEqual, scanVersionAt } from './version';

export type { RequiredCompat } from './compat';

/** One rule of a range. `kind` order = spk's enum order (matters for `simplify_rules`). */
export type RangeRule =
  | { kind: 'compat'; base: Version; required?: RequiredCompat }
  | { kind: 'doubleEquals'; version: Version }
  | { kind: 'doubleNotEquals'; specified: number; base: Version }
  | { kind: 'equals'; version: Version }
  | { kind: 'greaterThan'; bound: Version }
  | { kind: 'greaterThanOrEqualTo'; bound: Version }
  | { kind: 'lessThan'; bound: Version }
  | { kind: 'lessThanOrEqualTo'; bound: Version }
  | { kind: 'lowestSpecified'; specified: number; base: Version }
  | { kind: 'notEquals'; specified: number; base: Version }
  | { kind: 'semver'; minimum: Version }
  | { kind: 'wildcard'; parts: ReadonlyArray<number | null> };

const KIND_ORDER: Record<RangeRule['kind'], number> = {
  compat: 0,
  doubleEquals: 1,
  doubleNotEquals: 2,
  equals: 3,
  // 4 = Filter in spk (never nested here)
  greaterThan: 5,
  greaterThanOrEqualTo: 6,
  lessThan: 7,
  lessThanOrEqualTo: 8,
  lowestSpecified: 9,
  notEquals: 10,
  semver: 11,
  wildcard: 12,
};

// ------------------------------------------------------------------------------------------
// Per-rule behaviour

function tagsText(v: Version): string {
  let s = '';
  if (!v.pre.isEmpty()) s += `-${v.pre}`;
  if (!v.post.isEmpty()) s += `+${v.post}`;
  return s;
}

export function ruleToString(r: RangeRule): string {
  switch (r.kind) {
    case 'compat':
      return (r.required ? `${r.required}:` : '') + r.base.toString();
    case 'doubleEquals':
      return `==${r.version}`;
    case 'equals':
      return `=${r.version}`;
    case 'doubleNotEquals':
      return `!==${r.base.parts.slice(0, r.specified).join('.')}${tagsText(r.base)}`;
    case 'notEquals':
      return `!=${r.base.parts.slice(0, r.specified).join('.')}${tagsText(r.base)}`;
    case 'greaterThan':
      return `>${r.bound}`;
    case 'greaterThanOrEqualTo':
      return `>=${r.bound}`;
    case 'lessThan':
      return `<${r.bound}`;
    case 'lessThanOrEqualTo':
      return `<=${r.bound}`;
    case 'lowestSpecified':
      return `~${r.base.parts.slice(0, r.specified).join('.')}${tagsText(r.base)}`;
    case 'semver':
      return `^${r.minimum}`;
    case 'wildcard':
      return r.parts.map((p) => (p === null ? '*' : String(p))).join('.');
  }
}

function ruleGte(r: RangeRule): Version | undefined {
  switch (r.kind) {
    case 'compat':
    case 'lowestSpecified':
      return r.base;
    case 'doubleEquals':
    case 'equals':
      return r.version;
    case 'doubleNotEquals':
    case 'notEquals':
      // Lower bound above upper bound: intersection logic turns this into "everything but".
      return r.base.plusEpsilon();
    case 'greaterThan':
      return r.bound.plusEpsilon();
    case 'greaterThanOrEqualTo':
      return r.bound;
    case 'lessThan':
    case 'lessThanOrEqualTo':
      return undefined;
    case 'semver':
      return r.minimum;
    case 'wildcard':
      return new Version(r.parts.map((p) => p ?? 0));
  }
}

function ruleLt(r: RangeRule): Version | undefined {
  switch (r.kind) {
    case 'compat':
    case 'greaterThan':
    case 'greaterThanOrEqualTo':
      return undefined;
    case 'doubleEquals':
    case 'equals':
      return r.version.plusEpsilon();
    case 'doubleNotEquals':
    case 'notEquals':
      return r.base;
    case 'lessThan':
      return r.bound;
    case 'lessThanOrEqualTo':
      return r.bound.plusEpsilon();
    case 'lowestSpecified': {
      const parts = r.base.parts.slice(0, r.specified - 1);
      parts[parts.length - 1] += 1;
      // -ε: `~1.2.3` must also exclude `1.3.0-pre.1`.
      return new Version(parts).minusEpsilon();
    }
    case 'semver': {
      const parts = [...r.minimum.parts];
      for (let i = 0; i < parts.length; i++) {
        if (parts[i] !== 0) {
          const out = parts.slice(0, i + 1);
          out[i] += 1;
          return new Version(out);
        }
      }
      // All zero (`^0.0`): bump the last part.
      if (parts.length > 0) parts[parts.length - 1] += 1;
      return new Version(parts);
    }
    case 'wildcard': {
      const out: number[] = [];
      const ps = r.parts;
      for (let i = 0; i < ps.length; i++) {
        const x = ps[i];
        const hasNext = i + 1 < ps.length;
        const next = ps[i + 1];
        if (x === null) {
          if (hasNext) out.push(0);
          break;
        }
        out.push(hasNext && next === null ? x + 1 : x);
      }
      return out.length === 0 ? undefined : new Version(out);
    }
  }
}

function ruleCompatRule(r: RangeRule): RequiredCompat | undefined {
  return r.kind === 'compat' ? r.required : undefined;
}

/** Default `Ranged::is_applicable` from the bounds. */
function boundsApplicable(r: RangeRule, v: Version): string | undefined {
  const gte = ruleGte(r);
  if (gte && v.lt(gte)) return `version too low for >= ${gte}`;
  const lt = ruleLt(r);
  if (lt && v.ge(lt)) return `version too high for < ${lt}`;
  return undefined;
}

/** spk `is_applicable` of one rule: undefined = applicable, else the reason. */
export function ruleCheckApplicable(r: RangeRule, v: Version): string | undefined {
  switch (r.kind) {
    case 'greaterThan':
      return v.le(r.bound) ? `version ${v} is not > ${r.bound}` : undefined;
    case 'greaterThanOrEqualTo':
      return v.lt(r.bound) ? `version ${v} is not >= ${r.bound}` : undefined;
    case 'lessThan':
      return v.ge(r.bound) ? `version ${v} is not < ${r.bound}` : undefined;
    case 'lessThanOrEqualTo':
      return v.gt(r.bound) ? `version ${v} is not <= ${r.bound}` : undefined;
    case 'equals': {
      if (!partsEqual(r.version.parts, v.parts)) return `version ${v} parts do not equal =${r.version}`;
      if (!r.version.pre.equals(v.pre)) return `version ${v} pre-release tags do not equal =${r.version}`;
      for (const [name, value] of r.version.post.entries) {
        if (v.post.get(name) !== value) return `version ${v} post-release tags do not include +${name}.${value}`;
      }
      return undefined;
    }
    case 'doubleEquals':
      if (!partsEqual(r.version.parts, v.parts)) return `version ${v} parts do not precisely equal ==${r.version}`;
      if (!r.version.pre.equals(v.pre)) return `version ${v} pre-release tags do not precisely equal ==${r.version}`;
      if (!r.version.post.equals(v.post)) return `version ${v} post-release tags do not precisely equal ==${r.version}`;
      return undefined;
    case 'notEquals':
    case 'doubleNotEquals': {
      // Only the written parts of the base are compared (`!=1.0` excludes all `1.0.*`).
      const n = Math.min(r.specified, v.parts.length, r.base.parts.length);
      for (let i = 0; i < n; i++) if (v.parts[i] !== r.base.parts[i]) return undefined;
      if (r.kind === 'notEquals') {
        if (!r.base.post.isEmpty() && !r.base.post.equals(v.post)) return undefined;
      } else if (!r.base.post.equals(v.post)) {
        return undefined;
      }
      return `version ${v} is excluded by ${ruleToString(r)}`;
    }
    case 'wildcard': {
      const n = Math.min(r.parts.length, v.parts.length);
      for (let i = 0; i < n; i++) {
        const want = r.parts[i];
        if (want !== null && want !== v.parts[i]) {
          const label = ['Major', 'Minor', 'Patch'][i] ?? 'Tail';
          return `version ${v} out of range ${ruleToString(r)}: position ${i + 1} (${label}) has ${v.parts[i]}, requires ${want}`;
        }
      }
      return undefined;
    }
    default:
      return boundsApplicable(r, v);
  }
}

/** spk `is_satisfied_by` of one rule. */
export function ruleCheckSatisfiedBy(
  r: RangeRule,
  v: Version,
  compat: Compat,
  required: RequiredCompat,
): string | undefined {
  if (r.kind !== 'compat') return ruleCheckApplicable(r, v);
  if (v.lt(r.base)) return `version ${v} too low for ${ruleToString(r)}`;
  const rule = r.required ?? required;
  const reason = compat.check(r.base, v, rule);
  return reason === undefined ? undefined : `version ${v} ${reason}`;
}

function compareOptVersion(a: Version | undefined, b: Version | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return a.compare(b);
}

/** Derived `Ord` of spk's `VersionRange` enum (variant, then fields in declaration order). */
export function compareRules(a: RangeRule, b: RangeRule): number {
  const k = KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (k !== 0) return Math.sign(k);
  switch (a.kind) {
    case 'compat': {
      const bb = b as typeof a;
      const c = a.base.compare(bb.base);
      if (c !== 0) return c;
      // Option<CompatRule>: None < Some; API ('a') < Binary ('b').
      const rank = (x?: RequiredCompat) => (x === undefined ? 0 : x === 'API' ? 1 : 2);
      return Math.sign(rank(a.required) - rank(bb.required));
    }
    case 'doubleEquals':
    case 'equals':
      return a.version.compare((b as typeof a).version);
    case 'doubleNotEquals':
    case 'notEquals':
    case 'lowestSpecified': {
      const bb = b as typeof a;
      return Math.sign(a.specified - bb.specified) || a.base.compare(bb.base);
    }
    case 'greaterThan':
    case 'greaterThanOrEqualTo':
    case 'lessThan':
    case 'lessThanOrEqualTo':
      return a.bound.compare((b as typeof a).bound);
    case 'semver':
      return a.minimum.compare((b as typeof a).minimum);
    case 'wildcard': {
      const bb = b as typeof a;
      const c = Math.sign(a.parts.length - bb.parts.length);
      if (c !== 0) return c;
      for (let i = 0; i < a.parts.length; i++) {
        const x = a.parts[i];
        const y = bb.parts[i];
        if (x === y) continue;
        // Option<u32>: None < Some.
        if (x === null) return -1;
        if (y === null) return 1;
        return x < y ? -1 : 1;
      }
      return 0;
    }
  }
}

// ------------------------------------------------------------------------------------------
// Bounds-based containment / intersection (spk default `Ranged::contains` / `intersects`)

/** What the default `contains`/`intersects` need to know about either side. */
interface RangeShape {
  gte?: Version;
  lt?: Version;
  compatRule?: RequiredCompat;
  /** For a single `Compat` rule: its base. */
  compatBase?: Version;
  /** For a single `=`/`==` rule: its version. */
  exact?: Version;
  text: string;
}

function shapeOfRule(r: RangeRule): RangeShape {
  return {
    gte: ruleGte(r),
    lt: ruleLt(r),
    compatRule: ruleCompatRule(r),
    compatBase: r.kind === 'compat' ? r.base : undefined,
    exact: r.kind === 'equals' || r.kind === 'doubleEquals' ? r.version : undefined,
    text: ruleToString(r),
  };
}

type Limited = { from: Version; to?: undefined } | { to: Version; from?: undefined } | { from: Version; to: Version };
/** `undefined` = Total; else one or two limited ranges (two when gte >= lt, i.e. `!=`). */
type ValidRange = Limited[] | undefined;

function validRange(gte?: Version, lt?: Version): ValidRange {
  if (!gte && !lt) return undefined;
  if (gte && !lt) return [{ from: gte }];
  if (!gte && lt) return [{ to: lt }];
  const g = gte as Version;
  const l = lt as Version;
  return g.lt(l) ? [{ from: g, to: l }] : [{ to: l }, { from: g }];
}

function limitedIntersects(a: Limited, b: Limited): boolean {
  if (a.to === undefined) {
    if (b.to === undefined) return true;
    return a.from.lt(b.to);
  }
  if (a.from === undefined) {
    if (b.from === undefined) return true;
    return a.to.gt(b.from);
  }
  if (b.to === undefined) return a.to.gt(b.from);
  if (b.from === undefined) return a.from.lt(b.to);
  return (a.from.ge(b.from) && a.from.lt(b.to)) || (a.from.le(b.from) && a.to.gt(b.from));
}

function shapesIntersect(a: RangeShape, b: RangeShape): string | undefined {
  const va = validRange(a.gte, a.lt);
  const vb = validRange(b.gte, b.lt);
  if (!va || !vb) return undefined;
  for (const x of va) for (const y of vb) if (limitedIntersects(x, y)) return undefined;
  return `ranges do not intersect: ${a.text} and ${b.text}`;
}

function shapeContains(self: RangeShape, other: RangeShape): string | undefined {
  const notSuperset = `${self.text} is not a superset of ${other.text}`;
  if (self.compatRule && !other.compatRule) {
    // A compat rule only contains an `=`/`==` of exactly its base.
    if (!(other.exact && self.compatBase && self.compatBase.equals(other.exact))) {
      return `${notSuperset}: stronger compatibility requirements`;
    }
  } else if (self.compatRule === 'Binary' && other.compatRule === 'API') {
    return `${notSuperset}: stronger compatibility requirements`;
  }
  const pairs: Array<[Version | undefined, Version | undefined, Version | undefined]> = [
    [self.gte, other.gte, other.lt],
    [other.lt, self.lt, self.gte],
  ];
  for (const [left, right, rightOpposite] of pairs) {
    if (!left && !right) continue;
    if (!left && right) {
      if (!rightOpposite) return notSuperset;
      if (rightOpposite.lt(right)) return notSuperset;
      continue;
    }
    if (left && !right) {
      if (rightOpposite && rightOpposite.gt(left)) return notSuperset;
      if (!rightOpposite) return notSuperset;
      continue;
    }
    if ((left as Version).gt(right as Version)) return notSuperset;
  }
  return shapesIntersect(self, other);
}

// ------------------------------------------------------------------------------------------
// VersionRange = spk VersionFilter (an AND of rules; BTreeSet semantics)

function sortedUnique(rules: Iterable<RangeRule>): RangeRule[] {
  const out = [...rules].sort(compareRules);
  return out.filter((r, i) => i === 0 || compareRules(out[i - 1], r) !== 0);
}

function isCompatMergeException(lhs: RangeRule, rhs: RangeRule): boolean {
  return lhs.kind === 'compat' && (rhs.kind === 'equals' || rhs.kind === 'doubleEquals') && lhs.base.equals(rhs.version);
}

/** spk `simplify_rules`: drop any rule that contains another one. */
function simplifyRules(rules: RangeRule[], allowCompatRangesToMerge: boolean): RangeRule[] {
  const list = [...rules];
  outer: for (;;) {
    if (list.length <= 1) return list;
    for (let i = 0; i < list.length; i++) {
      for (let j = 0; j < list.length; j++) {
        if (i === j) continue;
        const lhs = list[i];
        const rhs = list[j];
        // During request merges spk never folds compat rules (`maya/2019,maya/2020` keeps both),
        // except a compat rule made redundant by `=`/`==` of the same version.
        if (!allowCompatRangesToMerge && !isCompatMergeException(lhs, rhs) && (lhs.kind === 'compat' || rhs.kind === 'compat')) {
          continue;
        }
        if (shapeContains(shapeOfRule(lhs), shapeOfRule(rhs)) === undefined) {
          list.splice(i, 1);
          continue outer;
        }
      }
    }
    return list;
  }
}

export class VersionRange {
  /** The AND-ed rules, in spk's set order. Empty = any version (an ident without a version). */
  readonly rules: readonly RangeRule[];

  constructor(rules: Iterable<RangeRule>) {
    this.rules = Object.freeze(sortedUnique(rules));
  }

  /** A range with no rules: matches every version, displays as ''. */
  static empty(): VersionRange {
    return new VersionRange([]);
  }

  isEmpty(): boolean {
    return this.rules.length === 0;
  }

  /** spk display: each rule's text, sorted as strings, joined by ','. */
  toString(): string {
    return this.rules
      .map(ruleToString)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .join(',');
  }

  equals(other: VersionRange): boolean {
    return this.rules.length === other.rules.length && this.rules.every((r, i) => compareRules(r, other.rules[i]) === 0);
  }

  greaterOrEqualTo(): Version | undefined {
    let best: Version | undefined;
    for (const r of this.rules) {
      const g = ruleGte(r);
      if (g && (!best || g.gt(best))) best = g;
    }
    return best;
  }

  lessThan(): Version | undefined {
    let best: Version | undefined;
    for (const r of this.rules) {
      const l = ruleLt(r);
      if (l && (!best || l.lt(best))) best = l;
    }
    return best;
  }

  /** Version-only check (spk `is_applicable`): undefined if applicable, else the reason. */
  checkApplicable(v: string | Version): string | undefined {
    const version = parseVersion(v);
    for (const r of this.rules) {
      const reason = ruleCheckApplicable(r, version);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }

  isApplicable(v: string | Version): boolean {
    return this.checkApplicable(v) === undefined;
  }

  /**
   * spk `is_satisfied_by`: like `isApplicable`, but plain and `API:`/`Binary:` rules also check
   * the candidate's own `compat` (default `x.a.b`) from the rule's base. `requiredCompat` is used
   * for plain rules; spk's `v0/package_spec.rs` passes `Binary`.
   */
  checkSatisfiedBy(v: string | Version, compat?: string | Compat, requiredCompat: RequiredCompat = 'Binary'): string | undefined {
    const version = parseVersion(v);
    const c = compat === undefined ? DEFAULT_COMPAT : parseCompat(compat);
    for (const r of this.rules) {
      const reason = ruleCheckSatisfiedBy(r, version, c, requiredCompat);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }

  isSatisfiedBy(v: string | Version, compat?: string | Compat, requiredCompat: RequiredCompat = 'Binary'): boolean {
    return this.checkSatisfiedBy(v, compat, requiredCompat) === undefined;
  }

  /** How this range looks to the bounds-based algorithms when treated as a whole. */
  private wholeShape(): RangeShape {
    if (this.rules.length === 1) return shapeOfRule(this.rules[0]);
    return { gte: this.greaterOrEqualTo(), lt: this.lessThan(), text: this.toString() };
  }

  /**
   * spk `intersects`: a single rule is compared by bounds with the other range as a whole;
   * several rules (a `VersionFilter`) are compared pairwise with each rule the other adds.
   */
  checkIntersects(other: string | VersionRange): string | undefined {
    const o = parseVersionRange(other);
    if (this.rules.length === 1) return shapesIntersect(this.wholeShape(), o.wholeShape());
    const added = o.rules.filter((r) => !this.rules.some((s) => compareRules(s, r) === 0));
    for (const n of added) {
      for (const old of this.rules) {
        const reason = shapesIntersect(shapeOfRule(old), shapeOfRule(n));
        if (reason !== undefined) return reason;
      }
    }
    return undefined;
  }

  intersects(other: string | VersionRange): boolean {
    return this.checkIntersects(other) === undefined;
  }

  /** spk `contains`: every version `other` allows is allowed by this range (same dispatch as intersects). */
  checkContains(other: string | VersionRange): string | undefined {
    const o = parseVersionRange(other);
    if (this.rules.length === 1) return shapeContains(this.wholeShape(), o.wholeShape());
    const added = o.rules.filter((r) => !this.rules.some((s) => compareRules(s, r) === 0));
    for (const n of added) {
      for (const old of this.rules) {
        const reason = shapeContains(shapeOfRule(old), shapeOfRule(n));
        if (reason !== undefined) return reason;
      }
    }
    return undefined;
  }

  contains(other: string | VersionRange): boolean {
    return this.checkContains(other) === undefined;
  }

  /**
   * spk `VersionFilter::restrict` (request merge): the rules of both, simplified without merging
   * compat rules. Non-intersecting ranges throw SpkError kind 'range', unless
   * `allowNonIntersecting` (both requests `IfAlreadyPresent`), which just concatenates.
   */
  restrict(other: string | VersionRange, allowNonIntersecting = false): VersionRange {
    const o = typeof other === 'string' ? parseVersionFilter(other) : other;
    // spk always restricts a VersionFilter, so the pairwise (filter) intersection is used even
    // for a single rule.
    let reason: string | undefined;
    const added = o.rules.filter((r) => !this.rules.some((s) => compareRules(s, r) === 0));
    for (const n of added) {
      for (const old of this.rules) {
        reason = shapesIntersect(shapeOfRule(old), shapeOfRule(n));
        if (reason !== undefined) break;
      }
      if (reason !== undefined) break;
    }
    if (reason !== undefined) {
      if (allowNonIntersecting) return new VersionRange([...this.rules, ...o.rules]);
      throw new SpkError('range', `cannot restrict ${this} with ${o}: ${reason}`, { input: `${this},${o}` });
    }
    return new VersionRange(simplifyRules(sortedUnique([...this.rules, ...o.rules]), false));
  }
}

// ------------------------------------------------------------------------------------------
// Parsing

function isDigitChar(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** spk `wildcard_range`: `.`-separated digits or `*`, exactly one `*`. Undefined if not that. */
function scanWildcard(s: string, start: number): { parts: Array<number | null>; end: number } | undefined {
  const parts: Array<number | null> = [];
  let i = start;
  for (;;) {
    if (s[i] === '*') {
      parts.push(null);
      i++;
    } else if (isDigitChar(s[i])) {
      let j = i;
      while (isDigitChar(s[j])) j++;
      const n = Number(s.slice(i, j));
      if (j - i > 10 || n > 4294967295) return undefined;
      parts.push(n);
      i = j;
    } else {
      if (parts.length === 0) return undefined;
      // separated_list1 backtracks over a dangling '.'
      i--;
      break;
    }
    if (s[i] !== '.') break;
    i++;
  }
  if (parts.filter((p) => p === null).length !== 1) return undefined;
  return { parts, end: i };
}

const RULE_PREFIXES: Array<[string, RangeRule['kind']]> = [
  ['^', 'semver'],
  ['~', 'lowestSpecified'],
  ['>=', 'greaterThanOrEqualTo'],
  ['<=', 'lessThanOrEqualTo'],
  ['>', 'greaterThan'],
  ['<', 'lessThan'],
  ['==', 'doubleEquals'],
  ['=', 'equals'],
  ['!==', 'doubleNotEquals'],
  ['!=', 'notEquals'],
];

function parseRuleAt(s: string, i: number, input: string, offset: number): { rule: RangeRule; end: number } {
  const need = (at: number): { version: Version; end: number } => {
    const r = scanVersionAt(s, at, input, offset);
    if (!r) throw new SpkError('range', 'expected a version', { input, position: offset + at });
    return r;
  };
  for (const [prefix, kind] of RULE_PREFIXES) {
    if (!s.startsWith(prefix, i)) continue;
    const { version, end } = need(i + prefix.length);
    switch (kind) {
      case 'semver':
        return { rule: { kind, minimum: version }, end };
      case 'lowestSpecified':
        if (version.parts.length < 2) {
          throw new SpkError('range', `expected at least 2 digits in version range, got: ${version}`, {
            input,
            position: offset + i + 1,
          });
        }
        return { rule: { kind, specified: version.parts.length, base: version }, end };
      case 'greaterThanOrEqualTo':
      case 'lessThanOrEqualTo':
      case 'greaterThan':
      case 'lessThan':
        return { rule: { kind, bound: version }, end };
      case 'doubleEquals':
      case 'equals':
        return { rule: { kind, version }, end };
      case 'doubleNotEquals':
      case 'notEquals':
        return { rule: { kind, specified: version.parts.length, base: version }, end };
      default:
        break;
    }
  }
  for (const required of ['Binary', 'API'] as const) {
    if (!s.startsWith(required, i)) continue;
    const colon = i + required.length;
    if (s[colon] !== ':') throw new SpkError('range', `expected ':' after ${required}`, { input, position: offset + colon });
    const { version, end } = need(colon + 1);
    return { rule: { kind: 'compat', base: version, required }, end };
  }
  const w = scanWildcard(s, i);
  if (w) return { rule: { kind: 'wildcard', parts: w.parts }, end: w.end };
  const r = scanVersionAt(s, i, input, offset);
  if (!r) throw new SpkError('range', 'expected a version range', { input, position: offset + i });
  return { rule: { kind: 'compat', base: r.version }, end: r.end };
}

/** Upper bound on comma-separated rules in one range (guards against pathological input). */
export const MAX_RULES = 100;

/**
 * Scans a comma-separated rule list at `start` (spk `version_range`), stopping at the first
 * character that cannot continue it (callers check for end of text or '/').
 */
export function scanVersionRangeAt(
  s: string,
  start: number,
  input = s,
  offset = 0,
): { range: VersionRange; end: number } {
  const rules: RangeRule[] = [];
  let i = start;
  for (;;) {
    const { rule, end } = parseRuleAt(s, i, input, offset);
    rules.push(rule);
    i = end;
    if (rules.length > MAX_RULES) {
      // spk's simplification is cubic in the number of rules; real ranges have a handful.
      throw new SpkError('range', `too many rules in version range (more than ${MAX_RULES})`, { input, position: offset + i });
    }
    if (s[i] !== ',') break;
    i++;
  }
  return { range: new VersionRange(rules), end: i };
}

function parseWhole(input: string, kind: 'range'): VersionRange {
  let scanned: { range: VersionRange; end: number };
  try {
    scanned = scanVersionRangeAt(input, 0);
  } catch (e) {
    // A bad version inside a range is reported as a range error (same position).
    if (e instanceof SpkError && e.kind !== kind) {
      throw new SpkError(kind, e.reason, { input, position: e.position, cause: e });
    }
    throw e;
  }
  const { range, end } = scanned;
  if (end !== input.length) {
    throw new SpkError(kind, `unexpected ${JSON.stringify(input[end])}`, { input, position: end });
  }
  return range;
}

/**
 * spk `VersionFilter::from_str`: parse without simplification (how request idents keep their
 * rules, e.g. `maya/2019,2020`). `''` → an empty (any-version) range.
 */
export function parseVersionFilter(input: string | VersionRange): VersionRange {
  if (input instanceof VersionRange) return input;
  if (typeof input !== 'string') {
    throw new SpkError('range', `expected a version range string, got ${typeof input}`, { input: String(input) });
  }
  if (input === '') return VersionRange.empty();
  return parseWhole(input, 'range');
}

/**
 * spk `parse_version_range`: parse then simplify redundant rules (`>1.0,>2.0` → `>2.0`,
 * `API:1.2.3,Binary:1.2.3` → `Binary:1.2.3`). `''` → `*`.
 */
export function parseVersionRange(input: string | VersionRange): VersionRange {
  if (input instanceof VersionRange) return input;
  if (typeof input !== 'string') {
    throw new SpkError('range', `expected a version range string, got ${typeof input}`, { input: String(input) });
  }
  if (input === '') return new VersionRange([{ kind: 'wildcard', parts: [null] }]);
  return new VersionRange(simplifyRules(parseWhole(input, 'range').rules as RangeRule[], true));
}

/** True if `parseVersionRange(s)` succeeds. */
export function isVersionRange(s: string): boolean {
  try {
    parseVersionRange(s);
    return true;
  } catch (e) {
    if (e instanceof SpkError) return false;
    throw e;
  }
}

/**
 * spk-like reason why `v` (with its package `compat`) does not satisfy `range`, or undefined
 * when it does. Used to explain why a dependency edge was (not) drawn.
 */
export function explainUnsatisfied(
  range: string | VersionRange,
  v: string | Version,
  compat?: string | Compat,
  requiredCompat: RequiredCompat = 'Binary',
): string | undefined {
  return parseVersionRange(range).checkSatisfiedBy(v, compat, requiredCompat);
}

export { TagSet };
