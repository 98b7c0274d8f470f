/**
 * Is a recipe-version already built? Asked per package NAME, not per version: `spk ls <name>`
 * lists every version of the name in one call (crates/spk-cli/group2/src/cmd_ls.rs), so a plan
 * with 40 versions of 3 packages costs 6 spk calls (origin and local for each name), a few at a
 * time.
 *
 * The two scopes (argv from src/spk/cli.ts `lsArgs`):
 * - origin: `spk ls --disable-repo local -r origin <name>` — "published" means "in origin";
 *   plain `spk ls <name>` would mix local and origin (spk enables both by default), and a
 *   version that is in both (built here, then published) could not be told apart;
 * - local: `spk ls -L <name>`.
 */
import type { PlanStatus } from './model';
import { compareVersions } from '../spk/version';

export type RepoScope = 'origin' | 'local';

/** Lists the versions of a package name in one scope; throws when spk fails. */
export type VersionLister = (name: string, scope: RepoScope) => Promise<string[]>;

export interface RepoListing {
  origin: string[];
  local: string[];
  /** Set when spk failed for this name (either scope); the lists are then empty. */
  error?: string;
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let nextIndex = 0;
  const worker = async () => {
    for (;;) {
      const i = nextIndex++;
      if (i >= items.length) return;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export const DEFAULT_SPK_CONCURRENCY = 4;

/**
 * One origin and one local listing per distinct package name, at most `concurrency` spk
 * processes at a time. A failure is recorded for that name only.
 */
export async function queryRepositories(
  names: Iterable<string>,
  list: VersionLister,
  concurrency = DEFAULT_SPK_CONCURRENCY,
): Promise<Map<string, RepoListing>> {
  const unique = [...new Set(names)].sort();
  const jobs = unique.flatMap((name) => (['origin', 'local'] as const).map((scope) => ({ name, scope })));
  const answers = await mapLimit(jobs, concurrency, async ({ name, scope }) => {
    try {
      return { name, scope, versions: await list(name, scope) };
    } catch (e) {
      return { name, scope, error: e instanceof Error ? e.message : String(e) };
    }
  });
  const out = new Map<string, RepoListing>();
  for (const name of unique) out.set(name, { origin: [], local: [] });
  for (const a of answers) {
    const entry = out.get(a.name)!;
    if ('error' in a) {
      entry.error = entry.error ? `${entry.error}; ${a.error}` : a.error;
    } else {
      entry[a.scope] = a.versions;
    }
  }
  for (const entry of out.values()) {
    if (entry.error) {
      entry.origin = [];
      entry.local = [];
    }
  }
  return out;
}

/** spk version equality (`1.0` == `1.0.0`); a listed line that is not a version never matches. */
export function containsVersion(listed: readonly string[], version: string): boolean {
  return listed.some((v) => {
    if (v === version) return true;
    try {
      return compareVersions(v, version) === 0;
    } catch {
      return false;
    }
  });
}

export function statusOf(version: string, listing: RepoListing | undefined): { status: PlanStatus; error?: string } {
  if (!listing) return { status: 'unknown' };
  if (listing.error) return { status: 'error', error: listing.error };
  if (containsVersion(listing.origin, version)) return { status: 'published' };
  if (containsVersion(listing.local, version)) return { status: 'local' };
  return { status: 'build' };
}
