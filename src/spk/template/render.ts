/**
 * Tera 1.20 renderer: evaluation rules of `src/renderer/processor.rs`, `call_stack.rs`,
 * `stack_frame.rs` and `for_loop.rs` (tag v1.20.0), over the AST of ./parser. Type rules that
 * look odd are Tera's on purpose: `and`/`or` give booleans, `==` between a number and a
 * non-number is false, `not a == b` is negated twice in `{{ }}`, a missing variable in an `if`
 * is false only when it is the whole condition, `/` gives an integer when the quotient is whole.
 */
import { FnCall, Expr, ExprVal, Node, ParsedTemplate } from './parser';
import {
  Value,
  TFloat,
  TemplateError,
  TeraPanic,
  fail,
  isNumber,
  asF64,
  isTruthy,
  renderValue,
  numberToString,
  rustF64Display,
  valueEq,
  sortedKeys,
  toJson,
  I64_MIN,
  I64_MAX,
  U64_MAX,
} from './value';
import { FILTERS, TESTS, FUNCTIONS, Env } from './builtins';

export interface Limits {
  /** Evaluation steps one render may take. */
  fuel: number;
  /** Longest string (UTF-16 units) a render may build. */
  maxChars: number;
  /** Deepest macro call nesting. */
  maxMacroDepth: number;
}

export class FuelExhausted extends TemplateError {}
export class OutputTooLarge extends TemplateError {}

interface Loop {
  keyName?: string;
  valueName: string;
  kind: 'array' | 'string' | 'object';
  items: Value[];
  keys?: string[];
  graphemes?: string[];
  len: number;
  current: number;
  state: 'normal' | 'break' | 'continue';
}
interface Frame {
  kind: 'origin' | 'macro' | 'for' | 'include';
  ctx: Map<string, Value>;
  loop?: Loop;
  macroName?: string;
}

// ---- dotted pointers (context.rs `dotted_pointer`, `PointerMachina`) ----
function pointerTokens(p: string): string[] {
  const out: string[] = [];
  let last = 0;
  let sq = false;
  let dq = false;
  let esc = false;
  for (;;) {
    const fw = p.slice(last);
    let offset = 0;
    let ret: string | undefined;
    for (let i = 0; i < fw.length && ret === undefined; i++) {
      const ch = fw[i];
      if (ch === '"' || ch === "'") {
        if (!esc) {
          if (ch === '"') dq = !dq;
          else sq = !sq;
          if (i === offset) offset++;
          else {
            const r = p.slice(last + offset, last + i);
            last += i + 1;
            if (r) ret = r;
          }
        }
      } else if (ch === '\\') {
        esc = true;
        continue;
      } else if (ch === '[') {
        if (!sq && !dq && !esc) {
          const r = p.slice(last + offset, last + i);
          last += i + 1;
          if (r) ret = r;
        }
      } else if (ch === ']') {
        if (!sq && !dq && !esc) offset++;
      } else if (ch === '.') {
        if (!sq && !dq && !esc) {
          if (i === offset) offset++;
          else {
            const r = p.slice(last + offset, last + i);
            last += i + 1;
            if (r) ret = r;
          }
        }
      }
      esc = false;
    }
    if (ret !== undefined) {
      out.push(ret);
      continue;
    }
    if (last + offset < p.length) {
      out.push(p.slice(last + offset));
      last = p.length;
      continue;
    }
    return out;
  }
}
function parseIndex(s: string): number | undefined {
  if (s.startsWith('+') || (s.startsWith('0') && s.length !== 1)) return undefined;
  if (!/^\d+$/.test(s)) return undefined;
  return Number(s);
}
export function dottedPointer(v: Value, pointer: string): Value | undefined {
  if (pointer === '') return v;
  let cur: Value | undefined = v;
  for (const raw of pointerTokens(pointer)) {
    const tok = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur instanceof Map) cur = cur.get(tok);
    else if (Array.isArray(cur)) {
      const i = parseIndex(tok);
      cur = i === undefined ? undefined : cur[i];
    } else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** square_brackets.rs `pull_out_square_bracket`. */
function pullOutSquareBracket(s: string): string[] {
  const chars = [...s];
  const results: string[] = [];
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i++];
    if (ch !== '[') continue;
    const c = chars[i++];
    if (c === undefined) throw new TeraPanic('unexpected end of index');
    if (c === '"' || c === "'") continue;
    const inside = [c];
    let count = 1;
    for (;;) {
      const d = chars[i++];
      if (d === ']') count--;
      else if (d === '[') count++;
      else if (d === undefined) break;
      if (count === 0) {
        const sub = inside.join('');
        if (!/^\d+$/.test(sub)) results.push(sub);
        break;
      }
      inside.push(d);
    }
  }
  return results;
}

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
export const graphemes = (s: string): string[] => Array.from(graphemeSegmenter.segment(s), (x) => x.segment);

type Macro = Extract<Node, { k: 'macrodef' }>;

export class Renderer {
  private frames: Frame[] = [{ kind: 'origin', ctx: new Map() }];
  private steps = 0;
  private macroDepth = 0;
  line = 1;
  private outLen = 0;

  constructor(
    private readonly tpl: ParsedTemplate,
    private readonly context: Map<string, Value>,
    private readonly env: Env,
    private readonly limits: Limits,
    private readonly name: string,
  ) {}

  render(): string {
    const out: string[] = [];
    this.renderBody(this.tpl.nodes, out);
    return out.join('');
  }

  private tick(): void {
    if (++this.steps > this.limits.fuel) throw new FuelExhausted('fuel');
  }
  private checkLen(n: number): void {
    if (n > this.limits.maxChars) throw new OutputTooLarge('size');
  }
  private write(out: string[], s: string): void {
    this.outLen += s.length;
    this.checkLen(this.outLen);
    out.push(s);
  }

  private get top(): Frame {
    return this.frames[this.frames.length - 1];
  }

  // ---- lookups ----
  private findInForLoop(f: Frame, key: string): Value | undefined {
    const l = f.loop;
    if (!l) return undefined;
    if (l.kind === 'object' && l.keyName === key) return l.keys![l.current];
    const dot = key.indexOf('.');
    const realKey = dot < 0 ? key : key.slice(0, dot);
    const tail = dot < 0 ? '' : key.slice(dot + 1);
    if (realKey === 'loop') {
      switch (tail) {
        case 'index':
          return BigInt(l.current + 1);
        case 'index0':
          return BigInt(l.current);
        case 'first':
          return l.current === 0;
        case 'last':
          return l.current === l.len - 1;
        default:
          return undefined;
      }
    }
    if (key === l.valueName) return this.loopValue(l);
    if (realKey === l.valueName && tail !== '') return dottedPointer(this.loopValue(l), tail);
    return undefined;
  }
  private loopValue(l: Loop): Value {
    if (l.kind === 'string') {
      const g = l.graphemes![l.current];
      if (g === undefined) throw new TeraPanic('Value (iterating over a string with combining characters)');
      return g;
    }
    return l.items[l.current];
  }
  private findInFrame(f: Frame, key: string): Value | undefined {
    const dot = key.indexOf('.');
    let found: Value | undefined;
    if (dot >= 0) {
      const root = f.ctx.get(key.slice(0, dot));
      if (root !== undefined) found = dottedPointer(root, key.slice(dot + 1));
    } else found = f.ctx.get(key);
    return found ?? this.findInForLoop(f, key);
  }
  private stackLookup(key: string): Value | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      const v = this.findInFrame(f, key);
      if (v !== undefined) return v;
      if (f.kind === 'macro' || f.kind === 'origin') break;
    }
    if (key.includes('.')) {
      const root = key.split('.')[0].replace(/~1/g, '/').replace(/~0/g, '~');
      const rest = key.slice(root.length + 1);
      const v = this.context.get(root);
      return v === undefined ? undefined : dottedPointer(v, rest);
    }
    return this.context.get(key);
  }
  private processPath(path: string): Value {
    if (!path.includes('[')) {
      const v = this.stackLookup(path);
      if (v === undefined) fail(`Variable \`${path}\` not found in context while rendering '${this.name}'`);
      return v;
    }
    const full = this.evaluateSubVariables(path);
    const v = this.stackLookup(full);
    if (v === undefined) {
      fail(`Variable \`${path}\` not found in context while rendering '${this.name}': the evaluated version was \`${full}\`. Maybe the index is out of bounds?`);
    }
    return v;
  }
  private evaluateSubVariables(key: string): string {
    let newKey = key;
    for (const sub of pullOutSquareBracket(key)) {
      let v: Value;
      try {
        v = this.processPath(sub);
      } catch (e) {
        fail(`Variable ${key} can not be evaluated because: ${(e as Error).message}`);
      }
      let s: string;
      if (typeof v === 'string') s = `"${v}"`;
      else if (isNumber(v)) s = numberToString(v);
      else fail(`Only variables evaluating to String or Number can be used as index (\`${sub}\` of \`${key}\`)`);
      const divider = `[${sub}]`;
      const at = newKey.indexOf(divider);
      newKey = at < 0 ? `${newKey}.${s}` : `${newKey.slice(0, at)}.${s}${newKey.slice(at + divider.length)}`;
    }
    return newKey
      .replace(/\//g, '~1')
      .replace(/\['/g, '."')
      .replace(/\["/g, '."')
      .replace(/\[/g, '.')
      .replace(/'\]/g, '"')
      .replace(/"\]/g, '"')
      .replace(/\]/g, '');
  }
  private lookupIdent(key: string): Value {
    if (key === '__tera_context') return toJson(this.currentContext(), true);
    return this.processPath(key);
  }
  /** call_stack.rs `current_context_cloned` (what `{{ __tera_context }}` prints). */
  private currentContext(): Value {
    const ctx = new Map<string, Value>();
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      for (const [k, v] of f.ctx) ctx.set(k, v);
      if (f.loop) {
        ctx.set(f.loop.valueName, this.loopValue(f.loop));
        if (f.loop.kind === 'object') ctx.set(f.loop.keyName!, f.loop.keys![f.loop.current]);
      }
      if (f.kind === 'macro') return ctx;
    }
    const out = new Map(this.context);
    for (const [k, v] of ctx) out.set(k, v);
    return out;
  }

  // ---- nodes ----
  private renderBody(body: Node[], out: string[]): void {
    for (const n of body) {
      this.renderNode(n, out);
      const l = this.top.loop;
      if (l && l.state !== 'normal') break;
    }
  }
  private renderNode(n: Node, out: string[]): void {
    this.tick();
    switch (n.k) {
      case 'comment':
      case 'macrodef':
      case 'import':
        return;
      case 'text':
      case 'raw':
        this.write(out, n.s);
        return;
      case 'var':
        this.line = n.line;
        this.write(out, renderValue(this.evalExpr(n.expr)));
        return;
      case 'set': {
        this.line = n.line;
        const v = this.evalExpr(n.value);
        if (n.global) {
          let f = this.top;
          if (f.kind === 'for') f = [...this.frames].reverse().find((x) => x.kind !== 'for')!;
          f.ctx.set(n.key, v);
        } else this.top.ctx.set(n.key, v);
        return;
      }
      case 'filter': {
        this.line = n.line;
        const body: string[] = [];
        this.renderBody(n.body, body);
        const s = body.join('');
        if (n.call.name === 'safe') this.write(out, s);
        else this.write(out, renderValue(this.evalFilter(s, n.call)));
        return;
      }
      case 'if':
        for (const c of n.conds) {
          this.line = c.line;
          if (this.evalAsBool(c.expr)) return this.renderBody(c.body, out);
        }
        if (n.otherwise) this.renderBody(n.otherwise.body, out);
        return;
      case 'for':
        this.line = n.line;
        return this.renderFor(n, out);
      case 'break':
      case 'continue': {
        const l = this.top.loop;
        if (!l) fail(`Attempted \`${n.k}\` while not in \`for loop\``);
        l.state = n.k;
        return;
      }
      case 'block': {
        const body = this.tpl.blocks.get(n.name) ?? n.body;
        return this.renderBody(body, out);
      }
      case 'super':
        fail('Tried to use super() in the top level block');
        return;
      case 'include':
        this.line = n.line;
        if (!n.ignoreMissing) fail(`Template '[${n.files.join(', ')}]' not found`);
        return;
      case 'extends':
        fail(`Inheritance in included templates is currently not supported: extended \`${n.name}\``);
    }
  }
  private renderFor(n: Extract<Node, { k: 'for' }>, out: string[]): void {
    const cv = n.container.val;
    const containerName = cv.k === 'ident' ? cv.v : cv.k === 'fn' ? cv.call.name : cv.k === 'array' ? 'an array literal' : undefined;
    if (containerName === undefined) fail('Forloop containers have to be an ident or a function call');
    const v = this.evalExpr(n.container);
    let loop: Loop;
    if (Array.isArray(v)) {
      if (n.key !== undefined) fail(`Tried to iterate using key value on variable \`${containerName}\`, but it isn't an object/map`);
      loop = { valueName: n.value, kind: 'array', items: v, len: v.length, current: 0, state: 'normal' };
    } else if (typeof v === 'string') {
      if (n.key !== undefined) fail(`Tried to iterate using key value on variable \`${containerName}\`, but it isn't an object/map`);
      loop = { valueName: n.value, kind: 'string', items: [], graphemes: graphemes(v), len: [...v].length, current: 0, state: 'normal' };
    } else if (v instanceof Map) {
      if (n.key === undefined) fail(`Tried to iterate using key value on variable \`${containerName}\`, but it is missing a key`);
      const keys = sortedKeys(v);
      loop = { keyName: n.key, valueName: n.value, kind: 'object', keys, items: keys.map((k) => v.get(k)!), len: keys.length, current: 0, state: 'normal' };
    } else fail(`Tried to iterate on a container (\`${containerName}\`) that has a unsupported type`);
    if (loop.len === 0) {
      if (n.empty) this.renderBody(n.empty, out);
      return;
    }
    const frame: Frame = { kind: 'for', ctx: new Map(), loop };
    this.frames.push(frame);
    try {
      for (let i = 0; i < loop.len; i++) {
        this.tick();
        this.renderBody(n.body, out);
        if (loop.state === 'break') break;
        frame.ctx.clear();
        loop.current++;
        loop.state = 'normal';
      }
    } finally {
      this.frames.pop();
    }
  }

  // ---- expressions ----
  private defaultValue(e: Expr): Value {
    const d = e.filters[0].args.get('value');
    if (!d) fail('The `default` filter requires a `value` argument.');
    return this.evalExpr(d);
  }
  private evalIn(lhsE: Expr, rhsE: Expr, negated: boolean): boolean {
    const lhs = this.evalExpr(lhsE);
    const rhs = this.evalExpr(rhsE);
    let present: boolean;
    if (Array.isArray(rhs)) present = rhs.some((x) => valueEq(x, lhs));
    else if (typeof rhs === 'string') {
      if (typeof lhs !== 'string') fail('Tried to check if a value is in a string, but it isn\'t a string');
      present = rhs.includes(lhs);
    } else if (rhs instanceof Map) {
      if (typeof lhs !== 'string') fail('Tried to check if a value is in a object, but it isn\'t a string');
      present = rhs.has(lhs);
    } else fail('The `in` operator only supports strings, arrays and objects.');
    return negated ? !present : present;
  }
  evalExpr(e: Expr): Value {
    this.tick();
    const v = e.val;
    let res: Value;
    switch (v.k) {
      case 'array':
        res = v.items.map((x) => this.evalExpr(x));
        break;
      case 'in':
        res = this.evalIn(v.lhs, v.rhs, v.negated);
        break;
      case 'str':
        res = v.v;
        break;
      case 'concat': {
        let s = '';
        for (const part of v.values) {
          if (part.k === 'str') s += part.v;
          else if (part.k === 'int') s += part.v.toString();
          else if (part.k === 'float') s += rustF64Display(part.v);
          else if (part.k === 'ident') {
            const x = this.lookupIdent(part.v);
            if (typeof x === 'string') s += x;
            else if (isNumber(x)) s += numberToString(x);
            else fail(`Tried to concat a value that is not a string or a number from ident ${part.v}`);
          } else if (part.k === 'fn') {
            const x = this.callFunction(part.call);
            if (typeof x === 'string') s += x;
            else if (isNumber(x)) s += numberToString(x);
            else fail(`Tried to concat a value that is not a string or a number from function call ${part.call.name}`);
          }
          this.checkLen(s.length);
        }
        res = s;
        break;
      }
      case 'int':
        res = v.v;
        break;
      case 'float':
        res = new TFloat(v.v);
        break;
      case 'bool':
        res = v.v;
        break;
      case 'ident': {
        let found: Value | undefined;
        let err: unknown;
        try {
          found = this.lookupIdent(v.v);
        } catch (x) {
          if (!(x instanceof TemplateError) || x instanceof FuelExhausted || x instanceof OutputTooLarge) throw x;
          err = x;
        }
        const hasDefault = e.filters.length > 0 && e.filters[0].name === 'default';
        if (found !== undefined) res = found === null && hasDefault ? this.defaultValue(e) : found;
        else if (hasDefault) res = this.defaultValue(e);
        else if (!e.negated) throw err;
        else return true;
        break;
      }
      case 'fn':
        res = this.callFunction(v.call);
        break;
      case 'macro':
        res = this.callMacro(v);
        break;
      case 'test':
        res = this.evalTest(v);
        break;
      case 'logic':
        res = this.evalAsBool(e);
        break;
      case 'math': {
        const n = this.evalAsNumber(v);
        res = n === undefined ? 'NaN' : n;
        break;
      }
    }
    for (const f of e.filters) {
      if (f.name === 'safe' || f.name === 'default') continue;
      res = this.evalFilter(res, f);
    }
    if (e.negated) return !isTruthy(res);
    return res;
  }
  private evalArgs(call: FnCall): Map<string, Value> {
    const args = new Map<string, Value>();
    for (const [k, x] of call.args) args.set(k, this.evalExpr(x));
    return args;
  }
  private evalFilter(value: Value, call: FnCall): Value {
    const f = FILTERS[call.name];
    if (!f) fail(`Filter '${call.name}' not found`);
    const args = this.evalArgs(call);
    try {
      const r = f(value, args, this.env);
      if (typeof r === 'string') this.checkLen(r.length);
      return r;
    } catch (e) {
      if (e instanceof TemplateError && !(e instanceof TeraPanic)) throw new TemplateError(`Filter call '${call.name}' failed: ${e.message}`);
      throw e;
    }
  }
  private callFunction(call: FnCall): Value {
    const f = FUNCTIONS[call.name];
    if (!f) fail(`Function '${call.name}' not found`);
    const args = this.evalArgs(call);
    const r = f(args, this.env);
    if (Array.isArray(r)) for (let i = 0; i < r.length; i += 1000) this.tick();
    return r;
  }
  private evalTest(t: Extract<ExprVal, { k: 'test' }>): boolean {
    const tester = TESTS[t.name];
    if (!tester) fail(`Test '${t.name}' not found`);
    const args = t.args.map((a) => this.evalExpr(a));
    let found: Value | undefined;
    try {
      found = this.lookupIdent(t.ident);
    } catch (x) {
      if (!(x instanceof TemplateError) || x instanceof FuelExhausted || x instanceof OutputTooLarge || x instanceof TeraPanic) throw x;
      found = undefined;
    }
    const r = tester(found, args);
    return t.negated ? !r : r;
  }
  private callMacro(m: Extract<ExprVal, { k: 'macro' }>): string {
    if (m.ns !== 'self') fail(`Macro namespace \`${m.ns}\` was not found in template \`${this.name}\`. Have you maybe forgotten to import it, or misspelled it?`);
    const def: Macro | undefined = this.tpl.macros.get(m.name);
    if (!def) fail(`Macro \`${m.name}\` was not found in the namespace \`${m.ns}\``);
    const ctx = new Map<string, Value>();
    for (const [arg, dflt] of def.args) {
      const given = m.args.get(arg);
      if (given) ctx.set(arg, this.evalExpr(given));
      else if (dflt) ctx.set(arg, this.evalExpr(dflt));
      else fail(`Macro \`${m.name}\` is missing the argument \`${arg}\``);
    }
    if (++this.macroDepth > this.limits.maxMacroDepth) {
      throw new TeraPanic(`macro calls nested more than ${this.limits.maxMacroDepth} deep (Tera overflows its stack)`);
    }
    this.frames.push({ kind: 'macro', ctx, macroName: m.name });
    const out: string[] = [];
    try {
      this.renderBody(def.body, out);
    } finally {
      this.frames.pop();
      this.macroDepth--;
    }
    return out.join('');
  }

  evalAsBool(e: Expr): boolean {
    this.tick();
    const v = e.val;
    let res: boolean;
    switch (v.k) {
      case 'logic':
        if (v.op === 'or') res = this.evalAsBool(v.lhs) || this.evalAsBool(v.rhs);
        else if (v.op === 'and') res = this.evalAsBool(v.lhs) && this.evalAsBool(v.rhs);
        else if (v.op === '==' || v.op === '!=') {
          const l = this.evalExpr(v.lhs);
          const r = this.evalExpr(v.rhs);
          let eq: boolean;
          if (isNumber(l) || isNumber(r)) {
            if (!isNumber(l) || !isNumber(r)) return false; // Tera returns before applying `not`
            eq = asF64(l) === asF64(r);
          } else eq = valueEq(l, r);
          res = v.op === '==' ? eq : !eq;
        } else {
          const l = this.evalExprAsNumber(v.lhs);
          const r = this.evalExprAsNumber(v.rhs);
          if (l === undefined || r === undefined) fail('Comparison to NaN');
          const a = asF64(l);
          const b = asF64(r);
          res = v.op === '<' ? a < b : v.op === '<=' ? a <= b : v.op === '>' ? a > b : a >= b;
        }
        break;
      case 'ident': {
        let r: Value;
        try {
          r = this.evalExpr(e);
        } catch (x) {
          if (x instanceof FuelExhausted || x instanceof OutputTooLarge || x instanceof TeraPanic || !(x instanceof TemplateError)) throw x;
          r = false;
        }
        res = isTruthy(r);
        if (e.negated) res = !res;
        break;
      }
      case 'math':
      case 'int':
      case 'float': {
        const n = this.evalAsNumber(v);
        res = n === undefined ? false : asF64(n) !== 0;
        break;
      }
      case 'in':
        res = this.evalIn(v.lhs, v.rhs, v.negated);
        break;
      case 'test':
        res = this.evalTest(v);
        break;
      case 'bool':
        res = v.v;
        break;
      case 'str':
        res = v.v !== '';
        break;
      case 'fn': {
        const r = this.callFunction(v.call);
        if (typeof r !== 'boolean') fail(`Function \`${v.call.name}\` was used in a logic operation but is not returning a bool`);
        res = r;
        break;
      }
      case 'concat': {
        const r = this.evalExpr(e);
        if (typeof r !== 'string') throw new TeraPanic('string concatenation with a filter did not give a string');
        res = r !== '';
        break;
      }
      case 'macro':
        res = this.callMacro(v) !== '';
        break;
      default:
        throw new TeraPanic(`unimplemented logic operation for ${v.k}`);
    }
    return e.negated ? !res : res;
  }
  private evalExprAsNumber(e: Expr): bigint | TFloat | undefined {
    if (e.filters.length > 0) {
      const r = this.evalExpr(e);
      if (!isNumber(r)) fail('Tried to do math with an expression not resulting in a number');
      return r;
    }
    return this.evalAsNumber(e.val);
  }
  private evalAsNumber(v: ExprVal): bigint | TFloat | undefined {
    this.tick();
    switch (v.k) {
      case 'ident': {
        const x = this.lookupIdent(v.v);
        if (!isNumber(x)) fail(`Variable \`${v.v}\` was used in a math operation but is not a number`);
        return x;
      }
      case 'int':
        return v.v;
      case 'float':
        return new TFloat(v.v);
      case 'math': {
        const l = this.evalExprAsNumber(v.lhs);
        const r = this.evalExprAsNumber(v.rhs);
        if (l === undefined || r === undefined) return undefined;
        return mathOp(v.op, l, r);
      }
      case 'fn': {
        const x = this.callFunction(v.call);
        if (!isNumber(x)) fail(`Function \`${v.call.name}\` was used in a math operation but is not returning a number`);
        return x;
      }
      case 'str':
        fail(`Tried to do math with a string: \`${v.v}\``);
        break;
      case 'bool':
        fail(`Tried to do math with a boolean: \`${v.v}\``);
        break;
      case 'concat':
        fail('Tried to do math with a string concatenation');
        break;
      case 'test':
        fail(`Tried to do math with a test: ${v.name}`);
        break;
      default:
        throw new TeraPanic(`unimplemented math expression for ${v.k}`);
    }
    return undefined;
  }
}

const inI64 = (x: bigint) => x >= I64_MIN && x <= I64_MAX;
const inU64 = (x: bigint) => x >= 0n && x <= U64_MAX;
/** `Number::from_f64`: None (NaN in Tera's output) for non-finite values. */
const fromF64 = (x: number): TFloat | undefined => (Number.isFinite(x) ? new TFloat(x) : undefined);

function mathOp(op: string, l: bigint | TFloat, r: bigint | TFloat): bigint | TFloat | undefined {
  const li = typeof l === 'bigint' ? l : undefined;
  const ri = typeof r === 'bigint' ? r : undefined;
  const bothI64 = li !== undefined && ri !== undefined && inI64(li) && inI64(ri);
  const bothU64 = li !== undefined && ri !== undefined && inU64(li) && inU64(ri);
  const lf = asF64(l);
  const rf = asF64(r);
  switch (op) {
    case '*':
    case '+':
    case '-': {
      if (bothI64 || bothU64) {
        const res = op === '*' ? li! * ri! : op === '+' ? li! + ri! : li! - ri!;
        if (bothI64 && inI64(res)) return res;
        if (!bothI64 && inU64(res)) return res;
        if (bothI64 && bothU64 && inU64(res)) {
          // i64 overflowed: Tera reports it (it tries i64 first)
        }
        fail(`${li} ${op === '*' ? 'x' : op} ${ri} results in an out of bounds ${bothI64 ? 'i64' : 'u64'}`);
      }
      const x = op === '*' ? lf * rf : op === '+' ? lf + rf : lf - rf;
      if (op === '*') return fromF64(x);
      if (!Number.isFinite(x)) throw new TeraPanic('float result out of range');
      return new TFloat(x);
    }
    case '/': {
      const res = lf / rf;
      if (Number.isNaN(res)) return undefined;
      if (Math.round(res) === res && Number.isFinite(res)) {
        // `res as i64` saturates
        const b = BigInt(Math.trunc(res));
        return b > I64_MAX ? I64_MAX : b < I64_MIN ? I64_MIN : b;
      }
      return fromF64(res);
    }
    case '%': {
      if (bothI64 || bothU64) {
        if (ri === 0n) fail('Tried to do a modulo by zero');
        if (bothI64 && li === I64_MIN && ri === -1n) throw new TeraPanic('attempt to calculate the remainder with overflow');
        return li! % ri!;
      }
      return fromF64(lf % rf);
    }
  }
  return undefined;
}
