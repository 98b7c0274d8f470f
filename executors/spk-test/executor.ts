/**
 * `nx-spk:spk-test` — runs a recipe's tests with `spk test <recipe>[@stage]`.
 *
 * With `handoff` (default) it first imports the project's own archive and its dependencies'
 * archives (ONE `spk import`), so a test task whose build was restored from the Nx cache finds the
 * package in the local spfs repo. `stages` empty = one `spk test <recipe>` (all stages); otherwise
 * one `spk test <recipe>@<stage>` per stage, in the given order, stopping at the first failure.
 */
import type { ExecutorContext } from '@nx/devkit';
import { testArgs } from '../../src/spk/cli';
import { guardedExecutor, interruptedResult } from '../shared/guarded';
import type { ResolvedFacts } from '../../src/graph/model';
import { archivesIn, dependencyArchives, importArchives, type StepResult } from '../shared/handoff';
import { runLocalPackages } from '../shared/run-local-packages';
import { archiveDirOfProject, normalizeRecipeOptions, normalizeStages, recipeCommandInput, type SpkTestExecutorOptions } from '../shared/options';
import { describeExit, SpkSession } from '../shared/spk-session';

export type { SpkTestExecutorOptions } from '../shared/options';

/** Projects the test-role requirements of this project resolved to (plugin metadata `spk.tests`). */
function testRequiredProjects(context: ExecutorContext): string[] {
  const name = context.projectName;
  const meta = name ? (context.projectsConfigurations?.projects?.[name]?.metadata as { spk?: Partial<ResolvedFacts> } | undefined) : undefined;
  return Array.isArray(meta?.spk?.tests) ? meta.spk.tests : [];
}

function archivesOf(context: ExecutorContext, project: string): string[] {
  const dir = archiveDirOfProject(context, project);
  return dir === undefined ? [] : archivesIn(context.root, dir);
}

export default async function runExecutor(
  options: SpkTestExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  return guardedExecutor(async (guard): Promise<StepResult> => {
    const o = normalizeRecipeOptions(options, context);
    const stages = normalizeStages(options.stages);
    const session = new SpkSession({ root: o.root, spkBin: o.spkBin, env: o.env, dryRun: o.dryRun, guard });

    if (o.handoff) {
      // Packages this nx invocation built on this machine are already in the local repository.
      const local = o.dryRun ? undefined : runLocalPackages(o.root);
      const own = context.projectName && local?.has(context.projectName) ? [] : archivesIn(o.root, o.outputPath);
      // Projects the test stages require (plugin: spk-test dependsOn their spk-build) are not
      // graph dependencies (tests do not order builds): their archives and their closures too.
      const testArchives = testRequiredProjects(context).flatMap((p) => [
        ...(local?.has(p) ? [] : archivesOf(context, p)),
        ...dependencyArchives(context, p, 'all', local),
      ]);
      const files = [...new Set([...own, ...dependencyArchives(context, context.projectName, 'all', local), ...testArchives])];
      const imported = await importArchives(session, files, local);
      if (!imported.ok) return imported;
    }

    const runs: Array<string | undefined> = stages.length === 0 ? [undefined] : stages;
    for (const stage of runs) {
      const stop = interruptedResult(guard);
      if (stop) return stop;
      const r = await session.run(
        testArgs({ ...recipeCommandInput(o), stage }),
        true,
      );
      if (r.interrupted) return interruptedResult(guard) ?? { ok: false, message: 'spk test interrupted', interrupted: true };
      if (r.exitCode !== 0) {
        const what = stage === undefined ? '' : ` (stage ${stage})`;
        return { ok: false, message: `spk test failed (${describeExit(r)}) for ${o.recipe} version ${o.version}${what}` };
      }
    }
    return { ok: true };
  });
}
