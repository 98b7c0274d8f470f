/**
 * Rendering of spk recipe templates (spk: `crates/spk-schema/src/template.rs` `TemplateData`,
 * `crates/spk-schema/crates/tera/src/*` = Tera 1.20 + four spk filters).
 *
 * ENGINE DECISION: our own Tera 1.20 implementation (./template/: parser, renderer, built-ins,
 * Rust-regex translation), not a Jinja engine configured to look like Tera. minijinja-js (used
 * before) and nunjucks both differ from Tera where recipes notice: keyword arguments of Tera's
 * built-ins (`replace(from=, to=)`), operator precedence (`"a" ~ "b" | upper`), `and`/`or`
 * giving booleans, number printing (`10 / 2` → `5`), equality across types, undefined-variable
 * rules, Tera-only filters/tests/functions, Jinja syntax Tera rejects, and Rust `regex`
 * semantics in `replace_regex`. A differential run against Tera 1.20 itself (spk's filters
 * transcribed) found 2,584 of 7,175 small templates rendering differently with minijinja-js.
 * The oracle's answers are recorded in ./template/testdata/tera-1.20-cases.jsonl and replayed by
 * template/cases.test.ts; the known divergences listed there fail with an error, never a
 * different text.
 * Limits Tera does not have (so a fuzzed or hostile recipe cannot stall the Nx daemon): at most
 * TEMPLATE_FUEL evaluation steps, TEMPLATE_MAX_CHARS of output or string, nested macro calls
 * and expression nesting bounded.
 */
import { SpkError } from './errors';
import { parseTemplate, ParsedTemplate, TemplateSyntaxError } from './template/parser';
import { Renderer, FuelExhausted, OutputTooLarge } from './template/render';
import { TemplateError, TeraPanic, Value, fromJs } from './template/value';
import { compileRustRegex as compileRust, rustReplaceAll as rustReplace } from './template/regex';

export interface RenderContext {
  /** Option map (host options + `-o k=v`); `a.b` names become nested `opt.a.b`. */
  options: Record<string, string>;
  /** spk's process environment, exposed as `env` and read by `get_env()`; none when absent. */
  env?: Record<string, string | undefined>;
  /** `spk.version`; defaults to SPK_VERSION_FOR_TEMPLATES. */
  spkVersion?: string;
  /** File name used in error messages. */
  file?: string;
  /**
   * Caller-owned parse memo: a recipe is rendered once per workspace version from the same text,
   * so the caller keeps one cache per text and the parse happens once. This module holds no state.
   */
  parseCache?: TemplateParseCache;
}

/** A one-entry memo of the last parsed template text (see RenderContext.parseCache). */
export interface TemplateParseCache {
  last?: { text: string; tpl?: ParsedTemplate; error?: unknown };
}

/**
 * Evaluation steps one render may take. Tera has no such bound, so a template with nested loops
 * (`range(end=100000)` inside `range(end=100000)`) would keep the Nx daemon busy for hours; real
 * recipes use a few hundred steps.
 */
export const TEMPLATE_FUEL = 1_000_000;
/** Longest output or string value a render may build (UTF-16 units). */
export const TEMPLATE_MAX_CHARS = 16 * 1024 * 1024;
/** Deepest nesting of macro calls (a recursive macro overflows Tera's stack). */
export const TEMPLATE_MAX_MACRO_DEPTH = 100;

/** The spk release this model follows (spk.md: v0.44.0 + HEAD). */
export const SPK_VERSION_FOR_TEMPLATES = '0.44.0';

/** Compiles a Rust `regex` pattern as the equivalent JS RegExp (global); SpkError where Rust refuses it. */
export function compileRustRegex(pattern: string): RegExp {
  try {
    return new RegExp(compileRust(pattern).re);
  } catch (e) {
    throw new SpkError('template', `Invalid regular expression: ${(e as Error).message}`, { input: pattern });
  }
}

/** Rust `Regex::replace_all` with Rust's pattern and replacement syntax (see ./template/regex). */
export function rustReplaceAll(input: string, from: string, to: string): string {
  try {
    return rustReplace(input, from, to);
  } catch (e) {
    throw new SpkError('template', `Invalid regular expression: ${(e as Error).message}`, { input: from });
  }
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

// The same text is rendered once per version: parse it once through the caller's memo.
function parseOnce(text: string, cache: TemplateParseCache | undefined): ParsedTemplate {
  if (cache === undefined) return parseTemplate(text);
  let entry = cache.last;
  if (entry?.text !== text) {
    try {
      entry = { text, tpl: parseTemplate(text) };
    } catch (e) {
      entry = { text, error: e };
    }
    cache.last = entry;
  }
  if (entry.error !== undefined) throw entry.error;
  return entry.tpl!;
}

/**
 * Renders a recipe template like spk's `Template::render` (Tera 1.20, spk filters, context
 * `{spk: {version}, opt, env}`). Throws SpkError kind 'template' naming file and line.
 */
export function renderTemplate(text: string, ctx: RenderContext): string {
  const file = ctx.file ?? '<template>';
  // Text without any tag renders to itself (no trim_blocks, trailing newline kept): skip the
  // engine. Most recipes of spk's own packages/ are such plain YAML.
  if (!/\{[{%#]/.test(text)) return text;
  let tpl: ParsedTemplate;
  try {
    tpl = parseOnce(text, ctx.parseCache);
  } catch (e) {
    const line = e instanceof TemplateSyntaxError ? e.line : undefined;
    const msg = e instanceof Error ? e.message : String(e);
    throw new SpkError('template', `Failed to parse '${file}': ${msg}`, { file, line });
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.env ?? {})) if (v !== undefined) env[k] = v;
  const context = new Map<string, Value>([
    ['spk', new Map<string, Value>([['version', ctx.spkVersion ?? SPK_VERSION_FOR_TEMPLATES]])],
    ['opt', fromJs(expandOptions(ctx.options))],
    ['env', new Map<string, Value>(Object.entries(env))],
  ]);
  const r = new Renderer(tpl, context, { env }, { fuel: TEMPLATE_FUEL, maxChars: TEMPLATE_MAX_CHARS, maxMacroDepth: TEMPLATE_MAX_MACRO_DEPTH }, file);
  try {
    return r.render();
  } catch (e) {
    const line = r.line;
    if (e instanceof FuelExhausted) {
      throw new SpkError('template', `Failed to render '${file}': the template takes more than ${TEMPLATE_FUEL} evaluation steps (nested loops?); simplify it`, { file, line });
    }
    if (e instanceof OutputTooLarge) {
      throw new SpkError('template', `Failed to render '${file}': the template builds more than ${TEMPLATE_MAX_CHARS} characters; simplify it`, { file, line });
    }
    if (e instanceof RangeError) {
      throw new SpkError('template', `Failed to render '${file}': the template nests too deeply`, { file, line });
    }
    if (e instanceof TeraPanic) {
      throw new SpkError('template', `Failed to render '${file}': ${e.message} (spk would crash here)`, { file, line });
    }
    if (e instanceof TemplateError) {
      const msg = e.message.startsWith('Variable `') ? e.message : `Failed to render '${file}': ${e.message}`;
      throw new SpkError('template', msg, { file, line });
    }
    throw e;
  }
}
