/**
 * Kind and package name of a recipe without rendering (`SpecTemplate::from_file`,
 * crates/spk-schema/src/spec.rs; spk.md §2.5): used by the plugin and, for a target without a
 * `package` option, by the executors.
 */
import { SpkError } from '../errors';
import { validatePkgName } from '../name';
import { lineOfKey, parseYaml, type ParsedYaml } from '../recipe-yaml';
import { type RecipeKind } from './types';
import { asRecord } from './values';

const KINDS: readonly RecipeKind[] = ['v0/package', 'v0/platform', 'v1/platform', 'v0/requirements'];

/** `api` → kind; missing → v0/package (spk warns). Unknown → SpkError. */
function kindOf(api: unknown, file: string): RecipeKind {
  if (api === undefined || api === null) return 'v0/package';
  if (typeof api !== 'string' || !(KINDS as readonly string[]).includes(api)) {
    throw new SpkError('recipe', `unknown api version ${JSON.stringify(api)} (expected one of ${KINDS.join(', ')})`, { file });
  }
  return api as RecipeKind;
}

/**
 * `SpecTemplate::from_file`: parse the RAW text as YAML (no rendering), read `api`, then the
 * `pkg` (or `platform`) field and take the text before the first `/` as the package name.
 * Throws SpkError kind 'recipe' (invalid YAML, unknown api, missing/invalid name, v0/requirements
 * has no name).
 */
export function readRecipeName(text: string, file: string): { name: string; kind: RecipeKind } {
  return recipeNameOf(parseYaml(text, file), file);
}

export function recipeNameOf(parsed: ParsedYaml, file: string): { name: string; kind: RecipeKind } {
  const data = parsed.data;
  const rec = asRecord(data);
  if (!rec) throw new SpkError('recipe', 'a recipe must be a YAML mapping', { file });
  const kind = kindOf(rec.api, file);
  if (kind === 'v0/requirements') {
    throw new SpkError('recipe', 'a v0/requirements file has no package name (UnnamedTemplate); it is not buildable', { file });
  }
  const field = kind === 'v0/package' ? 'pkg' : 'platform';
  const raw = rec[field];
  if (raw === undefined || raw === null) throw new SpkError('recipe', `Missing '${field}' field in spec file`, { file });
  if (typeof raw !== 'string') {
    throw new SpkError('recipe', `'${field}' must be a string (a templated name is not allowed: only the version may be templated)`, {
      file,
      line: lineOfKey(parsed, [field]),
    });
  }
  const name = raw.split('/')[0];
  try {
    validatePkgName(name);
  } catch (e) {
    const reason = e instanceof SpkError ? e.reason : String(e);
    throw new SpkError('recipe', `invalid package name '${name}' in '${field}': ${reason}`, { file, line: lineOfKey(parsed, [field]) });
  }
  return { name, kind };
}
