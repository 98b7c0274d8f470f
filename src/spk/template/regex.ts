/**
 * Rust `regex` 1.12 syntax translated to a JS RegExp (`v` flag) with Rust's meaning:
 * - Unicode-aware classes: `\d` = `\p{Nd}`, `\w` = Alphabetic + M + Nd + Pc + Join_Control,
 *   `\s` = White_Space, `\b`/`\B`/`\<`/`\>` on that `\w`; `.` excludes only `\n` (all with `(?s)`).
 * - `^`/`$` are text anchors unless `(?m)` (then around `\n` only, not `\r`); `\A`, `\z`.
 * - inline flags `(?imsxU)`, `(?flags:...)`, `(?-flags)`: `i` must hold for the whole pattern
 *   (JS cannot switch it inside), `s`/`m`/`x`/`U` are translated piece by piece.
 * - refuses what Rust refuses: look-around, back-references, `\Q…\E`, unknown escapes.
 * - `(?P<n>…)` and `(?<n>…)` named groups; classes with nesting, `&&`, `--`, `~~`, `[:alpha:]`.
 * Anything the translation cannot express exactly is an error, never a different match.
 */
export class RegexSyntaxError extends Error {}

const W = String.raw`\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}`;
const WORD = `[${W}]`;
/** Any code point (V8 mis-handles `[^]+` under the `v` flag: it stops after one char). */
const ANY = '[\\u{0}-\\u{10ffff}]';
const NOT_WORD = `[^${W}]`;
const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`\\{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  U: boolean;
}

const lit = (cp: number): string => {
  const ch = String.fromCodePoint(cp);
  return /[0-9A-Za-z]/.test(ch) ? ch : `\\u{${cp.toString(16)}}`;
};

function unicodeClass(name: string, negated: boolean): string {
  let n = name.replace(/[\s_-]/g, '');
  const eq = /^(.*?)(!=|=|:)(.*)$/.exec(name);
  let js: string;
  const tryCompile = (body: string) => {
    try {
      new RegExp(`\\p{${body}}`, 'v');
      return true;
    } catch {
      return false;
    }
  };
  if (eq) {
    const key = eq[1].replace(/[\s_-]/g, '').toLowerCase();
    const val = eq[3].trim().replace(/\s/g, '_');
    const keyMap: Record<string, string> = { script: 'Script', sc: 'Script', scriptextensions: 'Script_Extensions', scx: 'Script_Extensions', generalcategory: 'General_Category', gc: 'General_Category' };
    const k = keyMap[key];
    if (!k || !tryCompile(`${k}=${val}`)) throw new RegexSyntaxError(`unrecognized Unicode class \\p{${name}}`);
    js = `${k}=${val}`;
    if (eq[2] === '!=') negated = !negated;
  } else {
    const aliases: Record<string, string> = { any: 'Any', assigned: 'Assigned', ascii: 'ASCII' };
    if (aliases[n.toLowerCase()]) n = aliases[n.toLowerCase()];
    const candidates = [n, n[0]?.toUpperCase() + n.slice(1), name.replace(/\s/g, '_')];
    js = '';
    for (const c of candidates) {
      if (c && tryCompile(c) && !/=/.test(c)) {
        js = c;
        break;
      }
      if (c && tryCompile(`Script=${c}`)) {
        js = `Script=${c}`;
        break;
      }
    }
    if (!js) throw new RegexSyntaxError(`unrecognized Unicode class \\p{${name}}`);
  }
  return `\\${negated ? 'P' : 'p'}{${js}}`;
}

class Translator {
  i = 0;
  names = new Set<string>();
  groupCount = 0;
  globalI: boolean | undefined;
  constructor(readonly p: string) {}

  private peekCp(): number | undefined {
    return this.p.codePointAt(this.i);
  }
  private nextCp(): number {
    const c = this.p.codePointAt(this.i);
    if (c === undefined) throw new RegexSyntaxError('unexpected end of pattern');
    this.i += c > 0xffff ? 2 : 1;
    return c;
  }
  private err(msg: string): never {
    throw new RegexSyntaxError(msg);
  }
  private noteI(f: Flags): void {
    if (this.globalI === undefined) this.globalI = f.i;
    else if (this.globalI !== f.i) this.err('case-insensitivity that changes inside the pattern is not supported');
  }

  private hex(): number {
    const p = this.p;
    let c = this.p[this.i - 1];
    let digits: string;
    if (p[this.i] === '{') {
      const end = p.indexOf('}', this.i);
      if (end < 0) this.err('unclosed hex escape');
      digits = p.slice(this.i + 1, end);
      this.i = end + 1;
      if (!/^[0-9A-Fa-f]{1,8}$/.test(digits)) this.err('invalid hex escape');
    } else {
      const n = c === 'x' ? 2 : c === 'u' ? 4 : 8;
      digits = p.slice(this.i, this.i + n);
      if (!new RegExp(`^[0-9A-Fa-f]{${n}}$`).test(digits)) this.err('invalid hex escape');
      this.i += n;
    }
    c = '';
    const v = parseInt(digits, 16);
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) this.err('invalid Unicode scalar value');
    return v;
  }

  /** An escape after `\`; returns [js text, isSingleCodepoint cp | undefined]. */
  private escape(inClass: boolean, f: Flags): { js: string; cp?: number; classy?: boolean } {
    const c = this.p[this.i++];
    if (c === undefined) this.err('incomplete escape');
    switch (c) {
      case 'd':
        return { js: '\\p{Nd}', classy: true };
      case 'D':
        return { js: '\\P{Nd}', classy: true };
      case 'w':
        return { js: inClass ? W : WORD, classy: true };
      case 'W':
        return { js: NOT_WORD, classy: true };
      case 's':
        return { js: '\\p{White_Space}', classy: true };
      case 'S':
        return { js: '\\P{White_Space}', classy: true };
      case 'p':
      case 'P': {
        let name: string;
        if (this.p[this.i] === '{') {
          const end = this.p.indexOf('}', this.i);
          if (end < 0) this.err('unclosed Unicode class');
          name = this.p.slice(this.i + 1, end);
          this.i = end + 1;
        } else {
          const cp = this.nextCp();
          name = String.fromCodePoint(cp);
        }
        return { js: unicodeClass(name, c === 'P'), classy: true };
      }
      case 'n':
        return { js: '\\n', cp: 10 };
      case 't':
        return { js: '\\t', cp: 9 };
      case 'r':
        return { js: '\\r', cp: 13 };
      case 'f':
        return { js: '\\f', cp: 12 };
      case 'v':
        return { js: '\\v', cp: 11 };
      case 'a':
        return { js: '\\x07', cp: 7 };
      case 'x':
      case 'u':
      case 'U': {
        const v = this.hex();
        return { js: lit(v), cp: v };
      }
      default:
        break;
    }
    if (!inClass) {
      switch (c) {
        case 'A':
          return { js: `(?<!${ANY})` };
        case 'z':
          return { js: `(?!${ANY})` };
        case 'b':
          if (this.p[this.i] === '{') {
            const end = this.p.indexOf('}', this.i);
            const kind = this.p.slice(this.i + 1, end);
            this.i = end + 1;
            if (kind === 'start') return { js: `(?<!${WORD})(?=${WORD})` };
            if (kind === 'end') return { js: `(?<=${WORD})(?!${WORD})` };
            if (kind === 'start-half') return { js: `(?<!${WORD})` };
            if (kind === 'end-half') return { js: `(?!${WORD})` };
            this.err('unrecognized word boundary');
          }
          return { js: `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))` };
        case 'B':
          return { js: `(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))` };
        case '<':
          return { js: `(?<!${WORD})(?=${WORD})` };
        case '>':
          return { js: `(?<=${WORD})(?!${WORD})` };
        default:
          break;
      }
    }
    if (/[0-9]/.test(c)) this.err('backreferences are not supported');
    if (/[A-Za-z<>]/.test(c)) this.err(`unrecognized escape sequence \\${c}`);
    const cp = c.codePointAt(0)!;
    if (cp > 0x7f) this.err('unrecognized escape sequence');
    void f;
    return { js: lit(cp), cp };
  }

  private skipX(f: Flags): void {
    if (!f.x) return;
    for (;;) {
      const c = this.p[this.i];
      if (c !== undefined && /\s/u.test(c)) {
        this.i++;
        continue;
      }
      if (c === '#') {
        while (this.i < this.p.length && this.p[this.i] !== '\n') this.i++;
        continue;
      }
      return;
    }
  }

  /** A bracketed class starting after `[`; returns a v-mode class. */
  private cls(f: Flags): string {
    this.noteI(f);
    let negated = false;
    if (this.p[this.i] === '^') {
      negated = true;
      this.i++;
    }
    // operands of the current union; operators &&, --, ~~ combine unions
    const items: string[] = [];
    let first = true;
    const parts: string[] = [];
    const ops: string[] = [];
    const flushUnion = () => {
      parts.push(`[${items.join('')}]`);
      items.length = 0;
    };
    for (;;) {
      if (f.x) this.skipX(f);
      const c = this.p[this.i];
      if (c === undefined) this.err('unclosed character class');
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      if (c === '[' && this.p[this.i + 1] === ':') {
        const end = this.p.indexOf(':]', this.i + 2);
        const name = end < 0 ? '' : this.p.slice(this.i + 2, end);
        const neg = name.startsWith('^');
        const body = POSIX[neg ? name.slice(1) : name];
        if (end >= 0 && body) {
          items.push(neg ? `[^${body}]` : `[${body}]`);
          this.i = end + 2;
          continue;
        }
      }
      if (c === '[') {
        this.i++;
        items.push(this.cls(f));
        continue;
      }
      if ((c === '&' && this.p[this.i + 1] === '&') || (c === '-' && this.p[this.i + 1] === '-') || (c === '~' && this.p[this.i + 1] === '~')) {
        flushUnion();
        ops.push(c === '&' ? '&&' : c === '-' ? '--' : '~~');
        this.i += 2;
        continue;
      }
      // a single char or escape, maybe a range start
      let start: number | undefined;
      let js: string;
      if (c === '\\') {
        this.i++;
        const e = this.escape(true, f);
        js = e.classy ? `[${e.js}]` : e.js;
        start = e.cp;
      } else {
        const cp = this.nextCp();
        js = lit(cp);
        start = cp;
      }
      if (start !== undefined && this.p[this.i] === '-' && this.p[this.i + 1] !== ']' && this.p[this.i + 1] !== '-' && this.p[this.i + 1] !== undefined) {
        this.i++;
        let end: number | undefined;
        if (this.p[this.i] === '\\') {
          this.i++;
          end = this.escape(true, f).cp;
        } else end = this.nextCp();
        if (end === undefined) this.err('invalid range');
        if (end < start) this.err('invalid character class range');
        items.push(`${lit(start)}-${lit(end)}`);
        continue;
      }
      items.push(js);
    }
    flushUnion();
    let out = parts[0];
    for (let k = 0; k < ops.length; k++) {
      const r = parts[k + 1];
      if (ops[k] === '~~') out = `[[${out}--${r}][${r}--${out}]]`;
      else out = `[${out}${ops[k]}${r}]`;
    }
    if (parts.some((x) => x === '[]') && ops.length > 0) this.err('empty class operand');
    if (parts[0] === '[]' && ops.length === 0) this.err('empty character class');
    return negated ? `[^${out}]` : out;
  }

  private quant(f: Flags): string {
    const c = this.p[this.i];
    let q = '';
    if (c === '*' || c === '+' || c === '?') {
      q = c;
      this.i++;
    } else if (c === '{') {
      const m = /^\{\s*(\d+)\s*(?:(,)\s*(\d*)\s*)?\}/.exec(this.p.slice(this.i));
      if (!m) return '';
      q = `{${m[1]}${m[2] ? ',' : ''}${m[3] ?? ''}}`;
      if (m[3] !== undefined && m[3] !== '' && Number(m[3]) < Number(m[1])) this.err('invalid repetition range');
      if (Number(m[1]) > 1000 || Number(m[3] || 0) > 1000) this.err('repetition too large');
      this.i += m[0].length;
    } else return '';
    let lazy = false;
    if (f.x) this.skipX(f);
    if (this.p[this.i] === '?') {
      lazy = true;
      this.i++;
    }
    if (f.U) lazy = !lazy;
    return q + (lazy ? '?' : '');
  }

  /** alternation until `)` or end */
  seq(f: Flags, depth: number): string {
    let out = '';
    let atomAllowed = false;
    for (;;) {
      this.skipX(f);
      const c = this.p[this.i];
      if (c === undefined) {
        if (depth > 0) this.err('unclosed group');
        return out;
      }
      if (c === ')') {
        if (depth === 0) this.err('unopened group');
        return out;
      }
      if (c === '|') {
        this.i++;
        out += '|';
        atomAllowed = false;
        continue;
      }
      if (c === '{' && atomAllowed && !/^\{\s*\d+\s*(,\s*\d*\s*)?\}/.test(this.p.slice(this.i))) {
        this.err('repetition quantifier expects a valid decimal');
      }
      if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\s*\d/.test(this.p.slice(this.i)))) {
        if (!atomAllowed) this.err('repetition operator missing expression');
        out += this.quant(f);
        this.skipX(f);
        const n = this.p[this.i];
        if (n === '*' || n === '+' || n === '?' || (n === '{' && /^\{\s*\d/.test(this.p.slice(this.i)))) {
          this.err('nested repetition is not supported');
        }
        continue;
      }
      atomAllowed = true;
      if (c === '(') {
        this.i++;
        if (this.p[this.i] === '?') {
          this.i++;
          const rest = this.p.slice(this.i);
          if (/^(=|!|<=|<!)/.test(rest)) this.err('look-around, including look-ahead and look-behind, is not supported');
          const named = /^(?:P?<)([A-Za-z_][A-Za-z0-9_.[\]]*)>/.exec(rest);
          if (named) {
            const name = named[1];
            if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) this.err('unsupported group name');
            if (this.names.has(name)) this.err('duplicate capture group name');
            this.names.add(name);
            this.groupCount++;
            this.i += named[0].length;
            const inner = this.seq({ ...f }, depth + 1);
            this.i++;
            out += `(?<${name}>${inner})`;
            continue;
          }
          const fm = /^([imsxUuR-]*)(:|\))/.exec(rest);
          if (!fm) this.err('unrecognized flag group');
          const nf = { ...f };
          let neg = false;
          if (fm[1] === '' && fm[2] === ')') this.err('empty flag group');
          for (const ch of fm[1]) {
            if (ch === '-') {
              if (neg) this.err('repeated negation');
              neg = true;
              continue;
            }
            if (ch === 'u' || ch === 'R') {
              if (neg && ch === 'u') this.err('turning off Unicode mode is not supported');
              if (ch === 'R') this.err('CRLF mode is not supported');
              continue;
            }
            // The flag-group pattern above admits only i m s x U u R and '-'; u, R and '-' are handled.
            nf[ch as keyof Flags] = !neg;
          }
          if (fm[1].endsWith('-')) this.err('dangling flag negation');
          this.i += fm[0].length;
          if (fm[2] === ')') {
            Object.assign(f, nf);
            atomAllowed = false;
            continue;
          }
          const inner = this.seq(nf, depth + 1);
          this.i++;
          out += `(?:${inner})`;
          continue;
        }
        this.groupCount++;
        const inner = this.seq({ ...f }, depth + 1);
        this.i++;
        out += `(${inner})`;
        continue;
      }
      if (c === '[') {
        this.i++;
        out += this.cls(f);
        continue;
      }
      if (c === '.') {
        this.i++;
        out += f.s ? ANY : '[^\\n]';
        continue;
      }
      if (c === '^') {
        this.i++;
        out += f.m ? '(?<![^\\n])' : `(?<!${ANY})`;
        atomAllowed = true;
        continue;
      }
      if (c === '$') {
        this.i++;
        out += f.m ? '(?![^\\n])' : `(?!${ANY})`;
        continue;
      }
      if (c === '\\') {
        this.i++;
        if (this.p[this.i] === 'Q') this.err('\\Q is not supported');
        const e = this.escape(false, f);
        if (e.classy) this.noteI(f);
        if (e.cp !== undefined && f.i) this.noteI(f);
        out += e.js;
        continue;
      }
      const cp = this.nextCp();
      if (f.i && /\p{L}|\p{Nl}|\p{So}/u.test(String.fromCodePoint(cp))) this.noteI(f);
      out += lit(cp);
    }
  }
}

export interface RustRegex {
  re: RegExp;
  groupNames: Set<string>;
  groupCount: number;
}

const cache = new Map<string, RustRegex>();

/** Compiles a Rust regex pattern; throws RegexSyntaxError where Rust would refuse it. */
export function compileRustRegex(pattern: string): RustRegex {
  const hit = cache.get(pattern);
  if (hit) return hit;
  if (pattern.length > 10_000) throw new RegexSyntaxError('regex too large');
  const t = new Translator(pattern);
  const flags: Flags = { i: false, m: false, s: false, x: false, U: false };
  const body = t.seq(flags, 0);
  let re: RegExp;
  try {
    re = new RegExp(body, `g${t.globalI ? 'i' : ''}v`);
  } catch (e) {
    throw new RegexSyntaxError(`regex parse error: ${(e as Error).message}`);
  }
  const out = { re, groupNames: t.names, groupCount: t.groupCount };
  if (cache.size > 500) cache.clear();
  cache.set(pattern, out);
  return out;
}

/** `Regex::is_match`. */
export function rustIsMatch(pattern: string, input: string): boolean {
  const { re } = compileRustRegex(pattern);
  re.lastIndex = 0;
  return re.test(input);
}

/**
 * `Regex::replace_all(input, to)` with Rust's replacement syntax: `$name` takes the longest run of
 * `[0-9A-Za-z_]` (all digits → group index; `$1a` names group "1a"), `${name}` delimits, `$$` is
 * `$`; a `$` not followed by a name is literal; unknown groups expand to "".
 * Empty matches advance one code point; an empty match right after a match is skipped (Rust's
 * `find_iter` semantics).
 */
export function rustReplaceAll(input: string, from: string, to: string): string {
  const { re } = compileRustRegex(from);
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  let lastMatchEnd = -1;
  let searchAt = 0;
  while (searchAt <= input.length) {
    re.lastIndex = searchAt;
    const m = re.exec(input);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    if (start > 0 && start < input.length && isLow(input.charCodeAt(start)) && isHigh(input.charCodeAt(start - 1))) {
      // JS may report a match between the halves of a surrogate pair; Rust has no such position
      searchAt = start + 1;
      continue;
    }
    if (start === end && start === lastMatchEnd) {
      // skip an empty match adjacent to the previous match
      if (start >= input.length) break;
      const cp = input.codePointAt(start)!;
      searchAt = start + (cp > 0xffff ? 2 : 1);
      continue;
    }
    out += input.slice(last, start) + expand(to, m);
    last = end;
    lastMatchEnd = end;
    if (start === end) {
      if (end >= input.length) break;
      const cp = input.codePointAt(end)!;
      searchAt = end + (cp > 0xffff ? 2 : 1);
    } else searchAt = end;
  }
  return out + input.slice(last);
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

function expand(to: string, m: RegExpExecArray): string {
  const lookup = (name: string): string => {
    if (/^\d+$/.test(name)) {
      const n = Number(name);
      return n < m.length ? (m[n] ?? '') : '';
    }
    return m.groups?.[name] ?? '';
  };
  let out = '';
  for (let i = 0; i < to.length; i++) {
    const c = to[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    if (to[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    if (to[i + 1] === '{') {
      // `${…}`: everything up to the next `}` is the group name (Rust `find_cap_ref_braced`)
      const close = to.indexOf('}', i + 2);
      if (close >= 0) {
        out += lookup(to.slice(i + 2, close));
        i = close;
        continue;
      }
      out += '$';
      continue;
    }
    const nm = /^[0-9A-Za-z_]+/.exec(to.slice(i + 1));
    if (!nm) {
      out += '$';
      continue;
    }
    out += lookup(nm[0]);
    i += nm[0].length;
  }
  return out;
}
