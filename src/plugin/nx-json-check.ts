/**
 * nx.json settings that cannot work with virtual project roots, found when the graph is
 * computed so the user gets one message naming the setting instead of Nx's
 * "project X not found" from the task hasher.
 *
 * Nx applies `targetDefaults` on top of inferred targets, so a default `inputs` list replaces
 * the explicit `{workspaceRoot}` inputs nx-spk declares. Any `{projectRoot}` in it (directly,
 * through a named input, or through Nx's built-in `default` = `{projectRoot}/**\/*`) makes
 * Nx look for files owned by a project whose root is virtual (see targets.ts).
 */
import type { NormalizedOptions } from './options';

interface NxJsonLike {
  namedInputs?: Record<string, unknown>;
  targetDefaults?: unknown;
}

const EXECUTORS = ['nx-spk:spk-build', 'nx-spk:spk-test', 'nx-spk:spk-publish'];

/** The `{projectRoot}` inputs reachable from `inputs`, each with the chain that reached it. */
function projectRootInputs(inputs: unknown, named: Record<string, unknown>, via: string[] = [], seen = new Set<string>()): string[] {
  if (!Array.isArray(inputs)) return [];
  const found: string[] = [];
  for (const input of inputs) {
    let text: string | undefined;
    if (typeof input === 'string') text = input;
    else if (input && typeof input === 'object' && typeof (input as { fileset?: unknown }).fileset === 'string') {
      text = (input as { fileset: string }).fileset;
    } else if (input && typeof input === 'object' && typeof (input as { input?: unknown }).input === 'string') {
      // `{ input: 'production', projects: [...] }` / `dependencies: true`: a named input of other projects.
      text = (input as { input: string }).input;
    }
    if (text === undefined) continue;
    if (text.includes('{projectRoot}')) {
      found.push(via.length ? `${text} (via ${via.map((v) => JSON.stringify(v)).join(' → ')})` : text);
      continue;
    }
    const name = text.replace(/^\^/, '').replace(/^!/, '');
    if (seen.has(name)) continue;
    if (Object.prototype.hasOwnProperty.call(named, name)) {
      seen.add(name);
      found.push(...projectRootInputs(named[name], named, [...via, text], seen));
    } else if (name === 'default') {
      // Nx's built-in named input when nx.json does not define it.
      found.push(`{projectRoot}/**/* (Nx's built-in named input ${JSON.stringify(text)})`);
    }
  }
  return found;
}

/**
 * One message per offending targetDefaults entry that applies to an nx-spk target (keyed by
 * one of the plugin's target names or by an nx-spk executor), or none.
 */
export function projectRootDefaultsProblems(nxJson: NxJsonLike | undefined, opts: NormalizedOptions): string[] {
  const td = nxJson?.targetDefaults;
  if (!td || typeof td !== 'object') return [];
  const names = new Set([opts.buildTargetName, opts.testTargetName, opts.publishTargetName, ...EXECUTORS]);
  const entries: Array<[string, unknown]> = Array.isArray(td)
    ? td.map((e, i) => [String((e as { target?: string; executor?: string })?.target ?? (e as { executor?: string })?.executor ?? `#${i}`), e])
    : Object.entries(td as Record<string, unknown>);
  const named = (nxJson?.namedInputs ?? {}) as Record<string, unknown>;
  const out: string[] = [];
  for (const [key, value] of entries) {
    if (!names.has(key)) continue;
    const found = projectRootInputs((value as { inputs?: unknown } | undefined)?.inputs, named);
    if (found.length === 0) continue;
    out.push(
      `nx.json targetDefaults[${JSON.stringify(key)}].inputs uses {projectRoot}: ${[...new Set(found)].join('; ')}. ` +
        `nx-spk projects live at virtual roots (<spk workspace>/.nx-spk/<name>/<version>) that own no files, so Nx cannot hash ` +
        `these tasks (it fails with "project … not found"). nx-spk targets already declare their inputs (the recipe file, its ` +
        `sources, the spk version, the env variables that matter); remove "inputs" from this targetDefaults entry, or use ` +
        `{workspaceRoot}/… paths (add extra env variables with the plugin option envInputs).`,
    );
  }
  return out;
}
