/**
 * The fast path of reading recipe YAML: js-yaml straight to plain data, with a schema that
 * matches how spk's serde structs see recipe scalars.
 *
 * Why two parsers: the plugin renders and parses every recipe once per version on every cold
 * Nx graph computation (spk does the same: `SpecTemplate::render` then serde_yaml per
 * version), and the `yaml` package's Document/CST path is ~15× slower than js-yaml on recipes
 * (bench/, BENCHMARKS.md). But `yaml` keeps node positions, which is what names the line of a
 * problem. So a recipe is read with js-yaml, and only when js-yaml refuses it, or when it is
 * outside the bounds below, does the caller take the `yaml` path (recipe.ts `parseYaml`),
 * which is the one that decides and words every error. For any text both accept, the data is
 * identical (yaml-fast.test.ts checks this over the corpus and mutated recipes).
 *
 * The schema: failsafe (everything a string) + serde_yaml's null and bool spellings + its
 * numbers, kept as text: spk's string fields see a plain `3.10` as "3.10" (not 3.1), the same
 * text the slow path keeps from the node source (`toPlain`); the number itself goes to the
 * side-table of yaml-number.ts for the `Stringified` fields.
 * No merge keys (`<<` is an ordinary key in YAML 1.2, as in the `yaml` package with
 * version '1.2'), and duplicate keys are an error (js-yaml's default, `uniqueKeys` there).
 */
import { FAILSAFE_SCHEMA, load, Type } from 'js-yaml';
import { MAX_YAML_DEPTH, MAX_YAML_EXPANDED_NODES } from './yaml-limits';
import { serdeYamlNumber, settleNumbers, YamlNumber } from './yaml-number';

// The null and bool spellings serde_yaml 0.9 resolves (de.rs `parse_null`, `parse_bool`): only
// `~`, `null` and empty, only `true` and `false`. `True`, `NULL` (YAML 1.2 core) stay strings, as
// recipe-yaml.ts `toPlain` keeps them. An empty plain scalar (`a:`) is null.
const NULL_PLAIN = /^(?:~|null)?$/;
const BOOL_PLAIN = /^(?:true|false)$/;
const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: string | null) => data === null || NULL_PLAIN.test(data),
  construct: () => null,
});
const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && BOOL_PLAIN.test(data),
  construct: (data: string) => data === 'true',
});
// A plain scalar serde_yaml resolves to a number: its text plus the number (yaml-number.ts), as
// `toPlain` reads it; implicit types only ever see plain scalars.
const numberType = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && serdeYamlNumber(data) !== undefined,
  construct: (data: string) => new YamlNumber(data, serdeYamlNumber(data)!),
});
const RECIPE_SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, numberType] });

/**
 * The fast path stays well inside the limits the slow path enforces (nesting, alias
 * expansion), so a document near a limit is always judged, and worded, by the slow path.
 */
const FAST_MAX_DEPTH = MAX_YAML_DEPTH / 2;
const FAST_MAX_NODES = MAX_YAML_EXPANDED_NODES / 2;

/** Counts nodes (every alias copy again, as spk's deserialiser would see them) and depth; false past the fast bounds. */
function withinFastBounds(data: unknown): boolean {
  let count = 0;
  const visit = (v: unknown, depth: number): boolean => {
    if (++count > FAST_MAX_NODES || depth > FAST_MAX_DEPTH) return false;
    if (v === null || typeof v !== 'object' || v instanceof YamlNumber) return true;
    if (Array.isArray(v)) {
      for (const item of v) if (!visit(item, depth + 1)) return false;
      return true;
    }
    for (const key of Object.keys(v)) {
      count++; // the key is a node too (yaml-limits.ts counts it)
      if (!visit((v as Record<string, unknown>)[key], depth + 1)) return false;
    }
    return true;
  };
  return visit(data, 1);
}

/** A mapping key js-yaml would have to stringify from a non-scalar (`? [a, b]`): leave it to the slow path. */
function hasComplexKey(text: string): boolean {
  return /^\s*\?(\s|$)/m.test(text);
}

/**
 * Plain data of a YAML document as spk's string-typed fields see it, or `undefined` when the
 * fast path cannot vouch for the text (any js-yaml error, a complex key, near a limit):
 * the caller then parses it with the `yaml` package, which reports the problem with its line.
 */
export function fastYamlData(text: string): { data: unknown } | undefined {
  if (hasComplexKey(text)) return undefined;
  let data: unknown;
  try {
    data = load(text, { schema: RECIPE_SCHEMA, json: false });
  } catch {
    // Not swallowed: the slow path parses the same text and raises the error with its line.
    return undefined;
  }
  if (data === undefined) data = null; // empty document, as `yaml` reads it
  // Bounds first: an alias bomb must be refused before anything walks the expanded tree.
  if (!withinFastBounds(data)) return undefined;
  return { data: settleNumbers(data) };
}
