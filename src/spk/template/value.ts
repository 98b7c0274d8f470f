/**
 * Template values as Tera 1.20 sees them: serde_json `Value` (null, bool, string, number, array,
 * object). serde_json numbers keep integers (i64/u64) apart from floats (f64), and that
 * difference shows in printing (`2.0` prints `2` but concatenates as `2.0`), in equality
 * (`[1] == [1.0]` is false) and in arithmetic (checked integer overflow), so integers are
 * `bigint` and floats are `TFloat`. Objects are serde_json maps without `preserve_order`
 * (a BTreeMap): every iteration goes in sorted key order (`sortedKeys`).
 */
export class TFloat {
  constructor(readonly f: number) {}
}
export type Value = null | boolean | string | bigint | TFloat | Value[] | Map<string, Value>;

export const I64_MIN = -(2n ** 63n);
export const I64_MAX = 2n ** 63n - 1n;
export const U64_MAX = 2n ** 64n - 1n;

export class TemplateError extends Error {}
/** Tera would panic here (a Rust `unwrap`/`expect`); spk itself would crash — we report an error. */
export class TeraPanic extends TemplateError {}

export function fail(msg: string): never {
  throw new TemplateError(msg);
}

export const isNumber = (v: Value): v is bigint | TFloat => typeof v === 'bigint' || v instanceof TFloat;
export const isObject = (v: Value): v is Map<string, Value> => v instanceof Map;
export const asF64 = (v: bigint | TFloat): number => (typeof v === 'bigint' ? Number(v) : v.f);

/** Rust `String` ordering (UTF-8 bytes) = code point order. */
export function cmpStr(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export function sortedKeys(m: Map<string, Value>): string[] {
  return [...m.keys()].sort(cmpStr);
}

/** serde_json `Value == Value` (numbers compare by kind: 1 != 1.0). */
export function valueEq(a: Value, b: Value): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint') return a === b;
  if (a instanceof TFloat || b instanceof TFloat) return a instanceof TFloat && b instanceof TFloat && a.f === b.f;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => valueEq(x, b[i]));
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !valueEq(v, b.get(k)!)) return false;
    return true;
  }
  return a === b;
}

export function isTruthy(v: Value): boolean {
  if (typeof v === 'bigint') return v !== 0n;
  if (v instanceof TFloat) return v.f !== 0 && !Number.isNaN(v.f);
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return v.size > 0;
}

/** Shortest round-trip digits and decimal exponent of a finite, non-zero |x|: x = 0.d1d2… × 10^point. */
function digitsOf(x: number): { digits: string; point: number } {
  const e = Math.abs(x).toExponential(); // shortest round-trip, e.g. "1.5e-7"
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e)!;
  const digits = (m[1] + (m[2] ?? '')).replace(/0+$/, '') || '0';
  return { digits, point: Number(m[3]) + 1 };
}

/** Rust `format!("{}", f64)`: shortest digits, never an exponent (`2` for 2.0, `inf`, `NaN`). */
export function rustF64Display(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  const { digits, point } = digitsOf(x);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** serde_json's float text (ryu): `2.0`, `1e16`, `1.5e-7`, `0.0001`. */
export function ryuF64(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const { digits, point: kk } = digitsOf(x);
  const len = digits.length;
  const e = kk - len;
  if (e >= 0 && kk <= 16) return `${sign}${digits}${'0'.repeat(e)}.0`;
  if (kk > 0 && kk <= 16) return `${sign}${digits.slice(0, kk)}.${digits.slice(kk)}`;
  if (kk > -5 && kk <= 0) return `${sign}0.${'0'.repeat(-kk)}${digits}`;
  const mant = len === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
  return `${sign}${mant}e${kk - 1}`;
}

/** serde_json `Number` Display (`to_string()`): integers as written, floats as ryu. */
export function numberToString(v: bigint | TFloat): string {
  return typeof v === 'bigint' ? v.toString() : ryuF64(v.f);
}

/** Tera `ValueRender`: how a value prints in `{{ }}`. */
export function renderValue(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof TFloat) return rustF64Display(v.f);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return '';
  if (Array.isArray(v)) return `[${v.map(renderValue).join(', ')}]`;
  return '[object]';
}

function jsonString(s: string): string {
  // serde_json escapes only `"`, `\\` and control characters (no `\u2028`, no `/`).
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** serde_json `to_string` / `to_string_pretty`. */
export function toJson(v: Value, pretty = false, indent = ''): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'bigint' || v instanceof TFloat) {
    if (v instanceof TFloat && !Number.isFinite(v.f)) return 'null';
    return numberToString(v);
  }
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (!pretty) return `[${v.map((x) => toJson(x)).join(',')}]`;
    return `[\n${v.map((x) => inner + toJson(x, true, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = sortedKeys(v);
  if (keys.length === 0) return '{}';
  if (!pretty) return `{${keys.map((k) => `${jsonString(k)}:${toJson(v.get(k)!)}`).join(',')}}`;
  return `{\n${keys.map((k) => `${inner}${jsonString(k)}: ${toJson(v.get(k)!, true, inner)}`).join(',\n')}\n${indent}}`;
}

/** Rust `{:?}` of a serde_json Value, as used in a few error messages (approximation). */
export function debugValue(v: Value): string {
  if (v === null) return 'Null';
  if (typeof v === 'boolean') return `Bool(${v})`;
  if (typeof v === 'string') return `String(${JSON.stringify(v)})`;
  if (typeof v === 'bigint' || v instanceof TFloat) return `Number(${numberToString(v)})`;
  if (Array.isArray(v)) return `Array [${v.map(debugValue).join(', ')}]`;
  return `Object {${sortedKeys(v).map((k) => `${JSON.stringify(k)}: ${debugValue(v.get(k)!)}`).join(', ')}}`;
}

/** Converts a plain JS value (context data) to a template value. */
export function fromJs(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : new TFloat(v);
  if (Array.isArray(v)) return v.map(fromJs);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [String(k), fromJs(x)]));
  return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromJs(x)]));
}

/** Unicode `White_Space` (Rust `char::is_whitespace`, `str::trim`). */
export const WHITE_SPACE = /^\p{White_Space}$/u;
export const trimStartWs = (s: string): string => s.replace(/^\p{White_Space}+/u, '');
export const trimEndWs = (s: string): string => s.replace(/\p{White_Space}+$/u, '');
