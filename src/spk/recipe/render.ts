/**
 * Loading a recipe: render per workspace version (`opt.version` exactly like `-o version=V`),
 * read the rendered YAML, extract per kind, and turn every failure into one problem naming the
 * file (and line).
 */
import * as path from 'node:path';
import { SpkError, type KeyPath } from '../errors';
import { renderTemplate, type TemplateParseCache } from '../template';
import { parseVersion, type Version } from '../version';
import { DEFAULT_COMPAT } from '../compat';
import { type PinStatement } from '../platform';
import { lineOfKey, parseRawYaml, parseRenderedYaml, type ParsedYaml, type RawYaml } from '../recipe-yaml';
import { nodeReader } from '../reader';
import { toPosix } from '../posix';
import { recipeNameOf } from './name';
import { type LoadRecipeOptions, type LoadRecipeResult, type RecipeKind, type RecipeProblem, type RecipeVersion } from './types';
import { extractPackage } from './v0-package';
import { extractV0Platform } from './v0-platform';
import { extractV1Platform } from './v1-platform';
import { asRecord, str } from './values';

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function problemFrom(e: unknown, file: string, version?: string): RecipeProblem {
  const p: RecipeProblem = { file, message: String((e as Error)?.message ?? e) };
  if (e instanceof SpkError) {
    // File and line travel as fields; the message is the rest (reason and input).
    p.message = e.detail;
    if (e.line !== undefined) p.line = e.line;
  }
  if (version !== undefined) p.version = version;
  return p;
}

/**
 * Renders and reads one recipe file's text for each version (`[]` = once, without a version
 * option). Never throws for user input: each failure is one problem naming the file (and line).
 */
export function loadRecipeText(text: string, file: string, versions: Version[], opts: LoadRecipeOptions): LoadRecipeResult {
  const problems: RecipeProblem[] = [];
  const recipeVersions: RecipeVersion[] = [];
  let name: string;
  let kind: RecipeKind;
  let rawParsed: RawYaml;
  try {
    // The raw (unrendered) text is parsed once, for the api and the name (SpecTemplate::from_file).
    rawParsed = parseRawYaml(text, file);
    // v0/requirements first: not a problem, just not buildable.
    const raw = asRecord(rawParsed.data);
    if (raw && raw.api === 'v0/requirements') {
      return { recipeVersions, problems, notes: [`${file}: v0/requirements file (a request list) is not buildable; skipped`] };
    }
    ({ name, kind } = recipeNameOf(rawParsed, file));
  } catch (e) {
    problems.push(problemFrom(e, file));
    return { recipeVersions, problems };
  }
  if (kind === 'v1/platform') {
    // spk HEAD cannot load v1/platform from a file (ApiVersion lacks it; PR #1370) — read it anyway.
  }
  const absPath = path.resolve((opts.reader ?? nodeReader).cwd(), opts.workspaceRoot, file);
  const recipeAbsDir = path.dirname(absPath);
  const templated = /\bopt\s*\.\s*version\b|\bopt\s*\[\s*["']version["']\s*\]/.test(text);
  const targets: Array<Version | undefined> = versions.length === 0 ? [undefined] : versions;
  // Without a listed version, the version a failure belongs to is the raw `pkg: name/version`,
  // when it is literal text (not templated).
  let rawVersion: string | undefined;
  if (versions.length === 0) {
    const rawIdent = asRecord(rawParsed.data)?.[kind === 'v0/package' ? 'pkg' : 'platform'];
    const slash = typeof rawIdent === 'string' ? rawIdent.indexOf('/') : -1;
    if (slash >= 0 && !/[{}]/.test(rawIdent as string)) {
      try {
        rawVersion = parseVersion((rawIdent as string).slice(slash + 1)).toString();
      } catch {
        rawVersion = undefined;
      }
    }
  }
  const parseCache: TemplateParseCache = {};
  for (const target of targets) {
    const vText = target?.toString();
    let renderedDoc: { parsed: ParsedYaml; rendered: string } | undefined;
    try {
      const cliOptions: Record<string, string> = { ...(opts.options ?? {}) };
      if (target !== undefined) cliOptions.version = target.toAltString();
      const options: Record<string, string> = { ...(opts.hostOptions || {}), ...cliOptions };
      const rendered = renderTemplate(text, { options, env: opts.env, file, parseCache });
      const parsed = parseRenderedYaml(rendered, rawParsed, file);
      const { data } = parsed;
      renderedDoc = { parsed, rendered };
      const rec = asRecord(data);
      if (!rec) throw new SpkError('recipe', 'the rendered recipe is not a YAML mapping', { file });
      const field = kind === 'v0/package' ? 'pkg' : 'platform';
      const identText = str(rec[field]);
      const slash = identText.indexOf('/');
      const renderedName = slash < 0 ? identText : identText.slice(0, slash);
      if (renderedName !== name) {
        throw new SpkError('recipe', `rendered ${field} '${identText}' does not name '${name}'`, { file });
      }
      let version: Version;
      try {
        version = parseVersion(slash < 0 ? '' : identText.slice(slash + 1));
      } catch (e) {
        throw new SpkError('recipe', `invalid version in ${field} '${identText}': ${e instanceof SpkError ? e.reason : String(e)}`, { file });
      }
      if (target !== undefined && !version.equals(target)) {
        throw new SpkError(
          'recipe',
          `pkg mismatch: the workspace lists version ${target.toString()} but the rendered recipe is ${name}/${version.toString()}` +
            (templated ? '' : ' (the recipe does not use opt.version)'),
          { file },
        );
      }
      const warnings: string[] = [];
      const meta = asRecord(rec.meta);
      const base = {
        file,
        name,
        version,
        kind,
        templated,
        ...(meta?.description !== undefined && meta.description !== null ? { description: str(meta.description) } : {}),
        warnings,
      };
      const hostCli = { ...(opts.hostOptions || {}), ...cliOptions };
      if (kind === 'v0/package') {
        recipeVersions.push(extractPackage(rec, name, hostCli, opts.hostOptions, base, recipeAbsDir, opts.workspaceRoot));
      } else {
        const pins: PinStatement[] = [];
        const requirements = kind === 'v0/platform' ? extractV0Platform(rec, warnings, pins) : extractV1Platform(rec, warnings, pins);
        recipeVersions.push({
          ...base,
          compat: rec.compat === undefined || rec.compat === null ? DEFAULT_COMPAT.toString() : str(rec.compat),
          requirements,
          provides: [],
          // platforms have no sources and no build script
          sources: { paths: [], excludes: [], remote: [] },
          tests: [],
          variants: [{}],
          pins,
        });
      }
    } catch (e) {
      let err = e instanceof SpkError && !e.file ? e.inFile(file) : e;
      // Errors that know where in the recipe they are (`path`) name that line too, when the
      // rendered text still lines up with the file (templates may add/remove lines).
      if (err instanceof SpkError && err.line === undefined && err.path && renderedDoc && lineCount(renderedDoc.rendered) === rawParsed.lines.length) {
        const line = lineOfPath(err.path, renderedDoc.parsed);
        if (line !== undefined) err = err.inFile(file, line);
      }
      problems.push({ ...problemFrom(err, file, vText ?? rawVersion), name });
    }
  }
  return { recipeVersions, problems };
}

/** Line of the deepest node along `path` that exists in the rendered recipe. */
export function lineOfPath(path: KeyPath, parsed: ParsedYaml): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const line = lineOfKey(parsed, path.slice(0, n));
    if (line !== undefined) return line;
  }
  return undefined;
}

/** Reads the file, then `loadRecipeText`. An unreadable file is one problem. */
export function loadRecipeFile(absPath: string, versions: Version[], opts: LoadRecipeOptions): LoadRecipeResult {
  const file = toPosix(path.relative(opts.workspaceRoot, absPath));
  let text: string;
  try {
    text = (opts.reader ?? nodeReader).readText(absPath);
  } catch (e) {
    return { recipeVersions: [], problems: [{ file, message: `cannot read recipe file: ${(e as Error).message}` }] };
  }
  return loadRecipeText(text, file, versions, opts);
}
