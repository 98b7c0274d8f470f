/**
 * Option rules shared by the plugin (nx.json options → inferred targets) and the executors
 * (target options): one home, so an inferred target and the executor that runs it cannot
 * disagree about a default or an accepted value.
 */

/** Where build archives go by default, relative to the workspace root (`<dir>/<package>/<version>`). */
export const DEFAULT_OUTPUT_DIR = 'dist/spk';

/** `skipExisting`: skip a build whose exact name/version already exists in no repo, `local` or `origin`. */
export const SKIP_EXISTING_VALUES = ['none', 'local', 'origin'] as const;
export type SkipExisting = (typeof SKIP_EXISTING_VALUES)[number];

export function isSkipExisting(value: unknown): value is SkipExisting {
  return (SKIP_EXISTING_VALUES as readonly unknown[]).includes(value);
}
