/**
 * `nx g nx-spk:recipe <name>`: scaffolds a templated spk recipe
 * `<directory>/<name>/<name>.spk.yaml` and lists its versions in the nearest
 * `workspace.spk.yaml` (created at the Nx root when there is none), editing that file in place
 * so its comments and order survive.
 *
 * Every input is validated with the spk model (package name, requests, versions) before any
 * file is touched; errors are SpkError naming the option and the offending text.
 */
import { posix } from 'node:path';
import { formatFiles, type Tree } from '@nx/devkit';
import { isMap, isScalar, isSeq, parseDocument, stringify, YAMLMap, YAMLSeq, type Document } from 'yaml';
import { SpkError } from '../../src/spk/errors';
import { compileGlob, matchGlobSegments } from '../../src/spk/glob';
import { validatePkgName } from '../../src/spk/name';
import { parseRequest } from '../../src/spk/request';
import { parseVersion, type Version } from '../../src/spk/version';
import { expandVersionEntry, findWorkspaceDir } from '../../src/spk/workspace';
import { STARTER_WORKSPACE_TEXT, WORKSPACE_FILE_NAME } from '../init/generator';

export interface RecipeGeneratorSchema {
  /** Package name (spk rules: `[a-z0-9-]{2,64}`, not starting with `-`). */
  name: string;
  /** Parent directory of the recipe's own directory, relative to the Nx root. Default `packages`. */
  directory?: string;
  /** Default version of the template (`default_opts(version=…)`); Nx reserves `--version`. */
  recipeVersion?: string;
  /** Versions to list in workspace.spk.yaml, comma-separated, brace expansion allowed; stored as written. */
  versions?: string | string[];
  /** Build requests (`build.options`), comma-separated, e.g. `gcc/9,cmake/^3.13`. */
  buildRequires?: string | string[];
  /** Runtime requests (`install.requirements`), comma-separated. */
  installRequires?: string | string[];
  description?: string;
  skipFormat?: boolean;
}

export const DEFAULT_RECIPE_DIRECTORY = 'packages';
export const DEFAULT_RECIPE_VERSION = '1.0.0';

// ------------------------------------------------------------------------------------------
// Option lists

/** Splits at commas outside `{…}` (so `1.{0,1}.0` and `python:{lib,bin}` stay whole); trims; drops empties. */
export function splitTopLevelCommas(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * Splits a comma-separated list of requests. spk version ranges also use commas
 * (`gcc/>=9,<10`), so a piece that cannot start a request (a package or repository name
 * starts with `[a-z0-9]`) continues the previous request's range.
 */
export function splitRequestList(text: string): string[] {
  const out: string[] = [];
  for (const piece of splitTopLevelCommas(text)) {
    if (out.length > 0 && !/^[a-z0-9]/.test(piece)) out[out.length - 1] += `,${piece}`;
    else out.push(piece);
  }
  return out;
}

function toList(value: string | string[] | undefined, split: (s: string) => string[]): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter((v) => v !== '');
  return split(String(value));
}

function optionError(option: string, index: number, e: unknown): never {
  if (e instanceof SpkError) {
    throw new SpkError(e.kind, `--${option} entry ${index + 1}: ${e.reason}`, {
      input: e.input,
      position: e.position,
      cause: e,
    });
  }
  throw e;
}

/** Validates each request with spk's request grammar; returns them as written (trimmed). */
export function validateRequests(option: string, requests: string[]): string[] {
  requests.forEach((r, i) => {
    try {
      parseRequest(r);
    } catch (e) {
      optionError(option, i, e);
    }
  });
  return requests;
}

/** Validates one version as spk's `parse_version` does (an empty string is not a version here). */
export function validateVersion(option: string, text: string): Version {
  if (text.trim() === '') throw new SpkError('version', `--${option}: a version must not be empty`, { input: text });
  try {
    return parseVersion(text);
  } catch (e) {
    if (e instanceof SpkError) {
      throw new SpkError(e.kind, `--${option}: ${e.reason}`, { input: e.input, position: e.position, cause: e });
    }
    throw e;
  }
}

/** Expands each `--versions` entry the way workspace.spk.yaml will (spk's TemplateConfig). */
export function expandVersionList(entries: string[]): Version[][] {
  return entries.map((entry, i) => {
    try {
      return expandVersionEntry(entry, i);
    } catch (e) {
      return optionError('versions', i, e);
    }
  });
}

function normalizeDirectory(directory: string | undefined): string {
  const raw = (directory ?? DEFAULT_RECIPE_DIRECTORY).trim().replace(/\\/g, '/');
  if (raw.startsWith('/')) {
    throw new SpkError('recipe', '--directory must be relative to the workspace root', { input: raw });
  }
  const norm = posix.normalize(raw === '' ? '.' : raw).replace(/\/+$/, '');
  if (norm === '..' || norm.startsWith('../')) {
    throw new SpkError('recipe', '--directory must stay inside the workspace', { input: raw });
  }
  return norm === '.' ? '' : norm;
}

// ------------------------------------------------------------------------------------------
// Recipe text

export interface RecipeTextOptions {
  name: string;
  defaultVersion: string;
  description?: string;
  buildRequires: string[];
  installRequires: string[];
}

/** A YAML scalar for a block context: plain when safe, quoted otherwise (never folded or block). */
function scalar(value: string): string {
  // A multi-line flow scalar would need its continuation lines indented for the nesting it
  // lands in; a JSON string is a valid one-line YAML double-quoted scalar with `\n` escapes.
  if (/[\r\n]/.test(value)) return JSON.stringify(value);
  return stringify(value, { lineWidth: 0, blockQuote: false }).trimEnd();
}

/**
 * The templated-version idiom of every templated recipe in spk's `packages/`: the first line
 * (a YAML comment, so the raw file stays valid YAML for spk's name discovery) defaults
 * `opt.version`, and `spk build … -o version=V` overrides it (spk.md §2.4).
 */
export function renderRecipeText(o: RecipeTextOptions): string {
  const lines: string[] = [
    `# {% set opt = opt | default_opts(version="${o.defaultVersion}") %}`,
    `pkg: ${o.name}/{{ opt.version }}`,
    'api: v0/package',
  ];
  if (o.description !== undefined && o.description.trim() !== '') {
    lines.push('', 'meta:', `  description: ${scalar(o.description.trim())}`);
  }
  lines.push('', 'sources:', '  # The directory of this recipe is the source.', '  - path: ./');
  lines.push('', 'build:');
  if (o.buildRequires.length > 0) {
    lines.push('  options:', ...o.buildRequires.map((r) => `    - pkg: ${scalar(r)}`));
  }
  lines.push(
    '  script:',
    '    # Placeholder: build here and install into $PREFIX (/spfs); spk rejects an empty package.',
    `    - mkdir -p "$PREFIX/share/doc/${o.name}"`,
    `    - echo "build ${o.name} $SPK_PKG_VERSION" > "$PREFIX/share/doc/${o.name}/BUILD"`,
  );
  if (o.installRequires.length > 0) {
    lines.push('', 'install:', '  requirements:', ...o.installRequires.map((r) => `    - pkg: ${scalar(r)}`));
  }
  return lines.join('\n') + '\n';
}

// ------------------------------------------------------------------------------------------
// workspace.spk.yaml editing

function stripDotSlash(p: string): string {
  let s = p.trim();
  while (s.startsWith('./')) s = s.slice(2);
  return s;
}

function globMatches(pattern: string, relPath: string): boolean {
  const p = stripDotSlash(pattern);
  if (p.startsWith('/')) return false;
  try {
    return matchGlobSegments(compileGlob(p), relPath.split('/'));
  } catch {
    return false; // an invalid glob matches nothing (spk fails on it; not ours to fix here)
  }
}

function itemPath(item: unknown): string | undefined {
  if (isScalar(item) && typeof item.value === 'string') return item.value;
  if (isMap(item)) {
    const p = item.get('path');
    if (typeof p === 'string') return p;
  }
  return undefined;
}

function sameVersions(a: Version[], b: Version[]): boolean {
  return a.every((v) => b.some((w) => v.compare(w) === 0));
}

function recipesSeq(doc: Document, file: string): YAMLSeq {
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
    doc.contents = doc.createNode({ api: 'v0/workspace', recipes: [] }) as never;
  } else if (!isMap(root)) {
    throw new SpkError('workspace', `${file} must be a YAML mapping to add a recipe to it`, { file });
  }
  const map = doc.contents;
  if (!isMap(map)) throw new SpkError('workspace', `${file} must be a YAML mapping to add a recipe to it`, { file });
  const recipes = map.get('recipes', true) as unknown;
  if (recipes === undefined || (isScalar(recipes) && recipes.value === null)) {
    const seq = new YAMLSeq();
    map.set('recipes', seq);
    return seq;
  }
  if (!isSeq(recipes)) throw new SpkError('workspace', `${file}: \`recipes\` must be a list to add a recipe to it`, { file });
  return recipes;
}

/**
 * Returns `text` with `recipePath` (relative to the workspace file's directory) listed:
 * - with `versions`: extends the last `{path: recipePath, versions}` entry with the entries not
 *   already present (as written, or covered by its expansions), else appends a new
 *   `{path, versions}` (even when a glob already matches the file, so the versions are listed);
 * - without: appends the bare path only if no entry matches the file yet.
 * Comments, order and untouched formatting are preserved; the text is returned unchanged when
 * nothing needs adding. `text` undefined means the file does not exist yet.
 */
export function addRecipeToWorkspaceText(
  text: string | undefined,
  recipePath: string,
  versions: string[],
  file = WORKSPACE_FILE_NAME,
): string {
  const source = text ?? STARTER_WORKSPACE_TEXT;
  const doc = parseDocument(source, { version: '1.2' });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new SpkError('workspace', `cannot add the recipe: invalid yaml: ${e.message.split('\n')[0]}`, {
      file,
      line: e.linePos?.[0]?.line,
    });
  }
  const seq = recipesSeq(doc, file);
  let changed = text === undefined;

  if (versions.length === 0) {
    if (!seq.items.some((item) => {
      const p = itemPath(item);
      return p !== undefined && globMatches(p, recipePath);
    })) {
      seq.add(doc.createNode(recipePath));
      changed = true;
    }
  } else {
    const entry = [...seq.items]
      .reverse()
      .find((item): item is YAMLMap => isMap(item) && stripDotSlash(String(item.get('path') ?? '')) === recipePath);
    if (entry) {
      const node = entry.get('versions', true) as unknown;
      if (node === undefined || (isScalar(node) && node.value === null)) {
        const list = doc.createNode(versions) as YAMLSeq;
        list.flow = true;
        entry.set('versions', list);
        changed = true;
      } else if (!isSeq(node)) {
        throw new SpkError('workspace', `the \`versions\` of ${recipePath} must be a list to add versions to it`, { file });
      } else {
        const present = node.items.map((v) => (isScalar(v) ? String(v.value) : ''));
        const covered: Version[] = [];
        present.forEach((p, i) => {
          try {
            covered.push(...expandVersionEntry(p, i));
          } catch {
            // An existing bad entry is spk's error to report; it simply covers nothing here.
          }
        });
        versions.forEach((v, i) => {
          if (present.includes(v)) return;
          if (sameVersions(expandVersionEntry(v, i), covered)) return;
          node.add(doc.createNode(v));
          present.push(v);
          changed = true;
        });
      }
    } else {
      const mapping = doc.createNode({ path: recipePath, versions }) as YAMLMap;
      const versionsNode = mapping.get('versions', true);
      if (isSeq(versionsNode)) versionsNode.flow = true;
      seq.add(mapping);
      changed = true;
    }
  }
  if (!changed) return source;
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false, singleQuote: true });
}

/** Nearest `workspace.spk.yaml` from `dir` upwards (spk's `WorkspaceFile::discover`), within the tree. */
export function findWorkspaceFile(tree: Tree, dir: string): string | undefined {
  const at = (d: string) => (d === '.' ? WORKSPACE_FILE_NAME : `${d}/${WORKSPACE_FILE_NAME}`);
  const found = findWorkspaceDir(dir, (d) => tree.exists(at(d)));
  return found === undefined ? undefined : at(found);
}

// ------------------------------------------------------------------------------------------
// Generator

export interface NormalizedRecipeOptions {
  name: string;
  recipeFile: string;
  defaultVersion: string;
  /** What goes into workspace.spk.yaml (empty: only make sure the file is selected). */
  workspaceVersions: string[];
  recipe: RecipeTextOptions;
}

export function normalizeRecipeGeneratorOptions(schema: RecipeGeneratorSchema): NormalizedRecipeOptions {
  const name = validatePkgName(String(schema.name ?? '').trim());
  const directory = normalizeDirectory(schema.directory);
  const recipeFile = posix.join(directory, name, `${name}.spk.yaml`);

  const versionEntries = toList(schema.versions, splitTopLevelCommas);
  const expanded = expandVersionList(versionEntries);
  const recipeVersionText = schema.recipeVersion === undefined ? undefined : String(schema.recipeVersion).trim();
  const recipeVersion = recipeVersionText === undefined ? undefined : validateVersion('recipeVersion', recipeVersionText);
  const allExpanded = expanded.flat().sort((a, b) => a.compare(b));

  // The template's default: the version asked for, else the highest listed one.
  const defaultVersion =
    recipeVersionText ?? (allExpanded.length > 0 ? allExpanded[allExpanded.length - 1].toString() : DEFAULT_RECIPE_VERSION);

  const workspaceVersions = [...versionEntries];
  if (recipeVersion && recipeVersionText !== undefined && !allExpanded.some((v) => v.compare(recipeVersion) === 0)) {
    // The default version must be buildable too, so it is listed with the others.
    workspaceVersions.push(recipeVersionText);
  }

  return {
    name,
    recipeFile,
    defaultVersion,
    workspaceVersions,
    recipe: {
      name,
      defaultVersion,
      description: schema.description,
      buildRequires: validateRequests('buildRequires', toList(schema.buildRequires, splitRequestList)),
      installRequires: validateRequests('installRequires', toList(schema.installRequires, splitRequestList)),
    },
  };
}

export async function recipeGenerator(tree: Tree, schema: RecipeGeneratorSchema): Promise<void> {
  const o = normalizeRecipeGeneratorOptions(schema);
  if (tree.exists(o.recipeFile)) {
    throw new SpkError('recipe', 'the recipe already exists; nx-spk:recipe never overwrites a recipe (remove it or pick another --directory)', {
      file: o.recipeFile,
    });
  }
  const recipeDir = posix.dirname(o.recipeFile);
  const wsFile = findWorkspaceFile(tree, recipeDir === '.' ? '' : recipeDir) ?? WORKSPACE_FILE_NAME;
  const wsDir = posix.dirname(wsFile);
  const relPath = posix.relative(wsDir === '.' ? '' : wsDir, o.recipeFile);
  const before = tree.exists(wsFile) ? tree.read(wsFile, 'utf-8')! : undefined;
  // Compute the workspace edit first: a workspace file we cannot edit stops us before writing.
  const after = addRecipeToWorkspaceText(before, relPath, o.workspaceVersions, wsFile);

  tree.write(o.recipeFile, renderRecipeText(o.recipe));
  if (after !== before) tree.write(wsFile, after);
  if (!schema.skipFormat) await formatFiles(tree);
}

export default recipeGenerator;
