/**
 * `nx-spk:spk-publish` — `spk publish -r <targetRepo> name/version` (copies the package from the
 * local spfs repo to the target repo, default `origin`).
 *
 * With `handoff` (default) it first imports the project's own archive (from its spk-build
 * target's outputPath), so a machine that restored the build from the Nx cache - and therefore
 * has nothing in its local spfs repo - can still publish.
 */
import type { ExecutorContext } from '@nx/devkit';
import { publishArgs } from '../../src/spk/cli';
import { guardedExecutor, interruptedResult } from '../shared/guarded';
import { archivesIn, importArchives, type StepResult } from '../shared/handoff';
import { normalizePublishOptions, type SpkPublishExecutorOptions } from '../shared/options';
import { describeExit, SpkSession } from '../shared/spk-session';

export type { SpkPublishExecutorOptions } from '../shared/options';

export default async function runExecutor(
  options: SpkPublishExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  return guardedExecutor(async (guard): Promise<StepResult> => {
    const o = normalizePublishOptions(options, context);
    const session = new SpkSession({ root: o.root, spkBin: o.spkBin, env: o.env, dryRun: o.dryRun, guard });
    if (o.handoff) {
      const imported = await importArchives(session, archivesIn(o.root, o.outputPath));
      if (!imported.ok) return imported;
    }
    const stop = interruptedResult(guard);
    if (stop) return stop;
    const r = await session.run(publishArgs(o.package, o.version, o.targetRepo), true);
    if (r.interrupted) return interruptedResult(guard) ?? { ok: false, message: 'spk publish interrupted', interrupted: true };
    if (r.exitCode !== 0) {
      return { ok: false, message: `spk publish failed (${describeExit(r)}) for ${o.package}/${o.version} to ${o.targetRepo}` };
    }
    return { ok: true };
  });
}
