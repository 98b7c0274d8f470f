/**
 * `nx-spk:spk-build` — builds one recipe-version with `spk build`, then hands the package to
 * other Nx tasks/machines as an archive in `outputPath` (see executors/shared/handoff.ts).
 *
 * Steps (each spk command streams its output, so Nx shows it live and replays it from cache):
 *  1. dry run (option or NX_SPK_DRY_RUN=1): print every spk command, run nothing;
 *  2. skipExisting local|origin: `spk ls --no-src --no-host` the package (binary builds only: a
 *     failed build leaves the recipe and `/src` in local); if the version is there, do not build
 *     (but still export the archive so dependents and the Nx cache get it);
 *  3. handoff: ONE `spk import --sync` (private copies; each archive once per nx invocation) of the archives of the build environment's projects found on disk,
 *     except those this nx invocation built on this machine (already local, run-local-packages.ts);
 *  4. `spk build …`;
 *  5. handoff: `spk export -L name/version` (local repository only) into a temp dir, then atomically into outputPath.
 */
import type { ExecutorContext } from '@nx/devkit';
import { buildArgs, lsArgs, lsListsVersion } from '../../src/spk/cli';
import { guardedExecutor, interruptedResult } from '../shared/guarded';
import { dependencyArchives, exportArchiveAtomically, importArchives, type StepResult } from '../shared/handoff';
import { normalizeRecipeOptions, normalizeSkipExisting, recipeCommandInput, type SpkBuildExecutorOptions } from '../shared/options';
import { runLocalPackages } from '../shared/run-local-packages';
import { describeExit, SpkSession } from '../shared/spk-session';

export type { SpkBuildExecutorOptions } from '../shared/options';

export default async function runExecutor(
  options: SpkBuildExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  return guardedExecutor(async (guard): Promise<StepResult> => {
    const o = normalizeRecipeOptions(options, context);
    const skipExisting = normalizeSkipExisting(options.skipExisting);
    const session = new SpkSession({ root: o.root, spkBin: o.spkBin, env: o.env, dryRun: o.dryRun, guard });
    const ident = `${o.package}/${o.version}`;

    // 2. already built/published?
    let exists = false;
    if (skipExisting !== 'none') {
      const args = lsArgs(o.package, { repo: skipExisting });
      const r = await session.run(args, false);
      if (r.interrupted) return interruptedResult(guard)!;
      if (r.exitCode !== 0) {
        session.log(`warning: could not check whether ${ident} exists in ${skipExisting} (${session.describe(args)}: ${describeExit(r)}); building it`);
        if (r.stderr.trim()) session.log(r.stderr.trim());
      } else if (lsListsVersion(r.stdout, o.version)) {
        exists = true;
        session.log(`${ident} already exists in ${skipExisting}; not building`);
      }
    }

    // What this nx invocation already put into the local repository (undefined: not known).
    const local = o.dryRun || !o.handoff ? undefined : runLocalPackages(o.root);
    if (!exists) {
      // 3. make dependency packages restored from the Nx cache available to the solver.
      if (o.handoff) {
        const imported = await importArchives(session, dependencyArchives(context, context.projectName, 'build', local), local);
        if (!imported.ok) return imported;
      }
      const stop = interruptedResult(guard);
      if (stop) return stop;

      // 4. build
      const r = await session.run(
        buildArgs(recipeCommandInput(o)),
        true,
      );
      if (r.interrupted) return interruptedResult(guard) ?? { ok: false, message: 'spk build interrupted', interrupted: true };
      if (r.exitCode !== 0) {
        return { ok: false, message: `spk build failed (${describeExit(r)}) for ${o.recipe} version ${o.version}` };
      }
    }
    // spk build publishes to the local repository (and skipExisting=local found it there).
    if (context.projectName && (!exists || skipExisting === 'local')) local?.add(context.projectName);

    // 5. export for dependents, other machines and the Nx cache.
    if (o.handoff) {
      const stop = interruptedResult(guard);
      if (stop) return stop;
      const exported = await exportArchiveAtomically(
        session, o.package, o.version, o.outputPath,
        // Not built here because origin has it: the archive holds origin's package.
        exists && skipExisting === 'origin' ? 'origin' : 'local',
      );
      if (!exported.ok) return exported;
    }
    return { ok: true };
  });
}
