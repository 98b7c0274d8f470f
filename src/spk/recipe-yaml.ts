/**
 * Reading recipe YAML into the plain data spk's serde structs see, with line numbers for
 * problems. Two parsers (why: yaml-fast.ts): js-yaml for speed, the `yaml` package for
 * positions and for wording every YAML error.
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import { SpkError } from './errors';
import { fastYamlData } from './yaml-fast';
import { sameNumbers, serdeYamlNumber, settleNumbers, YamlNumber } from './yaml-number';
import { checkYamlDocument, checkYamlSize, clarifyYamlParseError, resolveYamlNode } from './yaml-limits';

const SERDE_PLAIN_BOOL_OR_NULL = new Set(['true', 'false', '~', 'null', '']);

/**
 * YAML node → plain JS like serde would see it for spk's string-typed fields: a plain number
 * scalar keeps its source text (`6.3` → "6.3", `3.10` → "3.10"), `true`/`false` stay booleans;
 * the number it also is (for spk's `Stringified` fields) goes to the side-table of
 * yaml-number.ts.
 */
export function toPlain(node: unknown, doc?: Document): unknown {
  return settleNumbers(toPlainNumbers(node, doc));
}

/** `toPlain` before settling: plain numeric scalars are `YamlNumber`s (keys are their text). */
function toPlainNumbers(node: unknown, doc?: Document): unknown {
  // Aliases (`*name`) read as the anchored node, as serde_yaml does; checkYamlDocument has
  // already bounded how far they expand.
  if (doc) node = resolveYamlNode(doc, node);
  if (node === null || node === undefined) return null;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const k = toPlainNumbers(pair.key, doc);
      // A complex key (`? {a: 1}`) is never a field spk knows; keep it readable in messages.
      // A plain-number key keeps its text (as js-yaml's String() of a YamlNumber does).
      out[typeof k === 'string' ? k : k instanceof YamlNumber ? k.text : k !== null && typeof k === 'object' ? JSON.stringify(settleNumbers(k)) : String(k)] =
        toPlainNumbers(pair.value, doc);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((n) => toPlainNumbers(n, doc));
  if (isScalar(node)) {
    const v = node.value;
    // serde_yaml 0.9 resolves only `true`/`false` as booleans and only `~`/`null`/empty as null
    // (de.rs `parse_bool`, `parse_null`); the YAML 1.2 core spellings `True`, `FALSE`, `Null`,
    // `NULL` are strings to spk, so keep their text.
    if ((typeof v === 'boolean' || v === null) && node.type === 'PLAIN' && typeof node.source === 'string' && !SERDE_PLAIN_BOOL_OR_NULL.has(node.source)) return node.source;
    // A plain scalar serde_yaml resolves to a number (its own rules, not YAML 1.2 core's:
    // `0b101`, `+.inf`, no `012`): the text plus the number, for `Stringified` fields.
    if (node.type === 'PLAIN' && typeof node.source === 'string' && typeof v !== 'boolean' && v !== null) {
      const n = serdeYamlNumber(node.source);
      if (n !== undefined) return new YamlNumber(node.source, n);
    }
    if ((typeof v === 'number' || typeof v === 'bigint') && typeof node.source === 'string') return node.source;
    if (typeof v === 'bigint') return v.toString();
    return v;
  }
  return null;
}

/** The `yaml` Document path: positions for messages, and the parser that words every YAML error. */
export function parseYamlDocument(text: string, file: string): { doc: Document; lc: LineCounter; data: unknown } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { version: '1.2', lineCounter: lc, prettyErrors: false /* per-error context is quadratic on long garbage lines */, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new SpkError('recipe', `invalid yaml: ${clarifyYamlParseError(e.message.split('\n')[0])}`, { file, line: lc.linePos(e.pos[0]).line });
  }
  const limit = checkYamlDocument(doc);
  if (limit) {
    throw new SpkError('recipe', limit.message, { file, line: limit.offset !== undefined ? lc.linePos(limit.offset).line : undefined });
  }
  return { doc, lc, data: toPlain(doc.contents, doc) };
}

export interface ParsedYaml {
  data: unknown;
  /** Which reading produced `data` (tests and benchmarks look at it). */
  via: 'canonical' | 'fast' | 'raw';
  /** The Document with positions, parsed on demand (only a problem needs a line number). */
  positions(): { doc: Document; lc: LineCounter } | undefined;
}

/** What the lines of a raw recipe text are inside, for judging what a template changed there. */
export interface RawLineClasses {
  /** Body text of a block scalar (`|`, `>`): literal to both parsers. */
  blockScalar: Set<number>;
  /** Inside a quoted scalar or flow collection that spans lines: a substitution there could close it. */
  openAcrossLines: Set<number>;
}

/** A recipe's raw (unrendered) text, read by the canonical parser, and whether js-yaml reads it identically. */
export interface RawYaml extends ParsedYaml {
  text: string;
  /** `text` split into lines, once per file (every rendered version is compared with it). */
  lines: readonly string[];
  /** js-yaml reads the raw text to the very same data: its versions may take the fast path. */
  fastAgrees: boolean;
  /** Line classes of the raw text (0-based line indexes), computed on demand. */
  lineClasses(): RawLineClasses;
}

function sized(text: string, file: string): void {
  const tooBig = checkYamlSize(text);
  if (tooBig) throw new SpkError('recipe', tooBig.message, { file });
}

/** YAML text → plain data with the canonical `yaml` parser (throws the worded error with its line). */
export function parseYaml(text: string, file: string): ParsedYaml {
  sized(text, file);
  const full = parseYamlDocument(text, file);
  return { data: full.data, via: 'canonical', positions: () => full };
}

/**
 * The raw recipe text (`SpecTemplate::from_file` reads it as YAML, once per file): always the
 * canonical parser, plus a check that js-yaml reads it the same. That check is what lets the
 * rendered versions of this file take the fast path: js-yaml is more lenient than `yaml` on
 * some malformed input (indentation of siblings, `- -`, multi-line quoted scalars), and any
 * such construct in the file shows up here, in the raw text, and sends every version of the
 * file to the canonical parser.
 */
export function parseRawYaml(text: string, file: string): RawYaml {
  const parsed = parseYaml(text, file);
  const fast = fastYamlData(text);
  let classes: RawLineClasses | undefined;
  return {
    ...parsed,
    text,
    lines: text.split('\n'),
    fastAgrees: fast !== undefined && isDeepStrictEqual(fast.data, parsed.data) && sameNumbers(fast.data, parsed.data),
    lineClasses: () => (classes ??= classifyLines(parsed.positions())),
  };
}

function classifyLines(at: { doc: Document; lc: LineCounter } | undefined): RawLineClasses {
  const classes: RawLineClasses = { blockScalar: new Set(), openAcrossLines: new Set() };
  if (!at) return classes;
  const span = (range: [number, number, number] | undefined | null): [number, number] | undefined =>
    range ? [at.lc.linePos(range[0]).line - 1, at.lc.linePos(Math.max(range[0], range[1] - 1)).line - 1] : undefined;
  const visitNode = (node: { range?: [number, number, number] | null; flow?: boolean; type?: string }) => {
    const lines = span(node.range ?? undefined);
    if (!lines || lines[0] === lines[1]) return;
    const [first, last] = lines;
    if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
      // the first line is the header (`|`); the body follows
      for (let l = first + 1; l <= last; l++) classes.blockScalar.add(l);
    } else if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' || node.flow) {
      for (let l = first; l <= last; l++) classes.openAcrossLines.add(l);
    }
  };
  visit(at.doc, { Scalar: (_k, n) => visitNode(n), Map: (_k, n) => visitNode(n), Seq: (_k, n) => visitNode(n) });
  return classes;
}

/**
 * A line a template substitution may produce without leaving the ground where js-yaml and
 * `yaml` agree: `[- ][key: ]value`, the value a one-line plain scalar (no indicator first, no
 * `: `, ` #` or tab), a simple quoted string or a one-line flow collection of simple scalars;
 * or a comment line. Anything else (tabs, `- -`, complex keys, anchors, comments glued to
 * quotes, quotes or flow collections left open: the shapes where the two parsers were seen to
 * differ) goes to the canonical parser. Conservative on purpose: a refusal only costs speed.
 */
const PLAIN_FIRST = String.raw`(?:-(?=\S)|[^\s\-?:,\[\]{}#&*!|>'"%@\x60])`;
const PLAIN_REST = String.raw`(?:[^\s:#]|:(?=\S)|(?<=\S)#| (?=[^\s#]))*`;
const QUOTED = String.raw`(?:"[^"\\\t]*"|'[^'\t]*')`;
const KEY = String.raw`[A-Za-z0-9_.-]+`;
// Inside a flow collection `,[]{}` are indicators and `: ` separates: a smaller alphabet.
const FLOW_SCALAR = String.raw`(?:${QUOTED}|[A-Za-z0-9_./~^<=+@$-](?:[A-Za-z0-9_./~^<>=+@$*-]| (?=[A-Za-z0-9_./~^<>=+@$*-]))*)`;
const FLOW_SEQ = String.raw`\[ *(?:${FLOW_SCALAR}(?: *, *${FLOW_SCALAR})* *,?)? *\]`;
const FLOW_MAP = String.raw`\{ *(?:${KEY}: +${FLOW_SCALAR}(?: *, *${KEY}: +${FLOW_SCALAR})* *,?)? *\}`;
const SAFE_SUBSTITUTED_LINE = new RegExp(
  [
    String.raw`^ *(?:- )?(?:${KEY}: ?)?(?:${PLAIN_FIRST}${PLAIN_REST}|${QUOTED}|${FLOW_SEQ}|${FLOW_MAP})? *\r?$`,
    String.raw`^ *#[^\t\r]*\r?$`,
  ].join('|'),
);

/**
 * What a line is, structurally: indentation, sequence dashes, the key, and whether a value
 * follows. A substitution must only change the value text, never this (an emptied value, for
 * one, would make the next lines its children).
 */
function skeleton(line: string): string {
  const m = /^( *)((?:- +)*)(?:([A-Za-z0-9_.-]+):(?: +|$))?(.*?)\s*$/.exec(line);
  if (!m) return `?${line}`;
  return `${m[1].length}|${m[2].replace(/ +/g, ' ')}|${m[3] ?? ''}|${m[4] === '' ? '' : 'v'}`;
}

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 32) n++;
  return n;
}

/**
 * Every line rendering changed (same line count required) keeps its raw indentation and is
 * either body text of a block scalar in the raw text (literal to both parsers: a build
 * script line) or has a safe shape and the raw line's structure, only another value.
 */
function substitutionsAreSafe(rendered: string, raw: RawYaml): boolean {
  const r = rendered.split('\n');
  const t = raw.lines;
  if (r.length !== t.length) return false;
  for (let i = 0; i < r.length; i++) {
    if (r[i] === t[i]) continue;
    // Characters some YAML readers take as line breaks or spaces, and a BOM: never on the fast path.
    if (/[\u0085\u2028\u2029\ufeff]|\r(?!$)/.test(r[i])) return false;
    if (r[i].trim() === '') continue; // a `{% … %}` line rendered away
    if (indentOf(r[i]) !== indentOf(t[i])) return false;
    const classes = raw.lineClasses();
    if (classes.openAcrossLines.has(i)) return false;
    if (t[i].trim() !== '' && !r[i].includes('\t') && classes.blockScalar.has(i)) continue;
    if (!SAFE_SUBSTITUTED_LINE.test(r[i]) || skeleton(r[i]) !== skeleton(t[i])) return false;
  }
  return true;
}

/**
 * One rendered version of a recipe: the raw data itself when rendering changed nothing; js-yaml
 * when the raw text reads the same both ways and every line the template changed has a safe
 * shape (so the rendered text is as unambiguous as the raw one); else the canonical parser.
 * Positions are computed only when a message needs one.
 */
export function parseRenderedYaml(rendered: string, raw: RawYaml, file: string): ParsedYaml {
  if (rendered === raw.text) return { ...raw, via: 'raw' };
  sized(rendered, file);
  if (raw.fastAgrees && substitutionsAreSafe(rendered, raw)) {
    const fast = fastYamlData(rendered);
    if (fast) {
      let positions: { doc: Document; lc: LineCounter } | undefined | null = null;
      return {
        data: fast.data,
        via: 'fast',
        positions: () => {
          if (positions === null) {
            try {
              positions = parseYamlDocument(rendered, file);
            } catch {
              positions = undefined; // only a line number is lost; the caller reports the problem itself
            }
          }
          return positions;
        },
      };
    }
  }
  return parseYaml(rendered, file);
}

export function lineOfKey(parsed: ParsedYaml, keyPath: Array<string | number>): number | undefined {
  const at = parsed.positions();
  if (!at) return undefined;
  const { doc, lc } = at;
  const node = doc.getIn(keyPath, true) as YamlNode | undefined;
  const r = node?.range;
  return r ? lc.linePos(r[0]).line : undefined;
}

