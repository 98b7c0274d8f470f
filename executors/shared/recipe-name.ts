/**
 * Fallback for a missing `package` option: the package name of a recipe file, found the way spk
 * finds it WITHOUT rendering (`SpecTemplate::from_file`, spk.md §2.5): YAML-parse the raw file
 * (templated recipes keep `{% %}` in comments so the raw file is valid YAML), read `api`, take the
 * key `pkg` (or `platform` for `*\/platform`) and keep the text before the first `/`.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { SpkError } from '../../src/spk/errors';
import { assertPackageName } from '../../src/spk/cli';

export function packageNameFromRecipeFile(file: string): string {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new SpkError('recipe', `cannot read the package name from the recipe (set the "package" option): ${(e as Error).message}`, {
      file,
      cause: e,
    });
  }
  const map = (doc ?? {}) as Record<string, unknown>;
  const api = typeof map.api === 'string' ? map.api : 'v0/package';
  const kind = api.split('/')[1] ?? 'package';
  const field = kind === 'package' ? 'pkg' : kind;
  const value = map[field];
  if (typeof value !== 'string') {
    throw new SpkError('recipe', `missing '${field}' field in the recipe (set the "package" option)`, { file });
  }
  const name = value.split('/')[0]!;
  try {
    assertPackageName(name);
  } catch (e) {
    throw (e as SpkError).inFile(file);
  }
  return name;
}
