/**
 * spk compat strings (`x.a.b`, `x.ab`, `x.x.x+ab`, ...) and API/binary compatibility checks.
 *
 * Mirrors `crates/spk-schema/crates/foundation/src/version/compat/mod.rs` (`Compat`,
 * `CompatRule`, `check_compat`, `render`).
 */
import { SpkError } from './errors';
import { Version, parseVersion, partsEqual } from './version';

/** One letter of a compat rule set: `x` none, `a` API, `b` binary. */
export type CompatLetter = 'x' | 'a' | 'b';

/** The compatibility a request requires of a candidate (spk `CompatRule` minus `None`). */
export type RequiredCompat = 'API' | 'Binary';

const LETTER_OF: Record<RequiredCompat, CompatLetter> = { API: 'a', Binary: 'b' };

/** Sorted, de-duplicated letters; spk orders rules by their letter (`a` < `b` < `x`). */
function normalizeSet(letters: Iterable<CompatLetter>): readonly CompatLetter[] {
  return Object.freeze([...new Set(letters)].sort());
}

export class Compat {
  /** One rule set per version position. */
  readonly parts: ReadonlyArray<readonly CompatLetter[]>;
  /** Rule set applied when only pre tags differ (`-...`), undefined if not given. */
  readonly pre?: readonly CompatLetter[];
  /** Rule set applied when only post tags differ (`+...`), undefined if not given. */
  readonly post?: readonly CompatLetter[];

  constructor(
    parts: ReadonlyArray<Iterable<CompatLetter>>,
    pre?: Iterable<CompatLetter>,
    post?: Iterable<CompatLetter>,
  ) {
    this.parts = Object.freeze(parts.map(normalizeSet));
    this.pre = pre === undefined ? undefined : normalizeSet(pre);
    this.post = post === undefined ? undefined : normalizeSet(post);
  }

  toString(): string {
    let s = this.parts.map((p) => p.join('')).join('.');
    if (this.pre) s += `-${this.pre.join('')}`;
    if (this.post) s += `+${this.post.join('')}`;
    return s;
  }

  equals(other: Compat): boolean {
    return this.toString() === other.toString();
  }

  /**
   * spk `check_compat`: undefined when `other` is compatible with `base` for the `required`
   * level, else a human-readable reason.
   */
  check(base: string | Version, other: string | Version, required: RequiredCompat): string | undefined {
    const b = parseVersion(base);
    const o = parseVersion(other);
    const letter = LETTER_OF[required];
    // Same numeric parts: only pre/post rule sets (if given) can make them incompatible.
    if (partsEqual(b.parts, o.parts)) {
      const checks: Array<[boolean, readonly CompatLetter[] | undefined, string]> = [
        [b.pre.equals(o.pre), this.pre, 'pre'],
        [b.post.equals(o.post), this.post, 'post'],
      ];
      for (const [matches, rules, desc] of checks) {
        if (matches || !rules) continue;
        if (rules.includes('x')) {
          return `not compatible with ${b} [${this} at ${desc}: has ${desc === 'pre' ? o.pre : o.post}, requires ${desc === 'pre' ? b.pre : b.post}]`;
        }
        if (!rules.includes(letter)) {
          return `not ${required} compatible with ${b} [${this} at ${desc}: has ${desc === 'pre' ? o.pre : o.post}, requires ${desc === 'pre' ? b.pre : b.post}]`;
        }
      }
      return undefined;
    }
    for (let i = 0; i < this.parts.length; i++) {
      const rule = this.parts[i];
      const a = b.parts[i];
      const c = o.parts[i];
      // "3.10" against "3.10.10": nothing more specified in base → compatible.
      if (a === undefined) return undefined;
      const label = positionLabel(i);
      if (rule.includes('x')) {
        if (c !== undefined && a !== c) {
          return `not compatible with ${b} [${this} at pos ${i + 1} (${label}): has ${c}, requires ${a}]`;
        }
        continue;
      }
      if (!rule.includes(letter)) {
        if (c !== undefined && a !== c) {
          return `not compatible with ${b} [${this} at pos ${i + 1} (${label}): has ${c}, requires ${a}]`;
        }
        continue;
      }
      if (c !== undefined && c < a) {
        return `not ${required} compatible with ${b} [${this} at pos ${i + 1} (${label}): (version) ${c} < ${a} (compat)]`;
      }
      return undefined;
    }
    return `not compatible with ${b}: no ${required} compatibility is specified by compat ${this}`;
  }

  isApiCompatible(base: string | Version, other: string | Version): boolean {
    return this.check(base, other, 'API') === undefined;
  }

  isBinaryCompatible(base: string | Version, other: string | Version): boolean {
    return this.check(base, other, 'Binary') === undefined;
  }

  /** spk `Compat::render`: `~` + the version's parts cut/padded to this compat's length. */
  render(v: string | Version): string {
    const parts = parseVersion(v).parts;
    const out: number[] = [];
    for (let i = 0; i < this.parts.length; i++) out.push(parts[i] ?? 0);
    return `~${out.join('.')}`;
  }
}

function positionLabel(i: number): string {
  return ['Major', 'Minor', 'Patch'][i] ?? 'Tail';
}

/** The default compat, `x.a.b`. */
export const DEFAULT_COMPAT: Compat = new Compat([['x'], ['a'], ['b']]);

function isLetter(c: string | undefined): c is CompatLetter {
  return c === 'x' || c === 'a' || c === 'b';
}

/**
 * Parses a compat string. Grammar (spk `Compat::from_str`): `set(.set)*` then any number of
 * `-set` / `+set` (last of each kind wins), where `set` is one or more of `x`, `a`, `b`.
 * Divergence: spk silently ignores unparsable trailing text (`x.a.bzz` → `x.a.b`); we reject it,
 * because that is almost certainly a typo in a recipe.
 */
export function parseCompat(input: string | Compat): Compat {
  if (input instanceof Compat) return input;
  if (typeof input !== 'string') {
    throw new SpkError('compat', `expected a compat string, got ${typeof input}`, { input: String(input) });
  }
  let i = 0;
  const readSet = (): CompatLetter[] => {
    const set: CompatLetter[] = [];
    while (isLetter(input[i])) set.push(input[i++] as CompatLetter);
    if (set.length === 0) {
      throw new SpkError('compat', "expected one of 'x', 'a', 'b'", { input, position: i });
    }
    return set;
  };
  const parts: CompatLetter[][] = [readSet()];
  while (input[i] === '.') {
    i++;
    parts.push(readSet());
  }
  let pre: CompatLetter[] | undefined;
  let post: CompatLetter[] | undefined;
  while (input[i] === '-' || input[i] === '+') {
    const which = input[i++];
    const set = readSet();
    if (which === '-') pre = set;
    else post = set;
  }
  if (i < input.length) {
    throw new SpkError('compat', `unexpected ${JSON.stringify(input[i])}`, { input, position: i });
  }
  return new Compat(parts, pre, post);
}
