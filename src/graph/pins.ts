/**
 * Platform pins across the workspace: each platform's effective pins (its own statements over
 * its bases', src/spk/platform.ts) and, for each pin, what in the workspace can build it —
 * an existing recipe-version, exactly one template that can be rendered at the pinned
 * version (spk's `find_package_template_for_version` rules, src/spk/workspace.ts), or nothing
 * (no template, or several: spk would fail with MultipleTemplates, so we name them all).
 */
import { inheritPins, type EffectivePins, type PlatformPin } from '../spk/platform';
import { parseVersion, type Version } from '../spk/version';
import { templatesForVersion } from '../spk/workspace';
import { CandidateIndex } from './candidates';
import type { RecipeVersionNode } from './model';
import { resolveRequirement } from './resolve';

export function isPlatformKind(kind: string): boolean {
  return kind === 'v0/platform' || kind === 'v1/platform';
}

/**
 * Effective pins of every platform node. Bases resolve like the platform's `platform-base`
 * requirements do everywhere else (resolveRequirement); a base outside the workspace is
 * reported in the notes (its pins cannot be seen), and a base cycle stops inheritance.
 */
export function platformPins(nodes: Iterable<RecipeVersionNode> | CandidateIndex): Map<string, EffectivePins> {
  const index = nodes instanceof CandidateIndex ? nodes : new CandidateIndex(nodes);
  const memo = new Map<string, EffectivePins>();
  const visiting = new Set<string>();
  const of = (node: RecipeVersionNode): EffectivePins => {
    const cached = memo.get(node.project);
    if (cached) return cached;
    if (visiting.has(node.project)) return { pins: [], notes: [`${node.project} is its own base (a base cycle); its pins are not inherited again`] };
    visiting.add(node.project);
    const bases: EffectivePins[] = [];
    const baseNotes: string[] = [];
    for (const req of node.requirements) {
      if (req.role !== 'platform-base') continue;
      const r = resolveRequirement(index, node, req);
      const target = r.target ? index.nodes.get(r.target) : undefined;
      if (!target || r.resolution !== 'project') {
        baseNotes.push(`base ${req.request} is not a recipe-version of this workspace; pins it may state are not seen (${r.reason})`);
        continue;
      }
      const inherited = of(target);
      bases.push(inherited);
      baseNotes.push(...inherited.notes.filter((n) => n.includes('base cycle')));
    }
    const own = inheritPins(node.project, node.pins ?? [], bases);
    const out: EffectivePins = { pins: own.pins, notes: [...baseNotes, ...own.notes] };
    visiting.delete(node.project);
    memo.set(node.project, out);
    return out;
  };
  const result = new Map<string, EffectivePins>();
  for (const node of index.nodes.values()) if (isPlatformKind(node.kind)) result.set(node.project, of(node));
  return result;
}

/** A recipe file of the spk workspace, as a template candidate for pins. */
export interface PinTemplate {
  /** Workspace-relative path (as the plugin names recipes). */
  file: string;
  name: string;
  /** The `versions` listed for it in workspace.spk.yaml (`[]` = none). */
  versions: Version[];
}

export type PinLocation =
  | { status: 'project'; project: string; reason: string }
  | { status: 'template'; file: string; reason: string }
  | { status: 'ambiguous'; files: string[]; reason: string }
  | { status: 'none'; reason: string };

/**
 * Where a pin comes from in the workspace. `projects` are the recipe-versions that exist
 * (before pins add any), `templates` every recipe file of the spk workspace with its name.
 */
export function locatePin(pin: PlatformPin, index: CandidateIndex, templates: readonly PinTemplate[]): PinLocation {
  const wanted = parseVersion(pin.version);
  const ident = `${pin.pkg}/${pin.version}`;
  // A recipe-version of that exact version already exists (spk equality: 1.2 == 1.2.0).
  const hits = index.candidates(pin.pkg).filter((c) => c.version.equals(wanted));
  const real = hits.find((c) => !c.embedded);
  if (real) return { status: 'project', project: real.project, reason: `${ident} is the recipe-version ${real.project}` };
  if (hits.length > 0) {
    return { status: 'project', project: hits[0].project, reason: `${ident} is embedded in ${hits[0].project}` };
  }
  const found = templatesForVersion(
    templates.map((t) => ({ name: t.name, entry: { versions: t.versions }, file: t.file })),
    pin.pkg,
    wanted,
  );
  if (found.length === 1) {
    return { status: 'template', file: found[0].file, reason: `${ident} is built from ${found[0].file} with -o version=${pin.version}` };
  }
  if (found.length > 1) {
    const files = found.map((f) => f.file).sort();
    return {
      status: 'ambiguous',
      files,
      reason: `${ident}: several recipes could build it (${files.join(', ')}); spk build ${ident} would fail with MultipleTemplates, so it is not built (list ${pin.version} under the versions of one of them in workspace.spk.yaml)`,
    };
  }
  const named = templates.filter((t) => t.name === pin.pkg);
  return {
    status: 'none',
    reason:
      named.length === 0
        ? `${ident}: no recipe of ${pin.pkg} in the workspace; it must already be published`
        : `${ident}: no recipe of ${pin.pkg} can produce ${pin.version} (${named
            .map((t) => `${t.file} lists ${t.versions.map((v) => v.toString()).join(', ')}`)
            .join('; ')}; a template is picked for ${pin.version} only when it lists no versions or one within ~${pin.version}); it must already be published`,
  };
}
