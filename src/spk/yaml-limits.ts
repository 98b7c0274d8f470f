/**
 * Bounds on the YAML the reading layer accepts (recipes and `workspace.spk.yaml`).
 *
 * Why: a studio points the plugin at hundreds of recipes written over many years, and Nx
 * computes the graph inside its daemon, so one hostile or broken file must not hang it or
 * exhaust its memory. spk itself reads YAML with serde_yaml, which refuses nesting deeper
 * than 128 levels ("recursion limit exceeded") and alias expansion beyond a repetition limit
 * ("repetition limit exceeded", the "billion laughs" defence); we enforce the same kinds of
 * limit with our own clear messages. The `yaml` package keeps aliases as `Alias` nodes (it
 * never expands them while parsing), so expansion only happens in `resolveYamlNode` here,
 * under a budget.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';

/** serde_yaml's recursion limit (`serde_yaml::de`, `recursion_limit = 128`). */
export const MAX_YAML_DEPTH = 128;
/** Nodes one document may expand to through aliases (counting every repeated copy). */
export const MAX_YAML_EXPANDED_NODES = 100_000;
/**
 * Largest YAML text read: 100 times the largest recipe of the spk corpus (5 KiB). The `yaml`
 * parser slows down superlinearly on long runs of syntax errors (200 KiB of `{1,1,1,…` takes
 * seconds), so garbage this big is refused before parsing.
 */
export const MAX_YAML_BYTES = 512 * 1024;

// `Alias.resolve` searches the whole document for its anchor; remember each answer.
const resolved = new WeakMap<object, unknown>();
function resolveAlias(doc: Document, alias: object & { resolve(doc: Document): unknown }): unknown {
  if (resolved.has(alias)) return resolved.get(alias);
  const target = alias.resolve(doc);
  resolved.set(alias, target);
  return target;
}

export interface YamlLimitViolation {
  message: string;
  /** Character offset of the offending node, when known. */
  offset?: number;
}

/** Size check before parsing: the parser itself must not be handed megabytes of garbage. */
export function checkYamlSize(text: string): YamlLimitViolation | undefined {
  if (text.length > MAX_YAML_BYTES) {
    return {
      message: `YAML text is ${text.length} characters; the limit is ${MAX_YAML_BYTES} (is this really a recipe?)`,
    };
  }
  return undefined;
}

/**
 * The `yaml` parser is recursive: very deep flow nesting (`[[[[…`) ends in a caught stack
 * overflow whose message says nothing useful. Turn that into the nesting-limit message.
 */
export function clarifyYamlParseError(message: string): string {
  if (/Maximum call stack size exceeded|too much recursion/i.test(message)) {
    return `YAML nested too deeply (the limit is ${MAX_YAML_DEPTH} levels)`;
  }
  return message;
}

/**
 * Walks the document (following aliases) and reports the first limit it breaks: nesting
 * deeper than MAX_YAML_DEPTH (which also catches an alias that refers to its own ancestor)
 * or more than MAX_YAML_EXPANDED_NODES nodes once aliases are expanded.
 */
export function checkYamlDocument(doc: Document): YamlLimitViolation | undefined {
  let count = 0;
  let violation: YamlLimitViolation | undefined;
  const visit = (node: unknown, depth: number): void => {
    if (violation || node === null || node === undefined) return;
    if (isAlias(node)) {
      const target = resolveAlias(doc, node);
      if (!target) return; // an unknown anchor is already a parse error
      visit(target, depth);
      return;
    }
    count++;
    if (count > MAX_YAML_EXPANDED_NODES) {
      violation = {
        message: `YAML expands to more than ${MAX_YAML_EXPANDED_NODES} nodes through aliases (an alias bomb?); write the data out instead of repeating anchors`,
        offset: (node as YamlNode).range?.[0],
      };
      return;
    }
    if (depth > MAX_YAML_DEPTH) {
      violation = {
        message: `YAML nested too deeply (the limit is ${MAX_YAML_DEPTH} levels, counting aliases)`,
        offset: (node as YamlNode).range?.[0],
      };
      return;
    }
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        if (isPair(item)) {
          visit(item.key, depth + 1);
          visit(item.value, depth + 1);
        } else visit(item, depth + 1);
      }
    } else if (isPair(node)) {
      visit(node.key, depth + 1);
      visit(node.value, depth + 1);
    } else if (!isScalar(node)) {
      // unknown node type: nothing below it to bound
    }
  };
  visit(doc.contents, 1);
  return violation;
}

/** Follows an alias to the node it names (one level; `checkYamlDocument` already bounded the rest). */
export function resolveYamlNode(doc: Document, node: unknown): unknown {
  let n = node;
  for (let hops = 0; isAlias(n) && hops < MAX_YAML_DEPTH; hops++) n = resolveAlias(doc, n);
  return isAlias(n) ? undefined : n;
}
