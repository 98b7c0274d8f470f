/**
 * The on-disk cache of finished spk-workspace results (.nx/workspace-data/nx-spk-<options
 * hash>.graph.json), next to the per-recipe PluginCache. One entry per spk workspace, replaced
 * when its key changes, so the file does not grow with every edit. Read lazily, written only
 * when an entry changed (atomically: temp file + rename), so a warm run writes nothing.
 *
 * Like Nx's PluginCache (nx utils/plugin-cache-utils.js), the file is ignored on load when
 * NX_CACHE_PROJECT_GRAPH=false.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CachedWorkspaceResult, WorkspaceResultCache } from './workspace-graph';

export class WorkspaceResultFile implements WorkspaceResultCache {
  private entries: Record<string, CachedWorkspaceResult> | undefined;
  private dirty = false;

  constructor(
    private readonly path: string,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {}

  private load(): Record<string, CachedWorkspaceResult> {
    if (this.entries) return this.entries;
    this.entries = {};
    if (this.env.NX_CACHE_PROJECT_GRAPH === 'false') return this.entries;
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as { workspaces?: Record<string, CachedWorkspaceResult> };
      if (parsed && typeof parsed.workspaces === 'object' && parsed.workspaces !== null) this.entries = parsed.workspaces;
    } catch {
      // Missing or unreadable: a cold run, which rewrites it.
    }
    return this.entries;
  }

  get(wsRel: string): CachedWorkspaceResult | undefined {
    const e = this.load()[wsRel];
    return e && typeof e.key === 'string' && Array.isArray(e.projects) && Array.isArray(e.reports) ? e : undefined;
  }

  set(wsRel: string, value: CachedWorkspaceResult): void {
    this.load()[wsRel] = value;
    this.dirty = true;
  }

  /** Writes the file if an entry changed; a failure to write only costs the next run a resolution. */
  flush(): void {
    if (!this.dirty || !this.entries) return;
    const tmp = `${this.path}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(tmp, JSON.stringify({ workspaces: this.entries }));
      renameSync(tmp, this.path);
      this.dirty = false;
    } catch {
      rmSync(tmp, { force: true });
    }
  }
}
