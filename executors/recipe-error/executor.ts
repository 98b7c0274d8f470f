/**
 * `nx-spk:recipe-error` — the target of a recipe that failed to load. The plugin still creates
 * a project for it (by name@version when the raw recipe says which, else one for the file), so
 * the failure is where CI looks: `nx run-many` fails on this task (exit non-zero) and the
 * projects that depend on it are not built ("dependency failed"), instead of a green run that
 * silently left the recipe out.
 */
import { logger, type ExecutorContext } from '@nx/devkit';

export interface RecipeErrorExecutorOptions {
  /** The recipe file, relative to the Nx workspace root. */
  recipe: string;
  /** The load error (what the plugin reported while computing the graph). */
  message: string;
  line?: number;
  /** The recipe-version this project stands for, when known. */
  version?: string;
}

export default async function runExecutor(options: RecipeErrorExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const where = `${options.recipe}${options.line ? `:${options.line}` : ''}`;
  logger.error(
    `nx-spk: ${context.projectName ?? where} cannot be built: its recipe ${where}${options.version ? ` (version ${options.version})` : ''} failed to load: ${options.message}\n` +
      `Fix the recipe (see nx-spk docs/errors.md); until then this task and everything that depends on it fail.`,
  );
  return { success: false };
}
