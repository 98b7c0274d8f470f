/**
 * Plain YAML numbers, as serde_yaml 0.9 resolves them, kept beside the text.
 *
 * Why: spk reads most recipe fields as strings, where serde_yaml hands over a plain scalar's
 * source text (`3.10` stays "3.10"); but the fields spk reads through `Stringified`
 * (`crates/spk-schema/crates/foundation/src/option_map/mod.rs`: `deserialize_any` +
 * `StringifyVisitor`) get the resolved number and format it with Rust's `to_string()`
 * (`3.10` → "3.1", `0x1F` → "31", `1e3` → "1000"). So the plain data keeps the text, and a
 * side-table records, per container (mapping or list) and key, the number a plain scalar
 * resolved to. Both YAML readers (recipe-yaml.ts `toPlain`, yaml-fast.ts) produce `YamlNumber`
 * for plain numeric scalars and `settleNumbers` turns them into text + side-table entries.
 */
import { rustF64Display } from './template/value';

/** A plain scalar serde_yaml reads as a number: its source text and the value (integer as bigint). */
export class YamlNumber {
  constructor(
    readonly text: string,
    readonly value: number | bigint,
  ) {}
  /** js-yaml stringifies a mapping key with String(); a plain-number key keeps its text. */
  toString(): string {
    return this.text;
  }
  /** js-yaml turns any key whose class is `[object Object]` into that text; not this one. */
  get [Symbol.toStringTag](): string {
    return 'YamlNumber';
  }
}

const U128_MAX = (1n << 128n) - 1n;
const I128_MIN = -(1n << 127n);

// serde_yaml de.rs `digits_but_not_number`: a leading zero followed by digits (`012`, `-00`)
// is a string, as YAML 1.2 says.
function digitsButNotNumber(s: string): boolean {
  const t = s.startsWith('-') || s.startsWith('+') ? s.slice(1) : s;
  return t.length > 1 && t.startsWith('0') && /^[0-9]+$/.test(t.slice(1));
}

const RADIX: Array<[string, number, RegExp]> = [
  ['0x', 16, /^[0-9a-fA-F]+$/],
  ['0o', 8, /^[0-7]+$/],
  ['0b', 2, /^[01]+$/],
];

/** Rust `from_str_radix` without a sign (the caller has taken it off). */
function digitsOf(rest: string, radix: number, re: RegExp): bigint | undefined {
  if (!re.test(rest)) return undefined;
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '';
  return BigInt(prefix + rest);
}

/** serde_yaml de.rs `visit_int`: u64, i64, u128, i128 in that order, hex/octal/binary prefixes allowed. */
function parseInt(s: string): bigint | undefined {
  // `parse_unsigned_int`: optional `+`, then a radix prefix or decimal digits.
  const unpositive = s.startsWith('+') ? s.slice(1) : s;
  let v: bigint | undefined;
  if (!unpositive.startsWith('-')) {
    for (const [p, radix, re] of RADIX) {
      if (unpositive.startsWith(p)) {
        v = digitsOf(unpositive.slice(p.length), radix, re);
        break;
      }
    }
    if (v === undefined && !unpositive.startsWith('+') && !digitsButNotNumber(s) && /^[0-9]+$/.test(unpositive)) v = BigInt(unpositive);
    if (v !== undefined) return v <= U128_MAX ? v : undefined;
  }
  // `parse_negative_int`: `-0x…` and friends, or `-` and decimal digits.
  if (!s.startsWith('-')) return undefined;
  for (const [p, radix, re] of RADIX) {
    if (s.startsWith(`-${p}`)) {
      const d = digitsOf(s.slice(p.length + 1), radix, re);
      v = d === undefined ? undefined : -d;
      return v !== undefined && v >= I128_MIN ? v : undefined;
    }
  }
  if (digitsButNotNumber(s) || !/^-[0-9]+$/.test(s)) return undefined;
  v = BigInt(s);
  return v >= I128_MIN ? v : undefined;
}

/** serde_yaml de.rs `parse_f64`: `.inf`/`.nan` spellings, else Rust `f64::from_str` kept only when finite. */
function parseFloat(s: string): number | undefined {
  const unpositive = s.startsWith('+') ? s.slice(1) : s;
  if (s.startsWith('+') && (unpositive.startsWith('+') || unpositive.startsWith('-'))) return undefined;
  if (unpositive === '.inf' || unpositive === '.Inf' || unpositive === '.INF') return Infinity;
  if (s === '-.inf' || s === '-.Inf' || s === '-.INF') return -Infinity;
  if (s === '.nan' || s === '.NaN' || s === '.NAN') return NaN;
  // Rust's decimal float grammar (`inf`/`nan` words parse but are not finite: strings to serde_yaml).
  if (!/^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(unpositive)) return undefined;
  const f = Number(unpositive);
  return Number.isFinite(f) ? f : undefined;
}

/**
 * The number a plain (unquoted) scalar is to serde_yaml 0.9 (de.rs `visit_untagged_scalar`,
 * after null and bool): an integer (u64/i64/u128/i128) unless it has leading zeros, else a
 * float; `undefined` for a string.
 */
export function serdeYamlNumber(text: string): number | bigint | undefined {
  // Every number starts with a digit, a sign or `.`: most scalars (names, versions with
  // letters, words) are out after one character test.
  if (!/^[0-9+\-.]/.test(text)) return undefined;
  const i = parseInt(text);
  if (i !== undefined) return i;
  if (digitsButNotNumber(text)) return undefined;
  return parseFloat(text);
}

/** Per container (a mapping object or a list), the keys whose plain scalar was a number. */
const NUMBERS = new WeakMap<object, Map<string | number, number | bigint>>();

/**
 * Replaces every `YamlNumber` in freshly read YAML data by its text, recording the number in
 * the side-table (in place; returns the data, or the text when the document is one number).
 */
export function settleNumbers(data: unknown): unknown {
  if (data instanceof YamlNumber) return data.text;
  if (data === null || typeof data !== 'object') return data;
  const record = (key: string | number, n: YamlNumber) => {
    let m = NUMBERS.get(data);
    if (!m) NUMBERS.set(data, (m = new Map()));
    m.set(key, n.value);
  };
  if (Array.isArray(data)) {
    data.forEach((v, i) => {
      if (v instanceof YamlNumber) {
        record(i, v);
        data[i] = v.text;
      } else settleNumbers(v);
    });
    return data;
  }
  const obj = data as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (v instanceof YamlNumber) {
      record(key, v);
      obj[key] = v.text;
    } else settleNumbers(v);
  }
  return data;
}

/** The number the plain scalar at `container[key]` resolved to, if it was one. */
export function plainNumberAt(container: object, key: string | number): number | bigint | undefined {
  return NUMBERS.get(container)?.get(key);
}

/** Two settled documents (already deep-equal) carry the same numbers at the same places. */
export function sameNumbers(a: unknown, b: unknown): boolean {
  if (a === null || typeof a !== 'object' || b === null || typeof b !== 'object') return true;
  const ma = NUMBERS.get(a);
  const mb = NUMBERS.get(b);
  if ((ma?.size ?? 0) !== (mb?.size ?? 0)) return false;
  for (const [k, v] of ma ?? []) {
    const w = mb!.get(k);
    if (!(typeof v === typeof w && (v === w || (Number.isNaN(v) && Number.isNaN(w))))) return false;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of Object.keys(ra)) if (!sameNumbers(ra[k], rb[k])) return false;
  return true;
}

/**
 * spk `Stringified` of the scalar at `container[key]`: a plain number formatted as Rust's
 * `to_string()` (integers in full, floats as `f64` Display: `3.1`, `1000`, `inf`, `NaN`), null
 * as "" (`visit_unit`), a bool as `true`/`false`, a string as is; `undefined` for a mapping
 * or list (not a scalar: the caller words that error).
 */
export function stringifiedAt(container: object, key: string | number): string | undefined {
  const n = plainNumberAt(container, key);
  if (n !== undefined) return typeof n === 'bigint' ? n.toString() : rustF64Display(n);
  const v = (container as Record<string | number, unknown>)[key];
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' || typeof v === 'bigint') return typeof v === 'bigint' ? v.toString() : rustF64Display(v);
  return undefined;
}
