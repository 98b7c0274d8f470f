/**
 * Tera 1.20 built-in filters, tests and functions (`src/builtins/` at tag v1.20.0) with Tera's
 * keyword signatures, plus spk's four filters (`crates/spk-schema/crates/tera/src/`:
 * `filter_default_options.rs`, `filter_compare_version.rs`, `filter_parse_version.rs`,
 * `filter_replace_regex.rs`) on the project's own version and range model.
 */
import { parseVersion, Version } from '../version';
import { parseVersionFilter } from '../range';
import { validateOptName } from '../name';
import {
  Value,
  TFloat,
  TemplateError,
  TeraPanic,
  fail,
  isNumber,
  asF64,
  renderValue,
  numberToString,
  toJson,
  valueEq,
  sortedKeys,
  cmpStr,
  I64_MIN,
  I64_MAX,
  U64_MAX,
  trimStartWs,
  trimEndWs,
  debugValue,
} from './value';
import { compileRustRegex, rustIsMatch, rustReplaceAll, RegexSyntaxError } from './regex';
import { dottedPointer, graphemes } from './render';

export interface Env {
  /** `env` of the render context: what `get_env` reads (spk passes its process environment). */
  env: Record<string, string>;
}
type Args = Map<string, Value>;
type Filter = (v: Value, args: Args, env: Env) => Value;
type Test = (v: Value | undefined, args: Value[]) => boolean;
type Fn = (args: Args, env: Env) => Value;

// ---- serde `from_value::<T>` as `try_get_value!` uses it ----
type Ty = 'String' | 'usize' | 'i64' | 'i32' | 'u32' | 'f64' | 'bool' | 'Vec<Value>';
function tryGet(filter: string, arg: string, ty: 'String', v: Value): string;
function tryGet(filter: string, arg: string, ty: 'usize' | 'i64' | 'i32' | 'u32', v: Value): bigint;
function tryGet(filter: string, arg: string, ty: 'f64', v: Value): number;
function tryGet(filter: string, arg: string, ty: 'bool', v: Value): boolean;
function tryGet(filter: string, arg: string, ty: 'Vec<Value>', v: Value): Value[];
function tryGet(filter: string, arg: string, ty: Ty, v: Value): unknown {
  const bad = (): never =>
    fail(
      arg === 'value'
        ? `Filter \`${filter}\` was called on an incorrect value: got \`${toJson(v)}\` but expected a ${ty}`
        : `Filter \`${filter}\` received an incorrect type for arg \`${arg}\`: got \`${toJson(v)}\` but expected a ${ty}`,
    );
  switch (ty) {
    case 'String':
      return typeof v === 'string' ? v : bad();
    case 'bool':
      return typeof v === 'boolean' ? v : bad();
    case 'Vec<Value>':
      return Array.isArray(v) ? v : bad();
    case 'f64':
      return isNumber(v) ? asF64(v) : bad();
    case 'usize':
      return typeof v === 'bigint' && v >= 0n && v <= U64_MAX ? v : bad();
    case 'u32':
      return typeof v === 'bigint' && v >= 0n && v <= 0xffffffffn ? v : bad();
    case 'i32':
      return typeof v === 'bigint' && v >= -(2n ** 31n) && v < 2n ** 31n ? v : bad();
    case 'i64':
      return typeof v === 'bigint' && v >= I64_MIN && v <= I64_MAX ? v : bad();
  }
}
const str = (f: string, v: Value) => tryGet(f, 'value', 'String', v);
const arr = (f: string, v: Value) => tryGet(f, 'value', 'Vec<Value>', v);
/** `to_value(f64)`: serde_json turns NaN and infinities into null. */
const f64Value = (x: number): Value => (Number.isFinite(x) ? new TFloat(x) : null);
const usizeValue = (n: number): Value => BigInt(n);

// Rust `str::to_uppercase` / `to_lowercase` are the full Unicode mappings, as in JS.
const upper = (s: string) => s.toUpperCase();
const lower = (s: string) => s.toLowerCase();

function trimStartMatches(s: string, pat: string): string {
  if (pat === '') return s;
  while (s.startsWith(pat)) s = s.slice(pat.length);
  return s;
}
function trimEndMatches(s: string, pat: string): string {
  if (pat === '') return s;
  while (s.endsWith(pat)) s = s.slice(0, s.length - pat.length);
  return s;
}
const unescapeNT = (p: string) => p.replace(/\\n/g, '\n').replace(/\\t/g, '\t');

/** Rust `str::split` with a string pattern (an empty pattern splits around every char). */
function rustSplit(s: string, pat: string): string[] {
  if (pat === '') return ['', ...Array.from(s), ''];
  return s.split(pat);
}
/** Rust `str::lines`: split on `\n`, drop one trailing empty line, strip a `\r` before `\n`. */
function rustLines(s: string): string[] {
  if (s === '') return [];
  const parts = s.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** Rust `f64::from_str`. */
function rustParseF64(s: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}
/** Rust `f as i64` (saturating, NaN → 0). */
function f64AsI64(f: number): bigint {
  if (Number.isNaN(f)) return 0n;
  if (f >= 9223372036854775807) return I64_MAX;
  if (f <= -9223372036854775808) return I64_MIN;
  return BigInt(Math.trunc(f));
}
/** Rust `i64::from_str_radix`. */
function fromStrRadix(s: string, base: number): bigint | undefined {
  if (base < 2 || base > 36) throw new TeraPanic('from_str_radix_int: must lie in the range `[2, 36]`');
  let t = s;
  let neg = false;
  if (t.startsWith('+')) t = t.slice(1);
  else if (t.startsWith('-')) {
    neg = true;
    t = t.slice(1);
  }
  if (t === '') return undefined;
  let v = 0n;
  for (const ch of t.toLowerCase()) {
    const d = /[0-9]/.test(ch) ? ch.charCodeAt(0) - 48 : /[a-z]/.test(ch) ? ch.charCodeAt(0) - 87 : 99;
    if (d >= base) return undefined;
    v = v * BigInt(base) + BigInt(d);
  }
  if (neg) v = -v;
  return v < I64_MIN || v > I64_MAX ? undefined : v;
}

function percentEncode(s: string, keep: RegExp): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(b);
    out += b < 0x80 && keep.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"'/]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '/': '&#x2F;' })[c]!);
}

/** slug 0.1: deunicode, lowercase, runs of non-alphanumerics → one `-`, trimmed. Latin letters only. */
function slugify(s: string): string {
  const base = s.normalize('NFKD').replace(/\p{M}/gu, '');
  // deunicode transliterates every script; we only know the Latin decompositions
  if (/[^\x00-\x7f]/.test(base)) fail('slugify: only Latin text is supported here (deunicode transliteration)');
  let out = '';
  let dash = true;
  for (const ch of base.toLowerCase()) {
    if (/[a-z0-9]/.test(ch)) {
      out += ch;
      dash = false;
    } else if (!dash) {
      out += '-';
      dash = true;
    }
  }
  return out.endsWith('-') ? out.slice(0, -1) : out;
}

function attributeOf(v: Value, attribute: string): Value | undefined {
  return dottedPointer(v, attribute);
}

type SortKind = 'number' | 'string' | 'bool' | 'array';
function sortKind(v: Value): SortKind {
  if (isNumber(v)) return 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return fail(`${v === null ? 'Null' : 'Object'} is not a sortable value`);
}

export const FILTERS: Record<string, Filter> = {
  upper: (v) => upper(str('upper', v)),
  lower: (v) => lower(str('lower', v)),
  trim: (v) => trimEndWs(trimStartWs(str('trim', v))),
  trim_start: (v) => trimStartWs(str('trim_start', v)),
  trim_end: (v) => trimEndWs(str('trim_end', v)),
  trim_start_matches: (v, a) => {
    const s = str('trim_start_matches', v);
    const p = a.get('pat');
    if (p === undefined) fail('Filter `trim_start_matches` expected an arg called `pat`');
    return trimStartMatches(s, unescapeNT(tryGet('trim_start_matches', 'pat', 'String', p)));
  },
  trim_end_matches: (v, a) => {
    const s = str('trim_end_matches', v);
    const p = a.get('pat');
    if (p === undefined) fail('Filter `trim_end_matches` expected an arg called `pat`');
    return trimEndMatches(s, unescapeNT(tryGet('trim_end_matches', 'pat', 'String', p)));
  },
  truncate: (v, a) => {
    const s = str('truncate', v);
    const l = a.get('length');
    const length = l === undefined ? 255n : tryGet('truncate', 'length', 'usize', l);
    const e = a.get('end');
    const end = e === undefined ? '…' : tryGet('truncate', 'end', 'String', e);
    const g = graphemes(s);
    if (length >= BigInt(g.length)) return s;
    return g.slice(0, Number(length)).join('') + end;
  },
  wordcount: (v) => usizeValue(str('wordcount', v).split(/\p{White_Space}+/u).filter((x) => x !== '').length),
  replace: (v, a) => {
    const s = str('replace', v);
    const f = a.get('from');
    if (f === undefined) fail('Filter `replace` expected an arg called `from`');
    const from = tryGet('replace', 'from', 'String', f);
    const t = a.get('to');
    if (t === undefined) fail('Filter `replace` expected an arg called `to`');
    const to = tryGet('replace', 'to', 'String', t);
    if (from === '') return to + Array.from(s).join(to) + (s === '' ? '' : to);
    return s.split(from).join(to);
  },
  capitalize: (v) => {
    const s = str('capitalize', v);
    const first = s.codePointAt(0);
    if (first === undefined) return '';
    const f = String.fromCodePoint(first);
    return upper(f) + lower(s.slice(f.length));
  },
  title: (v) => {
    const s = str('title', v);
    const { re } = compileRustRegex("\\b(?P<first>[\\w'])(?P<rest>[\\w']*)\\b");
    re.lastIndex = 0;
    return s.replace(re, (_m, first: string, rest: string) => upper(first) + lower(rest));
  },
  linebreaksbr: (v) => str('linebreaksbr', v).replace(/\r\n/g, '<br>').replace(/\n/g, '<br>'),
  indent: (v, a) => {
    const s = str('indent', v);
    const p = a.get('prefix');
    const prefix = p === undefined ? '    ' : tryGet('indent', 'prefix', 'String', p);
    const f = a.get('first');
    const first = f === undefined ? false : tryGet('indent', 'first', 'bool', f);
    const b = a.get('blank');
    const blank = b === undefined ? false : tryGet('indent', 'blank', 'bool', b);
    let out = '';
    let firstPass = true;
    for (const line of rustLines(s)) {
      if (firstPass) {
        if (first) out += prefix;
        firstPass = false;
      } else {
        out += '\n';
        if (blank || trimStartWs(line) !== '') out += prefix;
      }
      out += line;
    }
    return out;
  },
  striptags: (v) => rustReplaceAll(str('striptags', v), '(<!--.*?-->|<[^>]*>)', ''),
  spaceless: (v) => rustReplaceAll(str('spaceless', v), '>\\s+<', '><'),
  urlencode: (v) => percentEncode(str('urlencode', v), /[0-9A-Za-z%\-._~/]/),
  urlencode_strict: (v) => percentEncode(str('urlencode_strict', v), /[0-9A-Za-z]/),
  escape: (v) => escapeHtml(str('escape_html', v)),
  escape_xml: (v) => str('escape_html', v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!),
  slugify: (v) => slugify(str('slugify', v)),
  addslashes: (v) => str('addslashes', v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/'/g, "\\'"),
  split: (v, a) => {
    const s = str('split', v);
    const p = a.get('pat');
    if (p === undefined) fail('Filter `split` expected an arg called `pat`');
    return rustSplit(s, unescapeNT(tryGet('split', 'pat', 'String', p)));
  },
  int: (v, a) => {
    const d = a.get('default');
    const dflt = d === undefined ? 0n : tryGet('int', 'default', 'i64', d);
    const b = a.get('base');
    const base = b === undefined ? 10 : Number(tryGet('int', 'base', 'u32', b));
    if (typeof v === 'string') {
      let s = trimEndWs(trimStartWs(v));
      if (base === 2) s = trimStartMatches(s, '0b');
      else if (base === 8) s = trimStartMatches(s, '0o');
      else if (base === 16) s = trimStartMatches(s, '0x');
      const r = fromStrRadix(s, base);
      if (r !== undefined) return r;
      if (s.includes('.')) {
        const f = rustParseF64(s);
        return f === undefined ? dflt : f64AsI64(f);
      }
      return dflt;
    }
    if (isNumber(v)) return f64AsI64(asF64(v));
    return fail('Filter `int` received an unexpected type');
  },
  float: (v, a) => {
    const d = a.get('default');
    const dflt = d === undefined ? 0 : tryGet('float', 'default', 'f64', d);
    if (typeof v === 'string') return f64Value(rustParseF64(trimEndWs(trimStartWs(v))) ?? dflt);
    if (isNumber(v)) return f64Value(asF64(v));
    return fail('Filter `float` received an unexpected type');
  },
  first: (v) => {
    const a = arr('first', v);
    return a.length === 0 ? '' : a[0];
  },
  last: (v) => {
    const a = arr('last', v);
    return a.length === 0 ? '' : a[a.length - 1];
  },
  nth: (v, args) => {
    const a = arr('nth', v);
    if (a.length === 0) return '';
    const n = args.get('n');
    if (n === undefined) fail('The `nth` filter has to have an `n` argument');
    const i = tryGet('nth', 'n', 'usize', n);
    return i < BigInt(a.length) ? a[Number(i)] : '';
  },
  join: (v, args) => {
    const a = arr('join', v);
    const s = args.get('sep');
    const sep = s === undefined ? '' : unescapeNT(tryGet('truncate', 'sep', 'String', s));
    return a.map(renderValue).join(sep);
  },
  sort: (v, args) => {
    const a = arr('sort', v);
    if (a.length === 0) return a;
    const at = args.get('attribute');
    const attribute = at === undefined ? '' : tryGet('sort', 'attribute', 'String', at);
    const keyOf = (x: Value): Value => {
      const k = attributeOf(x, attribute);
      if (k === undefined) fail(`attribute '${attribute}' does not reference a field`);
      return k;
    };
    const kind = sortKind(keyOf(a[0]));
    const pairs = a.map((x) => {
      const k = keyOf(x);
      if (sortKind(k) !== kind) fail(`expected ${kind} got ${toJson(k)}`);
      return [x, k] as const;
    });
    const cmp = (p: Value, q: Value): number => {
      if (kind === 'number') {
        const x = asF64(p as bigint | TFloat);
        const y = asF64(q as bigint | TFloat);
        if (Number.isNaN(x) || Number.isNaN(y)) fail('Null is not a sortable value');
        return x < y ? -1 : x > y ? 1 : 0;
      }
      if (kind === 'string') return cmpStr(p as string, q as string);
      if (kind === 'bool') return Number(p) - Number(q);
      return (p as Value[]).length - (q as Value[]).length;
    };
    return [...pairs].sort((x, y) => cmp(x[1], y[1])).map((x) => x[0]);
  },
  unique: (v, args) => {
    const a = arr('unique', v);
    if (a.length === 0) return a;
    const cs = args.get('case_sensitive');
    const caseSensitive = cs === undefined ? false : tryGet('unique', 'case_sensitive', 'bool', cs);
    const at = args.get('attribute');
    const attribute = at === undefined ? '' : tryGet('unique', 'attribute', 'String', at);
    const first = attributeOf(a[0], attribute);
    if (first === undefined) fail(`attribute '${attribute}' does not reference a field`);
    const kindOf = (x: Value) => (isNumber(x) ? 'number' : typeof x === 'string' ? 'string' : typeof x === 'boolean' ? 'bool' : x === null ? 'null' : Array.isArray(x) ? 'array' : 'object');
    const kind = kindOf(first);
    if (kind !== 'number' && kind !== 'string' && kind !== 'bool') fail(`Unique filter can't compare ${kind}`);
    const seen = new Set<string>();
    const out: Value[] = [];
    for (const x of a) {
      const k = attributeOf(x, attribute);
      if (k === undefined) continue;
      // std::mem::discriminant: every serde Number is one discriminant
      if (kindOf(k) !== kind) fail("unique filter can't compare multiple types");
      const key = kind === 'string' ? (caseSensitive ? (k as string) : lower(k as string)) : kind === 'number' ? numberToString(k as bigint) : String(k);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(x);
    }
    return out;
  },
  slice: (v, args) => {
    const a = arr('slice', v);
    if (a.length === 0) return a;
    const idx = (f: number): number => {
      const x = f >= 0 ? f : a.length + f;
      return Number.isNaN(x) || x < 0 ? 0 : Math.trunc(x);
    };
    const s = args.get('start');
    const start = s === undefined ? 0 : idx(tryGet('slice', 'start', 'f64', s));
    const e = args.get('end');
    let end = e === undefined ? a.length : idx(tryGet('slice', 'end', 'f64', e));
    if (end > a.length) end = a.length;
    if (start >= end) return [];
    return a.slice(start, end);
  },
  group_by: (v, args) => {
    const a = arr('group_by', v);
    if (a.length === 0) return new Map();
    const at = args.get('attribute');
    if (at === undefined) fail('The `group_by` filter has to have an `attribute` argument');
    const key = tryGet('group_by', 'attribute', 'String', at);
    const grouped = new Map<string, Value>();
    for (const x of a) {
      const k = attributeOf(x, key);
      if (k === undefined || k === null) continue;
      const sk = typeof k === 'string' ? k : toJson(k);
      const g = grouped.get(sk);
      if (g) (g as Value[]).push(x);
      else grouped.set(sk, [x]);
    }
    return grouped;
  },
  filter: (v, args) => {
    const a = arr('filter', v);
    if (a.length === 0) return a;
    const at = args.get('attribute');
    if (at === undefined) fail('The `filter` filter has to have an `attribute` argument');
    const key = tryGet('filter', 'attribute', 'String', at);
    const want = args.get('value') ?? null;
    return a.filter((x) => {
      const val = attributeOf(x, key) ?? null;
      return want === null ? val !== null : valueEq(val, want);
    });
  },
  map: (v, args) => {
    const a = arr('map', v);
    if (a.length === 0) return a;
    const at = args.get('attribute');
    if (at === undefined) fail('The `map` filter has to have an `attribute` argument');
    const key = tryGet('map', 'attribute', 'String', at);
    const out: Value[] = [];
    for (const x of a) {
      const val = attributeOf(x, key);
      if (val !== undefined && val !== null) out.push(val);
    }
    return out;
  },
  concat: (v, args) => {
    const a = [...arr('concat', v)];
    const w = args.get('with');
    if (w === undefined) fail('The `concat` filter has to have a `with` argument');
    if (Array.isArray(w)) a.push(...w);
    else a.push(w);
    return a;
  },
  abs: (v) => {
    if (typeof v === 'bigint') {
      if (v >= 0n) return v;
      if (v === I64_MIN) throw new TeraPanic('attempt to negate with overflow');
      return -v;
    }
    if (v instanceof TFloat) return new TFloat(Math.abs(v.f));
    return fail('Filter `abs` was used on a value that isn\'t a number.');
  },
  pluralize: (v, args) => {
    const num = tryGet('pluralize', 'value', 'f64', v);
    const p = args.get('plural');
    const plural = p === undefined ? 's' : tryGet('pluralize', 'plural', 'String', p);
    const s = args.get('singular');
    const singular = s === undefined ? '' : tryGet('pluralize', 'singular', 'String', s);
    return Math.abs(Math.abs(num) - 1) > Number.EPSILON ? plural : singular;
  },
  round: (v, args) => {
    const num = tryGet('round', 'value', 'f64', v);
    const m = args.get('method');
    const method = m === undefined ? 'common' : tryGet('round', 'method', 'String', m);
    const p = args.get('precision');
    const precision = p === undefined ? 0 : Number(tryGet('round', 'precision', 'i32', p));
    const mult = precision === 0 ? 1 : Math.pow(10, precision);
    // Rust `f64::round` rounds half away from zero
    const roundAway = (x: number) => (x < 0 ? -Math.round(-x) : Math.round(x));
    const rnd = (x: number) => {
      const r = roundAway(x);
      return Math.abs(x - Math.trunc(x)) === 0.5 ? Math.trunc(x) + Math.sign(x) : r;
    };
    if (method === 'common') return f64Value(rnd(mult * num) / mult);
    if (method === 'ceil') return f64Value(Math.ceil(mult * num) / mult);
    if (method === 'floor') return f64Value(Math.floor(mult * num) / mult);
    return fail(`Filter \`round\` received an incorrect value for arg \`method\`: got \`${JSON.stringify(method)}\`, only common, ceil and floor are allowed`);
  },
  filesizeformat: () => fail('filesizeformat is not supported (spk and the oracle build use different humansize releases)'),
  length: (v) => {
    if (Array.isArray(v)) return usizeValue(v.length);
    if (v instanceof Map) return usizeValue(v.size);
    if (typeof v === 'string') return usizeValue([...v].length);
    return fail('Filter `length` was used on a value that isn\'t an array, an object, or a string.');
  },
  reverse: (v) => {
    if (Array.isArray(v)) return [...v].reverse();
    if (typeof v === 'string') return [...v].reverse().join('');
    return fail(`Filter \`reverse\` received an incorrect type for arg \`value\`: got \`${toJson(v)}\` but expected Array|String`);
  },
  date: () => fail('the `date` filter is not supported (chrono formatting)'),
  json_encode: (v, args) => toJson(v, args.get('pretty') === true),
  as_str: (v) => renderValue(v),
  get: (v, args) => {
    const d = args.get('default');
    const k = args.get('key');
    if (k === undefined) fail('The `get` filter has to have an `key` argument');
    const key = tryGet('get', 'key', 'String', k);
    if (!(v instanceof Map)) fail('Filter `get` was used on a value that isn\'t an object');
    const x = v.get(key);
    if (x !== undefined) return x;
    if (d !== undefined) return d;
    return fail(`Filter \`get\` tried to get key \`${key}\` but it wasn't found`);
  },

  // ---- spk (crates/spk-schema/crates/tera/src/) ----
  default_opts: (v, args) => {
    if (!(v instanceof Map)) fail(`default_opts: expected object input, got: ${debugValue(v)}`);
    const out = new Map(v);
    for (const [name, value] of args) {
      try {
        validateOptName(name);
      } catch (e) {
        fail(`Could not assign option: ${(e as Error).message}`);
      }
      let s: string;
      if (value === null) s = '';
      else if (typeof value === 'boolean') s = String(value);
      else if (isNumber(value)) s = numberToString(value);
      else if (typeof value === 'string') s = value;
      else fail(`default_opts: Expected a scalar option value for ${JSON.stringify(name)}, got: ${debugValue(value)}`);
      if (!out.has(name)) out.set(name, s);
    }
    return out;
  },
  compare_version: (v, args) => {
    const op = args.get('op');
    if (op === undefined) fail('compare_version: missing required argument "op"');
    if (typeof op !== 'string') fail(`compare_version: op argument expected a string value, got ${debugValue(op)}`);
    let rangeStr = op;
    const rhs = args.get('rhs');
    if (rhs !== undefined) {
      if (Array.isArray(rhs) || rhs instanceof Map) fail(`compare_version: rhs argument expected a scalar value, got ${debugValue(rhs)}`);
      // serde_json `Value::to_string()`: a string rhs keeps its JSON quotes, as in spk
      rangeStr += toJson(rhs);
    }
    if (!(args.size === 1 || (args.size === 2 && args.has('rhs')))) {
      fail('compare_version: one or more unsupported arguments provided, supported args: ["op", "rhs"]');
    }
    if (typeof v !== 'string') fail(`compare_version: expected string input, got ${debugValue(v)}`);
    // spk's `VersionFilter::from_str` refuses an empty text (our parseVersionFilter maps it to "any")
    if (rangeStr === '') fail('invalid comparison string: invalid version range "": expected a digit');
    let lhs: Version;
    try {
      lhs = parseVersion(v);
    } catch (e) {
      fail(`invalid version for compare_version: ${(e as Error).message}`);
    }
    try {
      return parseVersionFilter(rangeStr).isApplicable(lhs);
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      return fail(`invalid comparison string: ${(e as Error).message}`);
    }
  },
  parse_version: (v, args) => {
    if (typeof v !== 'string') fail(`parse_version: Expected a string value for filter 'parse_version', got ${debugValue(v)}`);
    let ver: Version;
    try {
      ver = parseVersion(v);
    } catch (e) {
      fail(`Failed to parse version: ${(e as Error).message}`);
    }
    const tags = (t: ReadonlyMap<string, number>): Value => new Map([...t].map(([k, n]) => [k, BigInt(n)]));
    const data = new Map<string, Value>([
      ['major', BigInt(ver.major)],
      ['minor', BigInt(ver.minor)],
      ['patch', BigInt(ver.patch)],
      ['base', ver.base],
      ['parts', ver.parts.map((p) => BigInt(p))],
      ['epsilon', ver.epsilon < 0 ? 'Minus' : ver.epsilon > 0 ? 'Plus' : 'None'],
      ['pre', tags(ver.pre.entries)],
      ['post', tags(ver.post.entries)],
    ]);
    if (!(args.size === 0 || (args.size === 1 && args.has('field')))) {
      fail('parse_version: one or more unsupported arguments provided, supported args: ["field"]');
    }
    const field = args.get('field');
    if (field !== undefined) {
      if (typeof field !== 'string') fail(`parse_version: 'field' argument expected a string, got: ${debugValue(field)}`);
      const part = data.get(field);
      if (part === undefined) {
        fail(`parse_version: spk version has no field ${JSON.stringify(field)}, available fields: ["major", "minor", "patch", "base", "parts", "epsilon", "pre", "post"]`);
      }
      return part;
    }
    return data;
  },
  replace_regex: (v, args) => {
    const from = args.get('from');
    if (from === undefined) fail('replace_regex: missing required argument "from"');
    if (typeof from !== 'string') fail(`replace_regex: from argument expected a string value, got ${debugValue(from)}`);
    const to = args.get('to') ?? '';
    if (typeof to !== 'string') fail(`replace_regex: to argument expected a string value, got ${debugValue(to)}`);
    if (args.size > 2) {
      fail('replace_regex: one or more unsupported arguments provided, supported args: ["from", "to"]');
    }
    if (typeof v !== 'string') fail(`replace_regex: expected string input, got ${debugValue(v)}`);
    try {
      return rustReplaceAll(v, from, to);
    } catch (e) {
      if (e instanceof RegexSyntaxError) fail(`invalid regular expression: ${e.message}`);
      throw e;
    }
  },
};

// ---- tests (src/builtins/testers.rs) ----
function nargs(name: string, max: number, n: number): void {
  if (max === 0 && n > 0) fail(`Tester \`${name}\` was called with some args but this test doesn't take args`);
  if (n > max) fail(`Tester \`${name}\` was called with ${n} args, the max number is ${max}`);
}
function defined(name: string, v: Value | undefined): asserts v is Value {
  if (v === undefined) fail(`Tester \`${name}\` was called on an undefined variable`);
}
function strArg(name: string, part: string, v: Value | undefined): string {
  if (typeof v !== 'string') fail(`Tester \`${name}\` was called ${part} that isn't a string`);
  return v;
}
export const TESTS: Record<string, Test> = {
  defined: (v, a) => (nargs('defined', 0, a.length), v !== undefined),
  undefined: (v, a) => (nargs('undefined', 0, a.length), v === undefined),
  string: (v, a) => (nargs('string', 0, a.length), defined('string', v), typeof v === 'string'),
  number: (v, a) => (nargs('number', 0, a.length), defined('number', v), isNumber(v)),
  odd: (v, a) => {
    nargs('odd', 0, a.length);
    defined('odd', v);
    if (!isNumber(v)) fail('Tester `odd` was called on a variable that isn\'t a number');
    return asF64(v) % 2 !== 0;
  },
  even: (v, a) => {
    nargs('even', 0, a.length);
    defined('even', v);
    return !TESTS.odd(v, a);
  },
  divisibleby: (v, a) => {
    nargs('divisibleby', 1, a.length);
    defined('divisibleby', v);
    if (!isNumber(v)) fail('Tester `divisibleby` was called on a variable that isn\'t a number');
    const p = a[0];
    if (p === undefined || !isNumber(p)) fail('Tester `divisibleby` was called with a parameter that isn\'t a number');
    return asF64(v) % asF64(p) === 0;
  },
  iterable: (v, a) => (nargs('iterable', 0, a.length), defined('iterable', v), Array.isArray(v) || v instanceof Map),
  object: (v, a) => (nargs('object', 0, a.length), defined('object', v), v instanceof Map),
  starting_with: (v, a) => {
    nargs('starting_with', 1, a.length);
    defined('starting_with', v);
    return strArg('starting_with', 'on a variable', v).startsWith(strArg('starting_with', 'with a parameter', a[0]));
  },
  ending_with: (v, a) => {
    nargs('ending_with', 1, a.length);
    defined('ending_with', v);
    return strArg('ending_with', 'on a variable', v).endsWith(strArg('ending_with', 'with a parameter', a[0]));
  },
  containing: (v, a) => {
    nargs('containing', 1, a.length);
    defined('containing', v);
    if (typeof v === 'string') return v.includes(strArg('containing', 'with a parameter', a[0]));
    if (Array.isArray(v)) {
      if (a[0] === undefined) throw new TeraPanic('containing without a parameter');
      return v.some((x) => valueEq(x, a[0]));
    }
    if (v instanceof Map) return v.has(strArg('containing', 'with a parameter', a[0]));
    return fail('Tester `containing` can only be used on string, array or map');
  },
  matching: (v, a) => {
    nargs('matching', 1, a.length);
    defined('matching', v);
    const s = strArg('matching', 'on a variable', v);
    const re = strArg('matching', 'with a parameter', a[0]);
    try {
      return rustIsMatch(re, s);
    } catch (e) {
      if (e instanceof RegexSyntaxError) fail(`Tester \`matching\`: invalid regex: ${e.message}`);
      throw e;
    }
  },
};

// ---- functions (src/builtins/functions.rs) ----
function usizeArg(fn: string, name: string, v: Value | undefined, dflt: bigint | undefined): bigint {
  if (v === undefined) {
    if (dflt === undefined) fail(`Function \`${fn}\` was called without a \`${name}\` argument`);
    return dflt;
  }
  if (typeof v !== 'bigint' || v < 0n || v > U64_MAX) fail(`Function \`${fn}\` received ${name}=${toJson(v)} but \`${name}\` can only be a number`);
  return v;
}
/** Longest `range()` we build (Tera has no bound; a longer one would only exhaust memory). */
const MAX_RANGE = 10_000_000n;
export const FUNCTIONS: Record<string, Fn> = {
  range: (a) => {
    const start = usizeArg('range', 'start', a.get('start'), 0n);
    const step = usizeArg('range', 'step_by', a.get('step_by'), 1n);
    const end = usizeArg('range', 'end', a.get('end'), undefined);
    if (start > end) fail('Function `range` was called with a `start` argument greater than the `end` one');
    if (step === 0n && end > start) throw new TeraPanic('`range` with step_by=0 never ends');
    if ((end - start) / (step === 0n ? 1n : step) > MAX_RANGE) throw new TeraPanic(`range() longer than ${MAX_RANGE} elements`);
    const out: Value[] = [];
    for (let i = start; i < end; i += step) out.push(i);
    return out;
  },
  now: (a) => {
    const b = (n: string) => {
      const v = a.get(n);
      if (v === undefined) return false;
      if (typeof v !== 'boolean') fail(`Function \`now\` received ${n}=${toJson(v)} but \`${n}\` can only be a boolean`);
      return v;
    };
    const utc = b('utc');
    const ts = b('timestamp');
    const d = new Date();
    if (ts) return BigInt(Math.floor(d.getTime() / 1000));
    if (utc) return d.toISOString().replace('Z', '+00:00');
    return d.toISOString().replace('Z', '+00:00');
  },
  throw: (a) => {
    const m = a.get('message');
    if (m === undefined) fail('Function `throw` was called without a `message` argument');
    if (typeof m !== 'string') fail(`Function \`throw\` received message=${toJson(m)} but \`message\` can only be a string`);
    return fail(m);
  },
  get_random: (a) => {
    const num = (n: string, d: bigint | undefined) => {
      const v = a.get(n);
      if (v === undefined) {
        if (d === undefined) fail(`Function \`get_random\` didn't receive an \`${n}\` argument`);
        return d;
      }
      if (typeof v !== 'bigint' || v < I64_MIN || v > I64_MAX) fail(`Function \`get_random\` received ${n}=${toJson(v)} but \`${n}\` can only be a number`);
      return v;
    };
    const start = num('start', 0n);
    const end = num('end', undefined);
    if (start >= end) throw new TeraPanic('cannot sample empty range');
    return start + BigInt(Math.floor(Math.random() * Number(end - start)));
  },
  get_env: (a, env) => {
    const n = a.get('name');
    if (n === undefined) fail("Function `get_env` didn't receive a `name` argument");
    if (typeof n !== 'string') fail(`Function \`get_env\` received name=${toJson(n)} but \`name\` can only be a string`);
    const v = Object.prototype.hasOwnProperty.call(env.env, n) ? env.env[n] : undefined;
    if (v !== undefined) return v;
    const d = a.get('default');
    if (d !== undefined) return d;
    return fail(`Environment variable \`${n}\` not found`);
  },
};

export { sortedKeys };
