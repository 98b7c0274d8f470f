/**
 * The requests the plan needs from outside the workspace: requirements of the projects to build
 * that resolved to `external` (no workspace recipe satisfies them), `self` (a recursive build:
 * served by an already published build of the same package) or `cycle-broken` (the edge was
 * dropped to break a cycle, so its target must already exist). Grouped by request text, with
 * whether spk can see a satisfying version in local or origin.
 */
import type { PlanNode, ExternalUse, PlanPin } from './model';
import type { RepoListing } from './status';
import { byteCompare, sortProjects } from './order';
import { parseRangeIdent } from '../spk/request';
import { parseVersion } from '../spk/version';

import { PUBLISHED_RESOLUTIONS } from '../graph/model';

/** The resolutions that need an already published build (declared with the graph's data model). */
export const EXTERNAL_RESOLUTIONS: ReadonlySet<string> = PUBLISHED_RESOLUTIONS;

interface Group {
  request: string;
  pkg: string;
  resolutions: Set<string>;
  roles: Set<string>;
  neededBy: Set<string>;
  reasons?: string[];
}

/** A platform pin nothing in the workspace builds (`nx-spk plan --platform`). */
export interface UnbuiltPin {
  platform: string;
  pin: PlanPin;
}

/** The external requests of `nodes` (the projects that will be built), without visibility yet. */
function groupExternals(nodes: Iterable<PlanNode>, pins: readonly UnbuiltPin[] = []): Group[] {
  const groups = new Map<string, Group>();
  // A pin is an exact version: `=V`, so only that version counts as visible.
  for (const { platform, pin } of pins) {
    const key = `${pin.pkg}/=${pin.version}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { request: key, pkg: pin.pkg, resolutions: new Set(), roles: new Set(), neededBy: new Set(), reasons: [] }));
    g.resolutions.add(`pin-${pin.status}`);
    g.roles.add('pin');
    g.neededBy.add(platform);
    if (!g.reasons!.includes(pin.reason)) g.reasons!.push(pin.reason);
  }
  for (const node of nodes) {
    for (const r of node.requirements) {
      if (!EXTERNAL_RESOLUTIONS.has(r.resolution)) continue;
      const key = r.request || r.pkg;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { request: key, pkg: r.pkg, resolutions: new Set(), roles: new Set(), neededBy: new Set() }));
      g.resolutions.add(r.resolution);
      g.roles.add(r.role);
      g.neededBy.add(node.project);
    }
  }
  return [...groups.values()].sort((a, b) => byteCompare(a.request, b.request));
}

/** The package names whose versions the externals check needs (for batching the spk calls). */
export function externalPackageNames(nodes: Iterable<PlanNode>, pins: readonly UnbuiltPin[] = []): string[] {
  return [...new Set(groupExternals(nodes, pins).map((g) => g.pkg))].sort();
}

function visibility(g: Group, listing: RepoListing | undefined): Pick<ExternalUse, 'visible' | 'satisfiedBy' | 'note'> {
  if (!listing) return { visible: null, satisfiedBy: [] };
  if (listing.error) return { visible: null, satisfiedBy: [], note: `spk failed for ${g.pkg}: ${listing.error}` };
  let range;
  try {
    range = parseRangeIdent(g.request).version;
  } catch (e) {
    return { visible: null, satisfiedBy: [], note: `cannot parse request '${g.request}': ${(e as Error).message}` };
  }
  const listed = [...new Set([...listing.local, ...listing.origin])];
  const satisfying: Array<{ text: string; prerelease: boolean; v: ReturnType<typeof parseVersion> }> = [];
  for (const text of listed) {
    let v;
    try {
      v = parseVersion(text);
    } catch {
      continue;
    }
    // Compat of a listed version is unknown here (spk ls does not print it): the default
    // `x.a.b` is assumed, as spk does for a recipe without `compat`.
    if (range.isSatisfiedBy(v)) satisfying.push({ text, prerelease: v.isPrerelease(), v });
  }
  satisfying.sort((a, b) => b.v.compare(a.v));
  const released = satisfying.filter((s) => !s.prerelease).map((s) => s.text);
  if (released.length > 0) return { visible: true, satisfiedBy: released };
  if (satisfying.length > 0) {
    return {
      visible: false,
      satisfiedBy: [],
      note: `only pre-releases satisfy it (${satisfying.map((s) => s.text).join(', ')}); spk skips them unless the request has prereleasePolicy: IncludeAll`,
    };
  }
  return { visible: false, satisfiedBy: [] };
}

/**
 * `listings` is undefined when spk is unavailable (every `visible` is then null).
 */
export function collectExternals(
  nodes: Iterable<PlanNode>,
  listings: Map<string, RepoListing> | undefined,
  pins: readonly UnbuiltPin[] = [],
): ExternalUse[] {
  return groupExternals(nodes, pins).map((g) => {
    const vis = visibility(g, listings?.get(g.pkg));
    if (g.reasons?.length) vis.note = [...g.reasons, ...(vis.note ? [vis.note] : [])].join('; ');
    return {
      request: g.request,
      pkg: g.pkg,
      resolutions: [...g.resolutions].sort(),
      roles: [...g.roles].sort(),
      neededBy: sortProjects(g.neededBy),
      ...vis,
    };
  });
}
