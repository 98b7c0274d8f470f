/**
 * Fallback for a missing `package` option: the package name of a recipe file, read the way spk
 * reads it WITHOUT rendering (`SpecTemplate::from_file`, spk.md §2.5). The rule itself (YAML
 * limits, `api` kinds, `pkg`/`platform` field, name validation) lives once in src/spk
 * (`readRecipeName`); this is the executors' file-reading caller.
 */
import { readFileSync } from 'node:fs';
import { SpkError } from '../../src/spk/errors';
import { readRecipeName } from '../../src/spk/recipe';

export function packageNameFromRecipeFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SpkError('recipe', `cannot read the package name from the recipe (set the "package" option): ${(e as Error).message}`, {
      file,
      cause: e,
    });
  }
  try {
    return readRecipeName(text, file).name;
  } catch (e) {
    if (!(e instanceof SpkError)) throw e;
    throw new SpkError('recipe', `cannot read the package name from the recipe (set the "package" option): ${e.reason}`, {
      file,
      ...(e.line !== undefined ? { line: e.line } : {}),
      cause: e,
    });
  }
}
