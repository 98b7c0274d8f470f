/**
 * `nx-spk:spk-build-platform` — the last task of "build everything a platform pins". Nx has
 * already run (or restored from its cache) the build of every pinned recipe-version and their
 * dependencies (this target's `dependsOn`); this run builds nothing and prints what the
 * platform's tree is: each pin, the recipe-version that produced it and whether its archive is
 * on disk, and the pins nothing in this workspace builds (they must already be published).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExecutorContext } from '@nx/devkit';

export interface PlatformPinOption {
  pkg: string;
  version: string;
  from: string;
  status: string;
  project?: string;
  outputPath?: string;
  reason: string;
}

export interface SpkBuildPlatformExecutorOptions {
  platform: string;
  handoff?: boolean;
  pins?: PlatformPinOption[];
}

export function summarizePlatform(options: SpkBuildPlatformExecutorOptions, root: string): string[] {
  const pins = options.pins ?? [];
  const built = pins.filter((p) => p.project);
  const lines = [`${options.platform}: ${pins.length} pin${pins.length === 1 ? '' : 's'}, ${built.length} built by this workspace`];
  for (const p of pins) {
    const ident = `${p.pkg}/${p.version}${p.from !== options.platform ? ` (inherited from ${p.from})` : ''}`;
    if (p.project) {
      let where = '';
      if (options.handoff !== false && p.outputPath) {
        let archives: string[] = [];
        try {
          archives = fs.readdirSync(path.join(root, p.outputPath)).filter((f) => f.endsWith('.spk'));
        } catch {
          archives = [];
        }
        where = archives.length ? `: built or restored, archive ${p.outputPath}/${archives[0]}` : ': built (no archive on disk)';
      } else {
        where = ': built into the local spk repository';
      }
      lines.push(`  ${ident} ← ${p.project}${p.status === 'pinned' ? ' (-o version=' + p.version + ')' : ''}${where}`);
    } else {
      lines.push(`  ${ident}: not built here (${p.status}): ${p.reason}`);
    }
  }
  return lines;
}

export default async function runExecutor(options: SpkBuildPlatformExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  for (const line of summarizePlatform(options, context.root)) console.log(line);
  return { success: true };
}
