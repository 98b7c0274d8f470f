/**
 * `nx-spk:spk-publish` — `spk publish -r <targetRepo> name/version` (copies the package from the
 * local spfs repo to the target repo, default `origin`).
 *
 * What it promises (spk's own command is not idempotent):
 *  - already published (the version has a binary build in the target repository, `spk ls
 *    --no-src`) = success, said so, nothing run: `spk publish` fails with "Version exists" when
 *    the recipe is already in the target (crates/spk-cli/common/src/publish.rs), so a rerun, or a
 *    publish after `skipExisting: origin`, would otherwise fail;
 *  - nothing to publish (no binary build of the version in the local repository, after the
 *    hand-off import) = a clear failure: `spk publish` would exit 0 with only a warning;
 *  - otherwise `spk publish` publishes every build of the version in the local repository,
 *    INCLUDING its `/src` package (spk's default; `--no-source` is not passed, so origin holds
 *    what `spk build` made and a later `spk build` elsewhere can reuse the source package).
 *
 * With `handoff` (default) it first imports the project's own archive (from its spk-build
 * target's outputPath; a private copy, once per nx invocation), so a machine that restored the
 * build from the Nx cache - and therefore has nothing in its local spfs repo - can still publish.
 */
import type { ExecutorContext } from '@nx/devkit';
import { lsArgs, lsListsVersion, publishArgs } from '../../src/spk/cli';
import { guardedExecutor, interruptedResult } from '../shared/guarded';
import { archivesIn, importArchives, type StepResult } from '../shared/handoff';
import { normalizePublishOptions, type SpkPublishExecutorOptions } from '../shared/options';
import { runLocalPackages } from '../shared/run-local-packages';
import { describeExit, SpkSession } from '../shared/spk-session';

export type { SpkPublishExecutorOptions } from '../shared/options';

export default async function runExecutor(
  options: SpkPublishExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  return guardedExecutor(async (guard): Promise<StepResult> => {
    const o = normalizePublishOptions(options, context);
    const session = new SpkSession({ root: o.root, spkBin: o.spkBin, env: o.env, dryRun: o.dryRun, guard });
    const ident = `${o.package}/${o.version}`;

    // 1. already published?
    const inTarget = lsArgs(o.package, { repo: o.targetRepo });
    const t = await session.run(inTarget, false);
    if (t.interrupted) return interruptedResult(guard) ?? { ok: false, message: 'spk ls interrupted', interrupted: true };
    if (t.exitCode !== 0) {
      return { ok: false, message: `could not check whether ${ident} is already in ${o.targetRepo} (${session.describe(inTarget)}: ${describeExit(t)}) ${t.stderr.trim()}`.trim() };
    }
    if (!o.dryRun && lsListsVersion(t.stdout, o.version)) {
      session.log(`${ident} is already published in ${o.targetRepo}; nothing to do`);
      return { ok: true };
    }

    if (o.handoff) {
      const local = o.dryRun ? undefined : runLocalPackages(o.root);
      const imported = await importArchives(session, archivesIn(o.root, o.outputPath), local);
      if (!imported.ok) return imported;
    }
    const stop = interruptedResult(guard);
    if (stop) return stop;

    // 2. anything to publish?
    const inLocal = lsArgs(o.package, { localOnly: true });
    const l = await session.run(inLocal, false);
    if (l.interrupted) return interruptedResult(guard) ?? { ok: false, message: 'spk ls interrupted', interrupted: true };
    if (!o.dryRun && (l.exitCode !== 0 || !lsListsVersion(l.stdout, o.version))) {
      return {
        ok: false,
        message: `nothing to publish: the local repository has no binary build of ${ident} (build it first${o.handoff ? `, or restore its archive into ${o.outputPath}` : ''})`,
      };
    }

    // 3. publish
    const r = await session.run(publishArgs(o.package, o.version, o.targetRepo), true);
    if (r.interrupted) return interruptedResult(guard) ?? { ok: false, message: 'spk publish interrupted', interrupted: true };
    if (r.exitCode !== 0) {
      return { ok: false, message: `spk publish failed (${describeExit(r)}) for ${ident} to ${o.targetRepo}` };
    }
    return { ok: true };
  });
}
