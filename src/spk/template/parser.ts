/**
 * Tera 1.20 template parser: a hand-written PEG parser that follows Tera's pest grammar
 * (`src/parser/tera.pest` at tag v1.20.0) rule by rule — ordered choice without backtracking into
 * a choice that succeeded, implicit whitespace between the parts of non-atomic rules only — so
 * the same texts parse (or fail) as in Tera, quirks included (`{{ trueish }}` is a syntax error;
 * `{{ x inside }}` is `x in side`). The AST mirrors `src/parser/ast.rs`; operator precedence is
 * Tera's Pratt tables (`+ -` < `* / %`; comparisons take ONE operator; `or` < `and`), and
 * whitespace control is `src/parser/whitespace.rs`.
 */
import { TemplateError, trimEndWs, trimStartWs } from './value';

export interface WS {
  left: boolean;
  right: boolean;
}
export interface FnCall {
  name: string;
  args: Map<string, Expr>;
}
export interface Expr {
  val: ExprVal;
  negated: boolean;
  filters: FnCall[];
}
export type MathOp = '+' | '-' | '*' | '/' | '%';
export type LogicOp = 'or' | 'and' | '<' | '<=' | '>' | '>=' | '==' | '!=';
export type ExprVal =
  | { k: 'str'; v: string }
  | { k: 'int'; v: bigint }
  | { k: 'float'; v: number }
  | { k: 'bool'; v: boolean }
  | { k: 'ident'; v: string }
  | { k: 'math'; lhs: Expr; op: MathOp; rhs: Expr }
  | { k: 'logic'; lhs: Expr; op: LogicOp; rhs: Expr }
  | { k: 'test'; ident: string; negated: boolean; name: string; args: Expr[] }
  | { k: 'macro'; ns: string; name: string; args: Map<string, Expr> }
  | { k: 'fn'; call: FnCall }
  | { k: 'array'; items: Expr[] }
  | { k: 'concat'; values: ExprVal[] }
  | { k: 'in'; lhs: Expr; rhs: Expr; negated: boolean };

export type Node =
  | { k: 'text'; s: string }
  | { k: 'raw'; sws: WS; s: string; ews: WS }
  | { k: 'var'; ws: WS; expr: Expr; line: number }
  | { k: 'set'; ws: WS; key: string; value: Expr; global: boolean; line: number }
  | { k: 'comment'; ws: WS }
  | { k: 'if'; conds: Array<{ ws: WS; expr: Expr; body: Node[]; line: number }>; otherwise?: { ws: WS; body: Node[] }; ews: WS }
  | { k: 'for'; sws: WS; key?: string; value: string; container: Expr; body: Node[]; empty?: Node[]; ews: WS; line: number }
  | { k: 'break'; ws: WS }
  | { k: 'continue'; ws: WS }
  | { k: 'filter'; sws: WS; call: FnCall; body: Node[]; ews: WS; line: number }
  | { k: 'block'; sws: WS; name: string; body: Node[]; ews: WS }
  | { k: 'super' }
  | { k: 'include'; ws: WS; files: string[]; ignoreMissing: boolean; line: number }
  | { k: 'macrodef'; sws: WS; name: string; args: Array<[string, Expr | undefined]>; body: Node[]; ews: WS }
  | { k: 'extends'; ws: WS; name: string }
  | { k: 'import'; ws: WS; file: string; ns: string };

export class TemplateSyntaxError extends TemplateError {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

type Ctx = 'content' | 'for' | 'macro' | 'block' | 'filter';
const expr = (val: ExprVal, filters: FnCall[] = []): Expr => ({ val, negated: false, filters });

const RE_IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const RE_DOTTED = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/y;
const RE_ALLCHARS = /[A-Za-z0-9_]+/y;
const RE_INT = /-?(?:0|[1-9][0-9]*)/y;
const RE_FLOAT = /-?(?:0\.[0-9]+|[1-9][0-9]*\.[0-9]+)/y;
const RE_WS = /[ \t\r\n]*/y;

/** Deepest nesting the recursive-descent parser accepts (pest recurses too; this keeps our stack safe). */
const MAX_DEPTH = 200;

class Parser {
  pos = 0;
  maxPos = 0;
  depth = 0;
  constructor(readonly s: string) {}

  private re(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.s);
    if (!m || m[0].length === 0) {
      this.maxPos = Math.max(this.maxPos, this.pos);
      return undefined;
    }
    this.pos += m[0].length;
    this.maxPos = Math.max(this.maxPos, this.pos);
    return m[0];
  }
  private lit(t: string): boolean {
    if (this.s.startsWith(t, this.pos)) {
      this.pos += t.length;
      this.maxPos = Math.max(this.maxPos, this.pos);
      return true;
    }
    this.maxPos = Math.max(this.maxPos, this.pos);
    return false;
  }
  private ws(): void {
    RE_WS.lastIndex = this.pos;
    RE_WS.exec(this.s);
    this.pos = RE_WS.lastIndex;
  }
  /** One or more WHITESPACE (explicit `WHITESPACE+` in compound-atomic tag rules). */
  private ws1(): boolean {
    const p = this.pos;
    this.ws();
    if (this.pos === p) {
      this.maxPos = Math.max(this.maxPos, this.pos);
      return false;
    }
    return true;
  }
  private attempt<T>(f: () => T | undefined): T | undefined {
    const p = this.pos;
    if (++this.depth > MAX_DEPTH) throw new TemplateSyntaxError('the template nests expressions too deeply', this.lineAt(p));
    try {
      const r = f();
      if (r === undefined) this.pos = p;
      return r;
    } finally {
      this.depth--;
    }
  }
  /** `item (, item)*`: Tera's comma-separated argument lists (no trailing comma); [] when there is no first item. */
  private commaSeparated<T>(item: () => T | undefined): T[] {
    const first = item();
    if (first === undefined) return [];
    const out = [first];
    for (;;) {
      const next = this.attempt(() => {
        this.ws();
        if (!this.lit(',')) return undefined;
        this.ws();
        return item();
      });
      if (next === undefined) break;
      out.push(next);
    }
    return out;
  }
  /** `[ (item ,)* item? ]`: Tera's bracketed lists (array literals, include lists), a trailing comma allowed. */
  private bracketList<T>(item: () => T | undefined): T[] | undefined {
    return this.attempt(() => {
      if (!this.lit('[')) return undefined;
      this.ws();
      const out: T[] = [];
      for (;;) {
        const v = this.attempt(() => {
          const x = item();
          if (x === undefined) return undefined;
          this.ws();
          if (!this.lit(',')) return undefined;
          this.ws();
          return x;
        });
        if (v === undefined) break;
        out.push(v);
      }
      const last = item();
      if (last !== undefined) {
        out.push(last);
        this.ws();
      }
      return this.lit(']') ? out : undefined;
    });
  }
  lineAt(p: number): number {
    let n = 1;
    for (let i = 0; i < p && i < this.s.length; i++) if (this.s.charCodeAt(i) === 10) n++;
    return n;
  }

  // ----- atoms -----
  ident(): string | undefined {
    return this.re(RE_IDENT);
  }
  private intLit(): bigint | undefined {
    const t = this.re(RE_INT);
    if (t === undefined) return undefined;
    const v = BigInt(t);
    if (v < -(2n ** 63n) || v > 2n ** 63n - 1n) throw new TemplateSyntaxError(`Integer out of bounds: \`${t}\``, this.lineAt(this.pos));
    return v;
  }
  private floatLit(): number | undefined {
    const t = this.re(RE_FLOAT);
    if (t === undefined) return undefined;
    const v = Number(t);
    if (!Number.isFinite(v)) throw new TemplateSyntaxError(`Float out of bounds: \`${t}\``, this.lineAt(this.pos));
    return v;
  }
  string(): string | undefined {
    const q = this.s[this.pos];
    if (q !== '"' && q !== "'" && q !== '`') {
      this.maxPos = Math.max(this.maxPos, this.pos);
      return undefined;
    }
    const end = this.s.indexOf(q, this.pos + 1);
    if (end < 0) {
      this.maxPos = this.s.length;
      return undefined;
    }
    const v = this.s.slice(this.pos + 1, end);
    this.pos = end + 1;
    this.maxPos = Math.max(this.maxPos, this.pos);
    return v;
  }
  private boolean(): boolean | undefined {
    for (const [t, v] of [['true', true], ['false', false], ['True', true], ['False', false]] as const) if (this.lit(t)) return v;
    return undefined;
  }
  private squareBrackets(): true | undefined {
    return this.attempt(() => {
      if (!this.lit('[')) return undefined;
      if (this.attempt(() => this.intLit()) === undefined && this.string() === undefined && this.dsbi() === undefined) return undefined;
      return this.lit(']') ? true : undefined;
    });
  }
  /** dotted_square_bracket_ident: its text is the variable path. */
  dsbi(): string | undefined {
    const start = this.pos;
    if (this.re(RE_DOTTED) === undefined) return undefined;
    for (;;) {
      const p = this.pos;
      if (this.lit('.') && this.re(RE_ALLCHARS) !== undefined) continue;
      this.pos = p;
      if (this.squareBrackets()) continue;
      this.pos = p;
      break;
    }
    return this.s.slice(start, this.pos);
  }

  // ----- expressions -----
  private kwargs(): Map<string, Expr> {
    const args = new Map<string, Expr>();
    const kwarg = () =>
      this.attempt(() => {
        const name = this.ident();
        if (name === undefined) return undefined;
        this.ws();
        if (!this.lit('=')) return undefined;
        this.ws();
        const v = this.logicExpr() ?? this.arrayFilter();
        return v === undefined ? undefined : ([name, v] as const);
      });
    const list = this.commaSeparated(kwarg);
    if (list.length === 0) return args;
    for (const [k, v] of list) args.set(k, v);
    this.attempt(() => {
      this.ws();
      return this.lit(',') ? true : undefined;
    });
    return args;
  }
  fnCall(): FnCall | undefined {
    return this.attempt(() => {
      const name = this.ident();
      if (name === undefined) return undefined;
      this.ws();
      if (!this.lit('(')) return undefined;
      this.ws();
      const args = this.kwargs();
      this.ws();
      if (!this.lit(')')) return undefined;
      return { name, args };
    });
  }
  private macroCall(): ExprVal | undefined {
    return this.attempt(() => {
      const ns = this.ident();
      if (ns === undefined) return undefined;
      this.ws();
      if (!this.lit('::')) return undefined;
      this.ws();
      // `ns::name(kwargs)`: after the namespace, Tera's macro_call is its fn_call.
      const call = this.fnCall();
      return call ? { k: 'macro', ns, name: call.name, args: call.args } : undefined;
    });
  }
  private testCall(): { name: string; args: Expr[] } | undefined {
    const name = this.ident();
    if (name === undefined) return undefined;
    const args =
      this.attempt(() => {
        this.ws();
        if (!this.lit('(')) return undefined;
        this.ws();
        const out = this.commaSeparated(() => this.logicExpr() ?? this.arrayFilter());
        if (out.length === 0) return undefined;
        this.ws();
        if (!this.lit(')')) return undefined;
        return out;
      }) ?? [];
    return { name, args };
  }
  private test(negated: boolean): ExprVal | undefined {
    return this.attempt(() => {
      const ident = this.dsbi();
      if (ident === undefined) return undefined;
      this.ws();
      if (!this.lit('is')) return undefined;
      this.ws();
      if (negated) {
        if (!this.lit('not')) return undefined;
        this.ws();
      }
      const call = this.testCall();
      if (!call) return undefined;
      return { k: 'test', ident, negated, name: call.name, args: call.args };
    });
  }
  private basicVal(): ExprVal | undefined {
    const b = this.boolean();
    if (b !== undefined) return { k: 'bool', v: b };
    const t = this.test(true) ?? this.test(false) ?? this.macroCall();
    if (t) return t;
    const f = this.fnCall();
    if (f) return { k: 'fn', call: f };
    const id = this.dsbi();
    if (id !== undefined) return { k: 'ident', v: id };
    return this.numberLit();
  }
  /** A float, else an integer literal (Tera tries `float` before `int` wherever both may stand). */
  private numberLit(): ExprVal | undefined {
    const fl = this.floatLit();
    if (fl !== undefined) return { k: 'float', v: fl };
    const i = this.intLit();
    if (i !== undefined) return { k: 'int', v: i };
    return undefined;
  }
  private basicOp(): MathOp | undefined {
    for (const op of ['+', '-', '*', '/', '%'] as const) if (this.lit(op)) return op;
    return undefined;
  }
  /**
   * `operand (op operand)*` (Tera's basic_expr and comparison_val share this shape), folded by
   * Pratt over `+ -` (low) and `* / %` (high), left-associative.
   */
  private mathChain<T extends object>(operand: () => T | undefined, make: (l: T, op: MathOp, r: T) => T): T | undefined {
    const first = operand();
    if (first === undefined) return undefined;
    const operands = [first];
    const ops: MathOp[] = [];
    for (;;) {
      const r = this.attempt(() => {
        this.ws();
        const op = this.basicOp();
        if (!op) return undefined;
        this.ws();
        const v = operand();
        return v === undefined ? undefined : ([op, v] as const);
      });
      if (!r) break;
      ops.push(r[0]);
      operands.push(r[1]);
    }
    const prec = (op: MathOp) => (op === '+' || op === '-' ? 1 : 2);
    let i = 0;
    const climb = (lhs: T, min: number): T => {
      while (i < ops.length && prec(ops[i]) >= min) {
        const op = ops[i];
        i++;
        let rhs = operands[i];
        while (i < ops.length && prec(ops[i]) > prec(op)) rhs = climb(rhs, prec(op) + 1);
        lhs = make(lhs, op, rhs);
      }
      return lhs;
    };
    return climb(operands[0], 0);
  }
  private basicExpr(): ExprVal | undefined {
    return this.attempt(() => {
      const operand = (): ExprVal | undefined =>
        this.attempt(() => {
          if (!this.lit('(')) return undefined;
          this.ws();
          const e = this.basicExpr();
          if (!e) return undefined;
          this.ws();
          return this.lit(')') ? e : undefined;
        }) ?? this.basicVal();
      return this.mathChain<ExprVal>(operand, (l, op, r) => ({ k: 'math', lhs: expr(l), op, rhs: expr(r) }));
    });
  }
  private filters(): FnCall[] {
    const out: FnCall[] = [];
    for (;;) {
      const f = this.attempt(() => {
        this.ws();
        if (!this.lit('|')) return undefined;
        this.ws();
        const call = this.fnCall();
        if (call) return call;
        const name = this.ident();
        return name === undefined ? undefined : { name, args: new Map<string, Expr>() };
      });
      if (!f) return out;
      out.push(f);
    }
  }
  private basicExprFilter(): Expr | undefined {
    return this.attempt(() => {
      const v = this.basicExpr();
      return v ? expr(v, this.filters()) : undefined;
    });
  }
  private concatItem(): ExprVal | undefined {
    const f = this.fnCall();
    if (f) return { k: 'fn', call: f };
    const n = this.numberLit();
    if (n) return n;
    const s = this.string();
    if (s !== undefined) return { k: 'str', v: s };
    const id = this.dsbi();
    if (id !== undefined) return { k: 'ident', v: id };
    return undefined;
  }
  private stringConcat(): ExprVal | undefined {
    return this.attempt(() => {
      const first = this.concatItem();
      if (!first) return undefined;
      const items = [first];
      for (;;) {
        const n = this.attempt(() => {
          this.ws();
          if (!this.lit('~')) return undefined;
          this.ws();
          return this.concatItem();
        });
        if (!n) break;
        items.push(n);
      }
      if (items.length < 2) return undefined;
      // parse_string_concat: adjacent string literals merge; a lone string stays a string
      const values: ExprVal[] = [];
      let cur = '';
      for (const it of items) {
        if (it.k === 'str') cur += it.v;
        else {
          if (cur !== '') values.push({ k: 'str', v: cur });
          cur = '';
          values.push(it);
        }
      }
      if (values.length === 0) return { k: 'str', v: cur };
      if (cur !== '') values.push({ k: 'str', v: cur });
      return { k: 'concat', values };
    });
  }
  private stringExprFilter(): Expr | undefined {
    return this.attempt(() => {
      let v = this.stringConcat();
      if (!v) {
        const s = this.string();
        if (s !== undefined) v = { k: 'str', v: s };
      }
      return v ? expr(v, this.filters()) : undefined;
    });
  }
  private comparisonVal(): Expr | undefined {
    return this.attempt(() =>
      this.mathChain<Expr>(() => this.basicExprFilter(), (l, op, r) => expr({ k: 'math', lhs: l, op, rhs: r })),
    );
  }
  private comparisonExpr(): Expr | undefined {
    return this.attempt(() => {
      const side = () => this.stringExprFilter() ?? this.comparisonVal();
      const l = side();
      if (!l) return undefined;
      const rest = this.attempt(() => {
        this.ws();
        let op: LogicOp | undefined;
        for (const o of ['<=', '>=', '>', '<', '==', '!='] as const) {
          if (this.lit(o)) {
            op = o;
            break;
          }
        }
        if (!op) return undefined;
        this.ws();
        const r = side();
        return r ? ([op, r] as const) : undefined;
      });
      return rest ? expr({ k: 'logic', lhs: l, op: rest[0], rhs: rest[1] }) : l;
    });
  }
  private opWord(w: string): boolean {
    const p = this.pos;
    if (this.lit(w) && /[ \t\r\n]/.test(this.s[this.pos] ?? '')) {
      this.pos++;
      return true;
    }
    this.pos = p;
    return false;
  }
  private inCond(): Expr | undefined {
    return this.attempt(() => {
      const lhs = this.stringExprFilter() ?? this.basicExprFilter();
      if (!lhs) return undefined;
      this.ws();
      const negated = this.opWord('not');
      this.ws();
      if (!this.lit('in')) return undefined;
      this.ws();
      let rhs = this.stringExprFilter() ?? this.arrayFilter();
      if (!rhs) {
        const id = this.dsbi();
        if (id !== undefined) rhs = expr({ k: 'ident', v: id });
      }
      return rhs ? expr({ k: 'in', lhs, rhs, negated }) : undefined;
    });
  }
  logicVal(): Expr | undefined {
    const a = this.attempt(() => {
      const negated = this.opWord('not');
      if (negated) this.ws();
      const e = this.inCond() ?? this.comparisonExpr();
      if (!e) return undefined;
      e.negated = negated;
      return e;
    });
    if (a) return a;
    return this.attempt(() => {
      if (!this.lit('(')) return undefined;
      this.ws();
      const e = this.logicExpr();
      if (!e) return undefined;
      this.ws();
      return this.lit(')') ? e : undefined;
    });
  }
  logicExpr(): Expr | undefined {
    return this.attempt(() => {
      const first = this.logicVal();
      if (!first) return undefined;
      const operands = [first];
      const ops: Array<'or' | 'and'> = [];
      for (;;) {
        const r = this.attempt(() => {
          this.ws();
          const op = this.opWord('or') ? 'or' : this.opWord('and') ? 'and' : undefined;
          if (!op) return undefined;
          this.ws();
          const v = this.logicVal();
          return v ? ([op, v] as const) : undefined;
        });
        if (!r) break;
        ops.push(r[0]);
        operands.push(r[1]);
      }
      // `or` binds looser than `and`, both left-associative
      const groups: Expr[] = [operands[0]];
      for (let i = 0; i < ops.length; i++) {
        if (ops[i] === 'and') {
          const l = groups.pop()!;
          groups.push(expr({ k: 'logic', lhs: l, op: 'and', rhs: operands[i + 1] }));
        } else groups.push(operands[i + 1]);
      }
      return groups.reduce((l, r) => expr({ k: 'logic', lhs: l, op: 'or', rhs: r }));
    });
  }
  private array(): ExprVal | undefined {
    const items = this.bracketList(() => this.logicVal());
    return items ? { k: 'array', items } : undefined;
  }
  arrayFilter(): Expr | undefined {
    return this.attempt(() => {
      const a = this.array();
      return a ? expr(a, this.filters()) : undefined;
    });
  }

  // ----- tags -----
  private tagStart(): boolean | undefined {
    if (this.lit('{%-')) return true;
    if (this.lit('{%')) return false;
    return undefined;
  }
  private tagEnd(): boolean | undefined {
    if (this.lit('-%}')) return true;
    if (this.lit('%}')) return false;
    return undefined;
  }
  /** `!{ tag_start ~ "word" ~ ident? ~ tag_end }` (implicit whitespace). */
  private simpleTag(word: string, optIdent = false): WS | undefined {
    return this.attempt(() => {
      const left = this.tagStart();
      if (left === undefined) return undefined;
      this.ws();
      if (!this.lit(word)) return undefined;
      this.ws();
      if (optIdent && this.ident() !== undefined) this.ws();
      const right = this.tagEnd();
      return right === undefined ? undefined : { left, right };
    });
  }
  /** `${ tag_start ~ WHITESPACE* ~ "word" ~ WHITESPACE+ ~ body ~ WHITESPACE* ~ tag_end }`. */
  private tag<T>(word: string, body: () => T | undefined): { ws: WS; v: T } | undefined {
    return this.attempt(() => {
      const left = this.tagStart();
      if (left === undefined) return undefined;
      this.ws();
      if (!this.lit(word) || !this.ws1()) return undefined;
      const v = body();
      if (v === undefined) return undefined;
      this.ws();
      const right = this.tagEnd();
      return right === undefined ? undefined : { ws: { left, right }, v };
    });
  }
  private variableTag(): Node | undefined {
    const line = this.lineAt(this.pos);
    return this.attempt(() => {
      let left: boolean;
      if (this.lit('{{-')) left = true;
      else if (this.lit('{{')) left = false;
      else return undefined;
      this.ws();
      const e = this.logicExpr() ?? this.arrayFilter();
      if (!e) return undefined;
      this.ws();
      let right: boolean;
      if (this.lit('-}}')) right = true;
      else if (this.lit('}}')) right = false;
      else return undefined;
      return { k: 'var', ws: { left, right }, expr: e, line };
    });
  }
  private commentTag(): Node | undefined {
    return this.attempt(() => {
      let left: boolean;
      if (this.lit('{#-')) left = true;
      else if (this.lit('{#')) left = false;
      else return undefined;
      let i = this.pos;
      while (i < this.s.length && !this.s.startsWith('-#}', i) && !this.s.startsWith('#}', i)) i++;
      if (i === this.pos || i >= this.s.length) {
        this.maxPos = Math.max(this.maxPos, i);
        return undefined;
      }
      this.pos = i;
      const right = this.lit('-#}') ? true : (this.lit('#}'), false);
      return { k: 'comment', ws: { left, right } };
    });
  }
  private setTag(global: boolean): Node | undefined {
    const line = this.lineAt(this.pos);
    const r = this.tag(global ? 'set_global' : 'set', () => {
      const key = this.ident();
      if (key === undefined) return undefined;
      this.ws();
      if (!this.lit('=')) return undefined;
      this.ws();
      const value = this.logicExpr() ?? this.arrayFilter();
      return value ? { key, value } : undefined;
    });
    return r ? { k: 'set', ws: r.ws, key: r.v.key, value: r.v.value, global, line } : undefined;
  }
  private includeTag(): Node | undefined {
    const line = this.lineAt(this.pos);
    const r = this.tag('include', () => {
      let files: string[] | undefined;
      const s = this.string();
      if (s !== undefined) files = [s];
      else
        files = this.bracketList(() => this.string());
      if (!files) return undefined;
      this.ws();
      const ignoreMissing =
        this.attempt(() => {
          if (!this.lit('ignore')) return undefined;
          this.ws();
          return this.lit('missing') ? true : undefined;
        }) ?? false;
      return { files, ignoreMissing };
    });
    return r ? { k: 'include', ws: r.ws, files: r.v.files, ignoreMissing: r.v.ignoreMissing, line } : undefined;
  }
  private rawBlock(): Node | undefined {
    return this.attempt(() => {
      const sws = this.simpleTag('raw');
      if (!sws) return undefined;
      const start = this.pos;
      for (let i = start; i <= this.s.length; i++) {
        if (this.s[i] !== '{') continue;
        this.pos = i;
        const ews = this.simpleTag('endraw');
        if (ews) return { k: 'raw', sws, s: this.s.slice(start, i), ews };
      }
      this.maxPos = this.s.length;
      return undefined;
    });
  }
  private filterSection(): Node | undefined {
    const line = this.lineAt(this.pos);
    return this.attempt(() => {
      const t = this.tag('filter', () => {
        const c = this.fnCall();
        if (c) return c;
        const name = this.ident();
        return name === undefined ? undefined : { name, args: new Map<string, Expr>() };
      });
      if (!t) return undefined;
      const body = this.contents('filter');
      const ews = this.simpleTag('endfilter');
      return ews ? { k: 'filter', sws: t.ws, call: t.v, body, ews, line } : undefined;
    });
  }
  private blockSection(): Node | undefined {
    return this.attempt(() => {
      const t = this.tag('block', () => this.ident());
      if (!t) return undefined;
      const body = this.contents('block');
      const ews = this.simpleTag('endblock', true);
      return ews ? { k: 'block', sws: t.ws, name: t.v, body, ews } : undefined;
    });
  }
  private ifSection(ctx: Ctx): Node | undefined {
    return this.attempt(() => {
      const line = this.lineAt(this.pos);
      const t = this.tag('if', () => this.logicExpr());
      if (!t) return undefined;
      const conds: Array<{ ws: WS; expr: Expr; body: Node[]; line: number }> = [{ ws: t.ws, expr: t.v, body: this.contents(ctx), line }];
      for (;;) {
        const l = this.lineAt(this.pos);
        const e = this.tag('elif', () => this.logicExpr());
        if (!e) break;
        conds.push({ ws: e.ws, expr: e.v, body: this.contents(ctx), line: l });
      }
      let otherwise: { ws: WS; body: Node[] } | undefined;
      const el = this.simpleTag('else');
      if (el) otherwise = { ws: el, body: this.contents(ctx) };
      const ews = this.simpleTag('endif');
      return ews ? { k: 'if', conds, otherwise, ews } : undefined;
    });
  }
  private forSection(): Node | undefined {
    const line = this.lineAt(this.pos);
    return this.attempt(() => {
      const left = this.tagStart();
      if (left === undefined) return undefined;
      this.ws();
      if (!this.lit('for') || !this.ws1()) return undefined;
      const first = this.ident();
      if (first === undefined) return undefined;
      const second = this.attempt(() => {
        if (!this.lit(',')) return undefined;
        this.ws();
        return this.ident();
      });
      if (!this.ws1() || !this.lit('in') || !this.ws1()) return undefined;
      const container = this.basicExprFilter() ?? this.arrayFilter();
      if (!container) return undefined;
      this.ws();
      const right = this.tagEnd();
      if (right === undefined) return undefined;
      const body = this.contents('for');
      let empty: Node[] | undefined;
      for (;;) {
        const el = this.simpleTag('else');
        if (!el) break;
        empty = this.contents('for');
      }
      const ews = this.simpleTag('endfor');
      if (!ews) return undefined;
      return {
        k: 'for',
        sws: { left, right },
        key: second === undefined ? undefined : first,
        value: second ?? first,
        container,
        body,
        empty,
        ews,
        line,
      };
    });
  }
  macroDefinition(): Node | undefined {
    return this.attempt(() => {
      const t = this.tag('macro', () =>
        this.attempt(() => {
          const name = this.ident();
          if (name === undefined) return undefined;
          this.ws();
          if (!this.lit('(')) return undefined;
          this.ws();
          const args: Array<[string, Expr | undefined]> = [];
          const arg = () =>
            this.attempt(() => {
              const id = this.ident();
              if (id === undefined) return undefined;
              const def = this.attempt(() => {
                if (!this.lit('=')) return undefined;
                const b = this.boolean();
                if (b !== undefined) return expr({ k: 'bool', v: b });
                const s = this.string();
                if (s !== undefined) return expr({ k: 'str', v: s });
                const f = this.floatLit();
                if (f !== undefined) return expr({ k: 'float', v: f });
                const i = this.intLit();
                if (i !== undefined) return expr({ k: 'int', v: i });
                return undefined;
              });
              return [id, def] as [string, Expr | undefined];
            });
          const list = this.commaSeparated(arg);
          if (list.length > 0) {
            args.push(...list);
            this.ws();
          }
          return this.lit(')') ? { name, args } : undefined;
        }),
      );
      if (!t) return undefined;
      const body = this.contents('macro');
      const ews = this.simpleTag('endmacro', true);
      return ews ? { k: 'macrodef', sws: t.ws, name: t.v.name, args: t.v.args, body, ews } : undefined;
    });
  }
  private text(): Node | undefined {
    let i = this.pos;
    while (i < this.s.length) {
      const j = this.s.indexOf('{', i);
      if (j < 0) {
        i = this.s.length;
        break;
      }
      const c = this.s[j + 1];
      if (c === '{' || c === '%' || c === '#') {
        i = j;
        break;
      }
      i = j + 1;
    }
    if (i === this.pos) return undefined;
    const s = this.s.slice(this.pos, i);
    this.pos = i;
    return { k: 'text', s };
  }
  private content(ctx: Ctx): Node | undefined {
    return (
      this.includeTag() ??
      (ctx === 'block' && this.attempt(() => (this.lit('{{-') || this.lit('{{') ? (this.ws(), this.lit('super()') ? (this.ws(), this.lit('-}}') || this.lit('}}') ? true : undefined) : undefined) : undefined))
        ? ({ k: 'super' } as Node)
        : undefined) ??
      this.variableTag() ??
      this.commentTag() ??
      this.setTag(false) ??
      this.setTag(true) ??
      (ctx === 'content' || ctx === 'block' || ctx === 'filter' ? this.blockSection() : undefined) ??
      this.ifSection(ctx) ??
      this.forSection() ??
      this.filterSection() ??
      this.rawBlock() ??
      this.text()
    );
  }
  contents(ctx: Ctx): Node[] {
    const out: Node[] = [];
    for (;;) {
      // break/continue keep their whitespace flags
      if (ctx === 'for') {
        const b = this.simpleTag('break');
        if (b) {
          out.push({ k: 'break', ws: b });
          continue;
        }
        const c = this.simpleTag('continue');
        if (c) {
          out.push({ k: 'continue', ws: c });
          continue;
        }
      }
      const n = this.content(ctx);
      if (!n) return out;
      out.push(n);
    }
  }
  template(): Node[] {
    const nodes: Node[] = [];
    // SOI ~ comment_tag* ~ top_imports? — the leading comments are dropped (no whitespace effect)
    while (this.commentTag()) {
      /* dropped */
    }
    const extendsTag = () =>
      this.attempt(() => {
        this.ws();
        const t = this.tag('extends', () => this.string());
        if (!t) return undefined;
        this.ws();
        return { k: 'extends', ws: t.ws, name: t.v } as Node;
      });
    const importTag = () =>
      this.attempt(() => {
        this.ws();
        const t = this.tag('import', () =>
          this.attempt(() => {
            const file = this.string();
            if (file === undefined || !this.ws1() || !this.lit('as') || !this.ws1()) return undefined;
            const ns = this.ident();
            return ns === undefined ? undefined : { file, ns };
          }),
        );
        if (!t) return undefined;
        this.ws();
        return { k: 'import', ws: t.ws, file: t.v.file, ns: t.v.ns } as Node;
      });
    const ext = extendsTag();
    if (ext) {
      nodes.push(ext);
      for (let im = importTag(); im; im = importTag()) nodes.push(im);
    } else {
      let any = false;
      for (let im = importTag(); im; im = importTag()) {
        nodes.push(im);
        any = true;
      }
      if (any) {
        const e2 = extendsTag();
        if (e2) nodes.push(e2);
      }
    }
    for (;;) {
      const n = this.content('content') ?? this.macroDefinition();
      if (!n) break;
      nodes.push(n);
    }
    if (this.pos < this.s.length) {
      const at = Math.max(this.maxPos, this.pos);
      const line = this.lineAt(at);
      const lineStart = this.s.lastIndexOf('\n', at - 1) + 1;
      throw new TemplateSyntaxError(`syntax error at line ${line}, column ${at - lineStart + 1}`, line);
    }
    return nodes;
  }
}

// ----- whitespace control (src/parser/whitespace.rs) -----
function trimRightPrevious(v: Node[]): void {
  const last = v.pop();
  if (!last) return;
  if (last.k === 'text') {
    const s = trimEndWs(last.s);
    if (s !== '') v.push({ k: 'text', s });
  } else v.push(last);
}

export function removeWhitespace(nodes: Node[], bodyWs?: WS): Node[] {
  const res: Node[] = [];
  let previousWasText = false;
  let trimLeftNext = bodyWs?.left ?? false;
  for (const n of nodes) {
    switch (n.k) {
      case 'text': {
        previousWasText = true;
        if (!trimLeftNext) {
          res.push(n);
          continue;
        }
        trimLeftNext = false;
        const s = trimStartWs(n.s);
        if (s !== '') res.push({ k: 'text', s });
        continue;
      }
      case 'var':
      case 'import':
      case 'extends':
      case 'include':
      case 'set':
      case 'break':
      case 'comment':
      case 'continue':
        if (previousWasText && n.ws.left) trimRightPrevious(res);
        trimLeftNext = n.ws.right;
        break;
      case 'raw': {
        if (previousWasText && n.sws.left) trimRightPrevious(res);
        previousWasText = false;
        trimLeftNext = n.ews.right;
        if (n.sws.right || n.ews.left) {
          const s = n.sws.right && n.ews.left ? trimEndWs(trimStartWs(n.s)) : n.sws.right ? trimStartWs(n.s) : trimEndWs(n.s);
          res.push({ ...n, s });
          continue;
        }
        break;
      }
      case 'for':
      case 'macrodef':
      case 'filter':
      case 'block': {
        if (previousWasText && n.sws.left) trimRightPrevious(res);
        previousWasText = false;
        trimLeftNext = n.ews.right;
        res.push({ ...n, body: removeWhitespace(n.body, { left: n.sws.right, right: n.ews.left }) } as Node);
        continue;
      }
      case 'if': {
        trimLeftNext = n.ews.right;
        const conds: typeof n.conds = [];
        for (const c of n.conds) {
          if (c.ws.left) {
            if (conds.length === 0 && previousWasText) trimRightPrevious(res);
            else if (conds.length > 0) trimRightPrevious(conds[conds.length - 1].body);
          }
          conds.push({ ...c, body: removeWhitespace(c.body, { left: c.ws.right, right: false }) });
        }
        previousWasText = false;
        if (n.otherwise) {
          if (n.otherwise.ws.left && conds.length > 0) trimRightPrevious(conds[conds.length - 1].body);
          const elseBody = removeWhitespace(n.otherwise.body, { left: n.otherwise.ws.right, right: false });
          if (n.ews.left) trimRightPrevious(elseBody);
          res.push({ k: 'if', conds, otherwise: { ws: n.otherwise.ws, body: elseBody }, ews: n.ews });
          continue;
        }
        if (n.ews.left && conds.length > 0) trimRightPrevious(conds[conds.length - 1].body);
        res.push({ k: 'if', conds, ews: n.ews });
        continue;
      }
      case 'super':
        break;
    }
    previousWasText = false;
    res.push(n);
  }
  if (bodyWs?.right) trimRightPrevious(res);
  return res;
}

export interface ParsedTemplate {
  nodes: Node[];
  macros: Map<string, Extract<Node, { k: 'macrodef' }>>;
  blocks: Map<string, Node[]>;
}

/** `Template::new`: parse, apply whitespace control, collect macros and blocks. */
export function parseTemplate(text: string): ParsedTemplate {
  const p = new Parser(text);
  let nodes: Node[];
  try {
    nodes = p.template();
  } catch (e) {
    if (e instanceof RangeError) throw new TemplateSyntaxError('the template nests expressions too deeply', p.lineAt(p.pos));
    throw e;
  }
  nodes = removeWhitespace(nodes);
  const macros = new Map<string, Extract<Node, { k: 'macrodef' }>>();
  const blocks = new Map<string, Node[]>();
  const collectBlocks = (ns: Node[]): void => {
    for (const n of ns) {
      if (n.k === 'block') {
        if (blocks.has(n.name)) throw new TemplateError(`Block \`${n.name}\` is duplicated`);
        blocks.set(n.name, n.body);
        collectBlocks(n.body);
      }
    }
  };
  for (const n of nodes) {
    if (n.k === 'macrodef') {
      if (macros.has(n.name)) throw new TemplateError(`Macro \`${n.name}\` is duplicated`);
      macros.set(n.name, n);
    }
    if (n.k === 'extends') throw new TemplateError(`Template 'recipe' is inheriting from '${n.name}', which doesn't exist or isn't loaded.`);
    if (n.k === 'import') throw new TemplateError(`Template \`${n.file}\` not found while importing macros`);
  }
  collectBlocks(nodes);
  return { nodes, macros, blocks };
}
