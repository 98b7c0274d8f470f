/**
 * `workspace.spk.yaml`: discovery, parsing and recipe collection the way spk does it
 * (`crates/spk-workspace/src/{file.rs,builder.rs,workspace.rs}`; spk.md §1).
 *
 * Differences from spk, on purpose: spk aborts the whole command on the first bad entry; here
 * every bad entry becomes one `WorkspaceProblem` (file + line) and the rest still loads, and
 * nothing in here throws for user input.
 */
import * as path from 'node:path';
import braces from 'braces';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Node as YamlNode } from 'yaml';
import { SpkError } from './errors';
import { expandGlob, isLiteralGlob } from './glob';
import { parseVersion, type Version } from './version';
import { parseVersionRange } from './range';
import { isValidPkgName } from './name';
import { readRecipeName } from './recipe';
import { nodeReader, type SpkReader } from './reader';
import { toPosix } from './posix';
import { checkYamlDocument, checkYamlSize, clarifyYamlParseError, resolveYamlNode } from './yaml-limits';

export const WORKSPACE_FILE_NAME = 'workspace.spk.yaml';

/** Refuse brace expansions larger than this per `versions` entry (bracoxide has no limit; we do). */
export const MAX_VERSIONS_PER_ENTRY = 10000;

export interface WorkspaceProblem {
  file: string;
  line?: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface WorkspaceRecipeEntry {
  /** Workspace-relative posix path. */
  file: string;
  absPath: string;
  /** Sorted, deduplicated; `[]` = none listed (= "any version may be attempted"). */
  versions: Version[];
}

export interface LoadedWorkspace {
  root: string;
  workspaceFile: string;
  entries: WorkspaceRecipeEntry[];
  problems: WorkspaceProblem[];
}

/**
 * `WorkspaceFile::discover`: `<dir>/workspace.spk.yaml` in `startDir` and each parent up to `/`;
 * the first hit wins. Relative `startDir` is resolved against `$PWD` (spk avoids resolving symlinks).
 */
export function findWorkspaceFile(startDir: string, reader: SpkReader = nodeReader): string | undefined {
  const dir = findWorkspaceDir(path.resolve(reader.pwd(), startDir), (d) => reader.kind(path.join(d, WORKSPACE_FILE_NAME)) === 'file');
  return dir === undefined ? undefined : path.join(dir, WORKSPACE_FILE_NAME);
}

/**
 * The discovery walk of `WorkspaceFile::discover` (crates/spk-workspace/src/file.rs), once for
 * every caller: `dir` itself, then each parent, until `holdsWorkspaceFile` says yes. An absolute
 * `dir` walks up to `/`; a relative one (`a/b`, `.` or `''` = the root of a tree such as the Nx
 * workspace or a generator's virtual Tree) walks up to that root and returns it as `.`.
 */
export function findWorkspaceDir(dir: string, holdsWorkspaceFile: (dir: string) => boolean): string | undefined {
  let d = dir === '' ? '.' : dir;
  for (;;) {
    if (holdsWorkspaceFile(d)) return d;
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

/** Rough upper bound of the number of strings a brace expression expands to (checked before expanding). */
function estimateExpansion(expr: string): number {
  let total = 1;
  const stack: Array<{ start: number; commas: number }> = [];
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '\\') {
      i++;
    } else if (c === '{') stack.push({ start: i, commas: 0 });
    else if (c === ',' && stack.length > 0) stack[stack.length - 1].commas++;
    else if (c === '}' && stack.length > 0) {
      const g = stack.pop()!;
      const body = expr.slice(g.start + 1, i);
      const range = /^([+-]?\d+)\.\.([+-]?\d+)(?:\.\.([+-]?\d+))?$/.exec(body) ?? /^([a-zA-Z])\.\.([a-zA-Z])(?:\.\.([+-]?\d+))?$/.exec(body);
      let n = g.commas + 1;
      // Anything else with `..` and no comma is a range `braces` may still expand in its own way
      // (a fuzzed `{18446744073709551616..+99999999}` grew an array to 169M entries): count it
      // as unbounded, so it is refused. `braces` also reads dots separated only by white space or
      // other non-ASCII characters as `..` (fuzz: `{18446744073709551616.\ufeff.+99999999}` crashed
      // the process), so those count too.
      if (!range && g.commas === 0 && /\.[^\x21-\x7e]*\./.test(body)) return Number.MAX_SAFE_INTEGER;
      if (range) {
        const a = /\d/.test(range[1]) ? Number(range[1]) : range[1].charCodeAt(0);
        const b = /\d/.test(range[2]) ? Number(range[2]) : range[2].charCodeAt(0);
        const step = Math.max(1, Math.abs(Number(range[3] ?? 1)));
        n = Math.floor(Math.abs(b - a) / step) + 1;
      }
      total *= n;
      if (total > Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER;
    }
  }
  return total;
}

/**
 * A range whose bounds come from a nested expansion (`{1..9{0..9}}`): `braces` expands the inner
 * group first and then each resulting range, which the estimate above cannot see (a fuzzed
 * `{-99999999..9999999{1..10..0}9}` took 4 GB). Refused; ranges need literal bounds.
 */
function hasRangeWithNestedBraces(expr: string): boolean {
  const stack: Array<{ start: number; topLevel: string }> = [];
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '\\') {
      i++;
    } else if (c === '{') stack.push({ start: i, topLevel: '' });
    else if (c === '}' && stack.length > 0) {
      const g = stack.pop()!;
      if (g.topLevel.includes('..') && expr.slice(g.start + 1, i).includes('{')) return true;
    } else if (stack.length > 0) stack[stack.length - 1].topLevel += c;
  }
  return false;
}

function hasUnbalancedBraces(expr: string): boolean {
  let depth = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth < 0) return true;
    }
  }
  return depth !== 0;
}

/**
 * `TemplateConfig` deserializer (file.rs): brace-expand each entry (bash style; spk uses the
 * `bracoxide` crate, we use `braces`), parse every result as a Version, collect into a sorted
 * set (equal versions such as `3.7` and `3.7.0` collapse). `position` is the entry index.
 * Throws SpkError('workspace') with spk's messages.
 */
export function expandVersionEntry(expr: string, position: number): Version[] {
  if (hasUnbalancedBraces(expr)) {
    throw new SpkError('workspace', `invalid brace expansion in position ${position}: unbalanced braces`, { input: expr });
  }
  if (hasRangeWithNestedBraces(expr)) {
    throw new SpkError('workspace', `invalid brace expansion in position ${position}: a range's bounds must be literal numbers or letters, not a nested {…}`, {
      input: expr,
    });
  }
  const estimate = estimateExpansion(expr);
  if (estimate > MAX_VERSIONS_PER_ENTRY) {
    throw new SpkError(
      'workspace',
      estimate >= Number.MAX_SAFE_INTEGER
        ? `brace expansion in position ${position} is not a plain {N..M[..step]} range or is too large; the limit is ${MAX_VERSIONS_PER_ENTRY} versions per entry`
        : `brace expansion in position ${position} would produce about ${estimate} versions; the limit is ${MAX_VERSIONS_PER_ENTRY} per entry`,
      { input: expr },
    );
  }
  let expanded: string[];
  try {
    // `{}` and `{a}` stay literal in both bracoxide (EmptyContent / no alternatives) and braces.
    expanded = expr.includes('{') ? braces(expr, { expand: true, rangeLimit: MAX_VERSIONS_PER_ENTRY }) : [expr];
  } catch (e) {
    throw new SpkError('workspace', `invalid brace expansion in position ${position}: ${(e as Error).message}`, {
      input: expr,
    });
  }
  if (expanded.length > MAX_VERSIONS_PER_ENTRY) {
    throw new SpkError(
      'workspace',
      `brace expansion in position ${position} produced ${expanded.length} versions; the limit is ${MAX_VERSIONS_PER_ENTRY} per entry`,
      { input: expr },
    );
  }
  const out: Version[] = [];
  for (const v of expanded) {
    try {
      out.push(parseVersion(v));
    } catch (e) {
      throw new SpkError('workspace', `brace expansion in position ${position} produced invalid version '${v}'`, {
        input: expr,
        cause: e,
      });
    }
  }
  return out;
}

/** Sorted set of versions with spk equality (`1.2 == 1.2.0`): the first spelling is kept. */
export function versionSet(versions: Iterable<Version>): Version[] {
  const sorted = [...versions].sort((a, b) => a.compare(b));
  const out: Version[] = [];
  for (const v of sorted) if (out.length === 0 || !out[out.length - 1].equals(v)) out.push(v);
  return out;
}

function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const s = node as Scalar;
  if (typeof s.value === 'string') return s.value;
  // serde_yaml hands a plain scalar to `deserialize_str` as written: `3.10` stays "3.10".
  if ((typeof s.value === 'number' || typeof s.value === 'bigint') && typeof s.source === 'string') return s.source;
  if (s.value === null || typeof s.value === 'boolean' || typeof s.value === 'number') {
    return typeof s.source === 'string' ? s.source : String(s.value);
  }
  return undefined;
}

function lineOf(lc: LineCounter, node: unknown): number | undefined {
  const range = (node as YamlNode | undefined)?.range;
  if (!range) return undefined;
  return lc.linePos(range[0]).line;
}

/**
 * Parses the text of a workspace file. `api:` and unknown keys are ignored like spk
 * (`WorkspaceFile` has only `recipes`, default empty). Each `recipes:` item is a glob string
 * or `{path, versions}` (both keys required, as in file.rs).
 */
export function parseWorkspaceFile(
  text: string,
  file: string,
): { items: Array<{ pattern: string; versions: Version[]; line?: number }>; problems: WorkspaceProblem[] } {
  const problems: WorkspaceProblem[] = [];
  const items: Array<{ pattern: string; versions: Version[]; line?: number }> = [];
  const tooBig = checkYamlSize(text);
  if (tooBig) {
    problems.push({ file, message: `invalid workspace file: ${tooBig.message}`, severity: 'error' });
    return { items, problems };
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { version: '1.2', lineCounter: lc, prettyErrors: false /* per-error context is quadratic on long garbage lines */ });
  if (doc.errors.length > 0) {
    for (const e of doc.errors.slice(0, 1)) {
      problems.push({
        file,
        line: lc.linePos(e.pos[0]).line,
        message: `invalid yaml in workspace file: ${clarifyYamlParseError(e.message.split('\n')[0])}`,
        severity: 'error',
      });
    }
    return { items, problems };
  }
  const limit = checkYamlDocument(doc);
  if (limit) {
    problems.push({
      file,
      line: limit.offset !== undefined ? lc.linePos(limit.offset).line : undefined,
      message: `invalid workspace file: ${limit.message}`,
      severity: 'error',
    });
    return { items, problems };
  }
  // Aliases read as the anchored node, as serde_yaml does (bounded by checkYamlDocument).
  const deref = (n: unknown) => resolveYamlNode(doc, n);
  const root = deref(doc.contents);
  if (root === null || root === undefined || (isScalar(root) && root.value === null)) return { items, problems };
  if (!isMap(root)) {
    problems.push({ file, line: lineOf(lc, root), message: 'workspace file must be a YAML mapping', severity: 'error' });
    return { items, problems };
  }
  const recipes = deref(root.get('recipes', true));
  if (recipes === undefined || (isScalar(recipes) && (recipes as Scalar).value === null)) return { items, problems };
  if (!isSeq(recipes)) {
    problems.push({ file, line: lineOf(lc, recipes), message: '`recipes` must be a list', severity: 'error' });
    return { items, problems };
  }
  recipes.items.forEach((rawItem, index) => {
    const item = deref(rawItem);
    const line = lineOf(lc, rawItem);
    const where = `recipes[${index}]`;
    const str = scalarText(item);
    if (str !== undefined) {
      items.push({ pattern: str, versions: [], line });
      return;
    }
    if (!isMap(item)) {
      problems.push({ file, line, message: `${where}: expected a glob string or {path, versions}`, severity: 'error' });
      return;
    }
    const pattern = scalarText(deref(item.get('path', true)));
    if (pattern === undefined) {
      problems.push({ file, line, message: `${where}: missing field \`path\``, severity: 'error' });
      return;
    }
    const versionsNode = deref(item.get('versions', true));
    if (versionsNode === undefined) {
      problems.push({ file, line, message: `${where} (${pattern}): missing field \`versions\``, severity: 'error' });
      return;
    }
    if (!isSeq(versionsNode)) {
      problems.push({ file, line: lineOf(lc, versionsNode) ?? line, message: `${where} (${pattern}): \`versions\` must be a list of strings`, severity: 'error' });
      return;
    }
    const all: Version[] = [];
    let ok = true;
    versionsNode.items.forEach((rawV, i) => {
      if (!ok) return;
      const vNode = deref(rawV);
      const vLine = lineOf(lc, rawV) ?? line;
      const expr = scalarText(vNode);
      if (expr === undefined) {
        problems.push({ file, line: vLine, message: `${where} (${pattern}): version in position ${i} must be a string`, severity: 'error' });
        ok = false;
        return;
      }
      try {
        all.push(...expandVersionEntry(expr, i));
      } catch (e) {
        const reason = e instanceof SpkError ? e.reason : String(e);
        problems.push({ file, line: vLine, message: `${where} (${pattern}): ${reason} (entry '${expr}')`, severity: 'error' });
        ok = false;
      }
    });
    // spk fails the whole item on one bad version; we drop just that item.
    if (ok) items.push({ pattern, versions: versionSet(all), line });
  });
  return { items, problems };
}


/**
 * Loads a workspace: `rootOrFile` is the workspace file, or a directory from which the file is
 * discovered upwards. Globs are expanded relative to the file's directory; matches are deduped
 * (by real path, like spk's canonicalised template keys); a later non-empty `versions` REPLACES
 * the earlier set (`TemplateConfig::update`). Never throws for user input.
 */
export function loadWorkspace(rootOrFile: string, reader: SpkReader = nodeReader): LoadedWorkspace {
  let workspaceFile: string | undefined;
  const isFile = reader.kind(path.resolve(reader.cwd(), rootOrFile)) === 'file';
  if (isFile) workspaceFile = path.resolve(reader.cwd(), rootOrFile);
  else workspaceFile = findWorkspaceFile(rootOrFile, reader);
  if (!workspaceFile) {
    const dir = path.resolve(reader.cwd(), rootOrFile);
    return {
      root: dir,
      workspaceFile: path.join(dir, WORKSPACE_FILE_NAME),
      entries: [],
      problems: [
        {
          file: path.join(dir, WORKSPACE_FILE_NAME),
          message: `workspace not found, no ${WORKSPACE_FILE_NAME} in ${dir} or any parent`,
          severity: 'error',
        },
      ],
    };
  }
  const root = path.dirname(workspaceFile);
  const relFile = WORKSPACE_FILE_NAME;
  let text: string;
  try {
    text = reader.readText(workspaceFile);
  } catch (e) {
    return {
      root,
      workspaceFile,
      entries: [],
      problems: [{ file: relFile, message: `cannot read workspace file: ${(e as Error).message}`, severity: 'error' }],
    };
  }
  const parsed = parseWorkspaceFile(text, relFile);
  const problems = [...parsed.problems];
  const byKey = new Map<string, WorkspaceRecipeEntry>();
  parsed.items.forEach((item, index) => {
    let matches: string[];
    const globWarnings: string[] = [];
    try {
      matches = expandGlob(item.pattern, root, globWarnings, reader);
    } catch (e) {
      const reason = e instanceof SpkError ? e.reason : String(e);
      problems.push({ file: relFile, line: item.line, message: `recipes[${index}]: invalid glob pattern '${item.pattern}': ${reason}`, severity: 'error' });
      return;
    }
    for (const w of globWarnings) {
      problems.push({ file: relFile, line: item.line, message: `recipes[${index}] (${item.pattern}): ${w}`, severity: 'warning' });
    }
    if (matches.length === 0) {
      problems.push({
        file: relFile,
        line: item.line,
        message: isLiteralGlob(item.pattern)
          ? `recipes[${index}]: '${item.pattern}' does not exist`
          : `recipes[${index}]: pattern '${item.pattern}' matched no files`,
        severity: 'warning',
      });
      return;
    }
    for (const abs of matches) {
      let key = abs;
      try {
        key = reader.realpath(abs);
      } catch {
        // keep the glob path
      }
      let entry = byKey.get(key);
      if (!entry) {
        entry = { file: toPosix(path.relative(root, abs)), absPath: abs, versions: [] };
        byKey.set(key, entry);
      }
      if (item.versions.length > 0) entry.versions = item.versions;
    }
  });
  const entries = [...byKey.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { root, workspaceFile, entries, problems };
}

/**
 * `Workspace::find_package_template_for_version` (crates/spk-workspace/src/workspace.rs): the
 * templates of `name` that may be asked for `name/version` — those listing no versions, or
 * listing one the lowest-specified range of `version` admits (`~V`, padded to two parts, so
 * `python/3` picks the python 3 template). Shared by `findPackageTemplate` and platform pins.
 */
export function templatesForVersion<T extends { name: string; entry: { versions: Version[] } }>(
  templates: readonly T[],
  name: string,
  version: Version,
): T[] {
  const parts = [...version.parts];
  while (parts.length < 2) parts.push(0);
  const r = parseVersionRange(`~${parts.join('.')}`);
  return templates.filter((t) => t.name === name && (t.entry.versions.length === 0 || t.entry.versions.some((v) => r.isApplicable(v))));
}

/**
 * `Workspace::find_package_template` (workspace.rs; spk.md §1.7): `''` → the only template;
 * a package name → all templates of that name; `name/version` → templates of that name whose
 * listed versions satisfy `~version` (padded to ≥2 parts), or that list none; otherwise a path.
 * Throws SpkError('workspace') for NotFound / MultipleTemplates. Templates whose name cannot be
 * read are skipped like spk's builder does.
 */
export function findPackageTemplate(
  ws: LoadedWorkspace,
  request: string,
  readText: (absPath: string) => string = (p) => nodeReader.readText(p),
  reader: SpkReader = nodeReader,
): WorkspaceRecipeEntry {
  const named: Array<{ entry: WorkspaceRecipeEntry; name: string }> = [];
  for (const entry of ws.entries) {
    try {
      named.push({ entry, name: readRecipeName(readText(entry.absPath), entry.file).name });
    } catch {
      // spk: warn!("ignoring template file") — not a candidate
    }
  }
  let found: Array<{ entry: WorkspaceRecipeEntry; name: string }>;
  if (request === '') {
    found = named;
    if (found.length === 0) throw new SpkError('workspace', 'NoTemplateFiles: no recipe files in the workspace');
  } else if (isValidPkgName(request)) {
    found = named.filter((t) => t.name === request);
  } else {
    const slash = request.indexOf('/');
    let wanted: Version | undefined;
    if (slash > 0 && isValidPkgName(request.slice(0, slash))) {
      try {
        wanted = parseVersion(request.slice(slash + 1));
      } catch {
        wanted = undefined;
      }
    }
    if (wanted) {
      found = templatesForVersion(named, request.slice(0, slash), wanted);
    } else {
      let wanted = path.resolve(reader.cwd(), request);
      try {
        wanted = reader.realpath(wanted);
      } catch {
        // compare unresolved
      }
      found = named.filter((t) => {
        try {
          return reader.realpath(t.entry.absPath) === wanted;
        } catch {
          return t.entry.absPath === wanted;
        }
      });
    }
  }
  if (found.length === 0) throw new SpkError('workspace', `NotFound: no recipe in the workspace matches '${request}'`, { input: request });
  if (found.length > 1) {
    const list = found
      .map((t) => ` - ${t.entry.file} versions=[${t.entry.versions.length ? t.entry.versions.map((v) => v.toString()).join(', ') : '<any>'}]`)
      .join('\n');
    throw new SpkError('workspace', `MultipleTemplates: '${request}' matches several recipes:\n${list}`, { input: request });
  }
  return found[0].entry;
}
