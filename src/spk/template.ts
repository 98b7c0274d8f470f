/**
 * Rendering of spk recipe templates (spk: `crates/spk-schema/src/template.rs` `TemplateData`,
 * `crates/spk-schema/crates/tera/src/*` = Tera 1.20 + four spk filters).
 *
 * ENGINE DECISION: minijinja-js 2.11.0 (MiniJinja compiled to WASM), not nunjucks 3.2.4.
 * Both were evaluated against the template.* vectors and every templated corpus recipe
 * (python3, cmake, plus python2/gcc48/gcc63 from spk-corpus-more), with these findings:
 * - Strict undefined: Tera fails on any lookup of a missing variable (output, filters, loops) and
 *   only treats an undefined plain identifier in an `if` as false (Tera 1 `eval_as_bool`).
 *   minijinja's `semi_strict` mode has exactly that split for output / `for` / nested attributes /
 *   `if`, and reports the failing expression span, so we can produce Tera's
 *   "Variable `opt.typo` not found" text. nunjucks only fails when `null/undefined` reaches the
 *   output ("attempted to output null or undefined value", no variable name) and silently accepts
 *   undefined everywhere else. Remaining minijinja gap: an undefined value passed to a *built-in*
 *   filter or to `~` renders as empty instead of failing (our spk filters do reject it).
 * - Keyword-argument filters (`default_opts(version="3.7.3")`): both work (minijinja passes a
 *   kwargs Map, nunjucks a `__keywords` object).
 * - `replace_regex(from="(\d+)\.(\d+).*", to="cp$1$2")`: Tera string literals have NO escape
 *   sequences; nunjucks silently turns `\d` into `d` (wrong result "3.9.1m"), minijinja rejects
 *   it ("bad string escape"). Both need the same pre-pass (double every backslash inside tag
 *   string literals, `escapeTeraStringLiterals`); regex semantics are ours (Rust `regex` → JS).
 * - Tera built-ins used by the corpus: only `set`; none of the corpus recipes use a built-in filter.
 *   Neither engine has Tera's keyword signatures for built-ins (`replace(from=, to=)`).
 * - `{% set %}` inside YAML comments and whitespace: both leave `# ` + newline like Tera; Tera keeps
 *   the trailing newline (minijinja: `keepTrailingNewline = true`), no trim_blocks in either.
 * - Maintenance: minijinja-js is released with MiniJinja (Armin Ronacher, active); nunjucks has had
 *   no release since 3.2.4 (2023).
 * WASM caveats handled here: (1) a JS exception thrown from a filter makes the WASM module panic
 * and unusable, so filters never throw — they record the error and return `undefined`, and
 * `renderTemplate` raises the recorded error after the render; (2) the mode string is
 * `'semi_strct'` (sic, the binding's spelling; `'semi_strict'` panics); (3) after any panic
 * (`WebAssembly.RuntimeError`) the module is re-loaded; (4) templates are rendered with
 * `renderStr` (no name) because minijinja auto-escapes by file extension (`.yaml` → JSON quoting).
 */
import * as path from 'node:path';
import { SpkError } from './errors';
import { parseVersion, Version } from './version';
import { parseVersionRange } from './range';
import { validateOptName } from './name';

type MiniJinjaModule = typeof import('minijinja-js');
type MiniJinjaEnvironment = InstanceType<MiniJinjaModule['Environment']>;

export interface RenderContext {
  /** Option map (host options + `-o k=v`); `a.b` names become nested `opt.a.b`. */
  options: Record<string, string>;
  /** Process environment exposed as `env`; defaults to `process.env` like spk. */
  env?: Record<string, string | undefined>;
  /** `spk.version`; defaults to SPK_VERSION_FOR_TEMPLATES. */
  spkVersion?: string;
  /** File name used in error messages. */
  file?: string;
}

/**
 * Evaluation steps one render may take (minijinja "fuel"). Tera has no such bound, so a template
 * with nested loops (`range(100000)` inside `range(100000)`) would keep the Nx daemon busy for
 * hours; real recipes use a few hundred steps. One million is about half a second.
 */
export const TEMPLATE_FUEL = 1_000_000;

/** The spk release this model follows (spk.md: v0.44.0 + HEAD). */
export const SPK_VERSION_FOR_TEMPLATES = '0.44.0';

let loaded: { mod: MiniJinjaModule; env: MiniJinjaEnvironment } | undefined;
/** Errors recorded by filters during the current render (filters must not throw into WASM). */
let filterErrors: string[] = [];
/** Set when a filter aborted the render on purpose (the engine must then be reloaded). */
let renderAborted = false;

function loadEngine(): { mod: MiniJinjaModule; env: MiniJinjaEnvironment } {
  if (loaded) return loaded;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('minijinja-js') as MiniJinjaModule;
  const env = new mod.Environment();
  env.undefinedBehavior = 'semi_strct' as never;
  env.debug = true; // needed for the source span of undefined-variable errors
  env.keepTrailingNewline = true;
  env.fuel = TEMPLATE_FUEL;
  env.trimBlocks = false;
  env.lstripBlocks = false;
  registerSpkFilters(env);
  loaded = { mod, env };
  return loaded;
}

function reloadEngineAfterPanic(): void {
  loaded = undefined;
  for (const key of Object.keys(require.cache)) {
    if (key.includes(`${path.sep}minijinja-js${path.sep}`)) delete require.cache[key];
  }
}

/** Converts minijinja's Map-based values to plain JS values. */
function plain(v: unknown): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** Splits filter arguments into Tera-style keyword args; Tera filters take keyword args only. */
function kwargsOf(name: string, args: unknown[]): Record<string, unknown> | undefined {
  if (args.length === 0) return {};
  const last = args[args.length - 1];
  if (args.length === 1 && last instanceof Map) return plain(last) as Record<string, unknown>;
  filterErrors.push(`${name}: only keyword arguments are supported (e.g. ${name}(name="value"))`);
  return undefined;
}

function safeFilter(name: string, fn: (value: unknown, kw: Record<string, unknown>) => unknown) {
  return function (value: unknown, ...args: unknown[]): unknown {
    // Only the first error is reported; once one is recorded, later calls (a filter inside a
    // loop) do no work. Otherwise a fuzzed loop of 100,000 failing calls, each recording the
    // JSON of a 100,000-element value, exhausted memory.
    if (filterErrors.length > 0) {
      // A filter called again after an error: stop the render right here. Each call converts its
      // argument out of WASM before we run, which a loop can make unbounded. Throwing traps the
      // engine; renderTemplate reloads it and reports the first error.
      renderAborted = true;
      throw new Error('nx-spk: render aborted after a filter error');
    }
    try {
      const kw = kwargsOf(name, args);
      if (kw === undefined) return undefined;
      if (value === undefined) {
        filterErrors.push(`${name}: the filtered value is undefined`);
        return undefined;
      }
      return fn(plain(value), kw);
    } catch (e) {
      const msg = e instanceof SpkError ? `${name}: ${e.message}` : `${name}: ${String((e as Error)?.message ?? e)}`;
      filterErrors.push(msg.length > 500 ? `${msg.slice(0, 500)}…` : msg);
      return undefined;
    }
  };
}

function fail(message: string): never {
  throw new SpkError('template', message);
}

function scalarToString(name: string, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return fail(`Expected a scalar option value for "${name}", got: ${JSON.stringify(v)}`);
}

function checkArgs(filter: string, kw: Record<string, unknown>, allowed: string[]): void {
  for (const k of Object.keys(kw)) {
    if (!allowed.includes(k)) {
      fail(`one or more unsupported arguments provided, supported args: ${JSON.stringify(allowed)} (${filter})`);
    }
  }
}

function versionData(v: Version): Record<string, unknown> {
  const epsilon = v.epsilon < 0 ? 'Minus' : v.epsilon > 0 ? 'Plus' : 'None';
  return {
    major: v.major,
    minor: v.minor,
    patch: v.patch,
    base: v.base,
    parts: [...v.parts],
    epsilon,
    pre: Object.fromEntries(v.pre.entries),
    post: Object.fromEntries(v.post.entries),
  };
}

/** spk filters (`default_renderer()` in crates/spk-schema/crates/tera/src/lib.rs). */
function registerSpkFilters(env: MiniJinjaEnvironment): void {
  // filter_default_options.rs: insert each keyword only if absent; names must be option names.
  env.addFilter(
    'default_opts',
    safeFilter('default_opts', (value, kw) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        fail(`expected object input, got: ${JSON.stringify(value)}`);
      }
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const [k, v] of Object.entries(kw)) {
        validateOptName(k);
        const s = scalarToString(k, v);
        if (!(k in out)) out[k] = s;
      }
      return out;
    }),
  );
  // filter_compare_version.rs: `op` (+ optional scalar `rhs`) parsed as a VersionFilter.
  env.addFilter(
    'compare_version',
    safeFilter('compare_version', (value, kw) => {
      checkArgs('compare_version', kw, ['op', 'rhs']);
      if (kw.op === undefined) fail('missing required argument "op"');
      if (typeof kw.op !== 'string') fail(`op argument expected a string value, got ${JSON.stringify(kw.op)}`);
      let rangeText = kw.op;
      if (kw.rhs !== undefined && kw.rhs !== null) {
        if (typeof kw.rhs === 'object') fail(`rhs argument expected a scalar value, got ${JSON.stringify(kw.rhs)}`);
        // spk appends serde_json's `Value::to_string()`: a number/bool as written, but a STRING
        // keeps its JSON quotes (`rhs="3"` → `>="3"`, which fails to parse) — mirrored on purpose.
        rangeText += JSON.stringify(kw.rhs);
      }
      if (typeof value !== 'string') fail(`expected string input, got ${JSON.stringify(value)}`);
      const lhs = parseVersion(value);
      return parseVersionRange(rangeText).isApplicable(lhs);
    }),
  );
  // filter_parse_version.rs: object of fields, or one field with `field=`.
  env.addFilter(
    'parse_version',
    safeFilter('parse_version', (value, kw) => {
      checkArgs('parse_version', kw, ['field']);
      if (typeof value !== 'string') fail(`Expected a string value for filter 'parse_version', got ${JSON.stringify(value)}`);
      const data = versionData(parseVersion(value));
      if (kw.field === undefined) return data;
      if (typeof kw.field !== 'string') fail(`'field' argument expected a string, got: ${JSON.stringify(kw.field)}`);
      if (!(kw.field in data)) {
        fail(`spk version has no field "${kw.field}", available fields: ${JSON.stringify(Object.keys(data))}`);
      }
      return data[kw.field];
    }),
  );
  // filter_replace_regex.rs: Rust `regex` replace_all with `$1` / `${name}` group references.
  env.addFilter(
    'replace_regex',
    safeFilter('replace_regex', (value, kw) => {
      checkArgs('replace_regex', kw, ['from', 'to']);
      if (kw.from === undefined) fail('missing required argument "from"');
      if (typeof kw.from !== 'string') fail(`from argument expected a string value, got ${JSON.stringify(kw.from)}`);
      const to = kw.to === undefined ? '' : kw.to;
      if (typeof to !== 'string') fail(`to argument expected a string value, got ${JSON.stringify(to)}`);
      if (typeof value !== 'string') fail(`expected string input, got ${JSON.stringify(value)}`);
      return rustReplaceAll(value, kw.from, to);
    }),
  );
}

/** Compiles a Rust `regex` pattern as a JS RegExp (global). Handles a leading `(?flags)` and `(?P<name>`. */
export function compileRustRegex(pattern: string): RegExp {
  let flags = 'g';
  let body = pattern;
  const m = /^\(\?([imsxU]+)\)/.exec(body);
  if (m) {
    for (const f of m[1]) {
      if (f === 'i' || f === 'm' || f === 's') flags += f;
      else throw new SpkError('template', `Invalid regular expression: unsupported flag '${f}'`, { input: pattern });
    }
    body = body.slice(m[0].length);
  }
  body = body.replace(/\(\?P</g, '(?<');
  try {
    return new RegExp(body, flags);
  } catch (e) {
    throw new SpkError('template', `Invalid regular expression: ${(e as Error).message}`, { input: pattern });
  }
}

/**
 * Rust `Regex::replace_all` replacement syntax: `$name` takes the longest run of `[0-9A-Za-z_]`
 * (all digits → group index, `$1a` is the group NAMED "1a" → empty), `${name}` delimits, `$$` is
 * a literal `$`, a `$` not followed by a name is literal; missing groups expand to "".
 */
export function rustReplaceAll(input: string, from: string, to: string): string {
  const re = compileRustRegex(from);
  return input.replace(re, (...args: unknown[]) => {
    const hasGroups = typeof args[args.length - 1] === 'object' && args[args.length - 1] !== null;
    const groups = (hasGroups ? args[args.length - 1] : {}) as Record<string, string | undefined>;
    const numbered = args.slice(0, hasGroups ? -3 : -2) as Array<string | undefined>;
    const lookup = (name: string): string => {
      if (/^\d+$/.test(name)) return numbered[Number(name)] ?? '';
      return groups[name] ?? '';
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
        const close = to.indexOf('}', i + 2);
        if (close > i + 2) {
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
  });
}

/**
 * Tera string literals (`"…"`, `'…'`, `` `…` ``) have no escape sequences, minijinja's do.
 * Inside `{{ }}` / `{% %}` tags, double every backslash within string literals and turn
 * backtick strings into double-quoted ones, so minijinja sees the same characters Tera does.
 * Line structure is preserved (error line numbers stay valid).
 */
export function escapeTeraStringLiterals(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = text.slice(i, i + 2);
    if (open === '{{' || open === '{%') {
      const close = open === '{{' ? '}}' : '%}';
      out += open;
      i += 2;
      let quote: string | undefined;
      while (i < text.length) {
        const c = text[i];
        if (quote) {
          if (c === quote) {
            out += quote === '`' ? '"' : c;
            quote = undefined;
          } else if (c === '\\') out += '\\\\';
          else if (quote === '`' && c === '"') out += '\\"';
          else out += c;
          i++;
          continue;
        }
        if (text.startsWith(close, i)) {
          out += close;
          i += 2;
          break;
        }
        if (c === '"' || c === "'" || c === '`') {
          quote = c;
          out += c === '`' ? '"' : c;
        } else out += c;
        i++;
      }
      continue;
    }
    if (open === '{#') {
      const end = text.indexOf('#}', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop);
      i = stop;
      continue;
    }
    out += text[i];
    i++;
  }
  return out;
}

/** `OptionMap::to_yaml_value_expanded`: `ns.name` → opt.ns.name (namespace wins over a plain `ns`). */
export function expandOptions(options: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // spk's OptionMap is a BTreeMap: iterate sorted so collisions resolve the same way.
  for (const key of Object.keys(options).sort()) {
    const value = String(options[key]);
    const dot = key.indexOf('.');
    if (dot < 0) {
      out[key] = value;
      continue;
    }
    const ns = key.slice(0, dot);
    const base = key.slice(dot + 1);
    let target = out[ns];
    if (target === null || typeof target !== 'object') {
      target = {};
      out[ns] = target;
    }
    (target as Record<string, unknown>)[base] = value;
  }
  return out;
}

/** Extracts `(in <string>:N)` and the caret-marked expression from a minijinja debug error. */
function parseEngineError(message: string): { line?: number; reason: string; expr?: string } {
  const lines = message.split('\n');
  const head = lines[0] ?? message;
  const lm = /\(in [^:()]*:(\d+)\)\s*$/.exec(head);
  const reason = head.replace(/\s*\(in [^()]*\)\s*$/, '');
  let expr: string | undefined;
  for (let k = 0; k + 1 < lines.length; k++) {
    const src = /^(\s*\d+ > )(.*)$/.exec(lines[k]);
    if (!src) continue;
    const caret = /^(\s*i\s+)(\^+)/.exec(lines[k + 1]);
    if (!caret) continue;
    const col = caret[1].length - src[1].length;
    expr = src[2].slice(col, col + caret[2].length);
    break;
  }
  return { line: lm ? Number(lm[1]) : undefined, reason, expr };
}

/**
 * Tera does arithmetic on numbers only ("Tried to do math with a non-number"); minijinja also
 * repeats strings and lists with `*`, and `"x" * 2000000000` exhausts the engine's memory for
 * half a minute before failing. Refuse `*` next to a string or list literal before rendering,
 * as Tera would. (A repetition through variables, `{{ s * n }}`, is not caught here.)
 */
function checkRepetition(text: string, file: string): void {
  const tag = /\{[{%]([\s\S]*?)[}%]\}/g;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    const body = m[1].replace(/"[^"]*"|'[^']*'/g, '\u0001');
    if (/[\u0001\]]\s*\*(?!\*)|(?<!\*)\*\s*[\u0001[]/.test(body)) {
      const line = text.slice(0, m.index).split('\n').length;
      throw new SpkError('template', `Failed to render '${file}': Tried to do math with a non-number (\`*\` with a string or list)`, {
        file,
        line,
      });
    }
  }
}

// The same text is rendered once per version: check and escape it once (one-entry memo).
let prepared: { text: string; source: string } | undefined;
function preparedSource(text: string, file: string): string {
  if (prepared?.text === text) return prepared.source;
  checkRepetition(text, file);
  const source = escapeTeraStringLiterals(text);
  prepared = { text, source };
  return source;
}

/**
 * Renders a recipe template like spk's `Template::render` (Tera, strict undefined, spk filters,
 * context `{spk: {version}, opt, env}`). Throws SpkError kind 'template' naming file and line.
 */
export function renderTemplate(text: string, ctx: RenderContext): string {
  const file = ctx.file ?? '<template>';
  // Text without any tag renders to itself (no trim_blocks, trailing newline kept): skip the
  // engine. Most recipes of spk's own packages/ are such plain YAML.
  if (!/\{[{%#]/.test(text)) return text;
  const envVars: Record<string, string> = {};
  // Passing the environment into the engine costs a copy per render; a template that never
  // names `env` cannot read it.
  if (/\benv\b/.test(text)) for (const [k, v] of Object.entries(ctx.env ?? process.env)) if (v !== undefined) envVars[k] = v;
  const data = {
    spk: { version: ctx.spkVersion ?? SPK_VERSION_FOR_TEMPLATES },
    opt: expandOptions(ctx.options),
    env: envVars,
  };
  const source = preparedSource(text, file);
  filterErrors = [];
  renderAborted = false;
  let rendered: string | undefined;
  let engineError: unknown;
  // The engine's panic hook prints the Rust panic with console.error when a render is aborted
  // on purpose (see safeFilter); that is not the user's error message, so keep it quiet.
  const consoleError = console.error;
  try {
    console.error = (...args: unknown[]) => {
      if (!renderAborted) consoleError(...args);
    };
    rendered = loadEngine().env.renderStr(source, data);
  } catch (e) {
    engineError = e;
    // A WASM trap (`WebAssembly.RuntimeError`, lib 'dom' types are not loaded here) poisons the module.
    if (renderAborted || (e as Error)?.constructor?.name === 'RuntimeError') reloadEngineAfterPanic();
  } finally {
    console.error = consoleError;
  }
  renderAborted = false;
  const recorded = filterErrors;
  filterErrors = [];
  const engineMsg = engineError === undefined ? undefined : String((engineError as Error)?.message ?? engineError);
  const parsed = engineMsg !== undefined ? parseEngineError(engineMsg) : undefined;
  if (recorded.length > 0) {
    // The engine does not report where a filter ran; when only one line calls that filter, name it.
    let line = parsed?.line;
    if (line === undefined) {
      const filter = recorded[0].split(':')[0];
      const hits = text.split('\n').flatMap((l, i) => (new RegExp(`\\|\\s*${filter}\\b`).test(l) ? [i + 1] : []));
      if (hits.length === 1) line = hits[0];
    }
    throw new SpkError('template', `Failed to render '${file}': ${recorded[0]}`, { file, line });
  }
  if (engineError !== undefined || rendered === undefined) {
    const p = parsed ?? { reason: 'unknown template error' };
    if (/ran out of fuel/.test(p.reason)) {
      throw new SpkError(
        'template',
        `Failed to render '${file}': the template takes more than ${TEMPLATE_FUEL} evaluation steps (nested loops?); simplify it`,
        { file, line: p.line },
      );
    }
    if (p.reason.startsWith('undefined value') && p.expr) {
      throw new SpkError('template', `Variable \`${p.expr.trim()}\` not found in context while rendering '${file}'`, {
        file,
        line: p.line,
      });
    }
    throw new SpkError('template', `Failed to render '${file}': ${p.reason}`, { file, line: p.line });
  }
  return rendered;
}
