/**
 * Platform pins in the plugin: recipe-versions the pins add (a template rendered at the pinned
 * version, built with `-o version=V`) and, per platform, what each pin is in this workspace.
 * The rules live in src/spk/platform.ts (pins, inheritance) and src/graph/pins.ts (bases,
 * templates); this file only feeds them the loaded recipe-versions and renders templates.
 *
 * Pins never become edges of the project graph: a package that requests its platform at build
 * time while the platform pins that package would otherwise be a cycle (bootstrapping). They
 * are edges of the platform's `spk-build-platform` target only (targets.ts).
 */
import { CandidateIndex, isPlatformKind, locatePin, platformPins, type PinTemplate } from '../graph';
import type { PlatformPin } from '../spk/platform';
import { parseVersion, type Version } from '../spk/version';
import type { RecipeProblem } from '../spk/recipe';
import { projectName, toNode, type PluginRecipeVersion } from './recipe-record';

/** One effective pin of a platform, and what it is in this workspace. */
export interface PinStatus extends PlatformPin {
  /**
   * - `project`: an existing recipe-version (listed in `versions`, or the only version of a plain recipe);
   * - `pinned`: a recipe-version this pin added (a template rendered at the pinned version);
   * - `ambiguous`: several templates could produce it (spk: MultipleTemplates): not built;
   * - `no-template`: recipes of the package exist but none can produce the version: not built;
   * - `failed`: the one template could not be rendered at the version (see reason);
   * - `disabled`: a template could produce it, but plugin option `platformPins` is false;
   * - `external`: no recipe of the package: it must already be published.
   */
  status: 'project' | 'pinned' | 'ambiguous' | 'no-template' | 'failed' | 'disabled' | 'external';
  /** The recipe-version that builds it (`project` / `pinned`). */
  project?: string;
  reason: string;
}

export interface PlatformPinsMeta {
  pins: PinStatus[];
  notes: string[];
  /** Pins that are not built although the workspace has recipes of the package (also reported). */
  warnings: string[];
}

export interface ApplyPinsInput {
  /** Loaded recipe-versions by project name; pinned ones are added to it. */
  byProject: Map<string, PluginRecipeVersion>;
  /** Every recipe file the workspace selects (and Nx sees), with its name and listed versions. */
  templates: PinTemplate[];
  enabled: boolean;
  /** Renders `file` at `version` (cached like every other rendering). */
  render: (file: string, version: Version) => { recipeVersions: PluginRecipeVersion[]; problems: RecipeProblem[] };
  warn: (message: string) => void;
}

export interface ApplyPinsResult {
  /** Per platform project. */
  platforms: Map<string, PlatformPinsMeta>;
  /** Per recipe-version a pin added: the platforms that pin it. */
  pinnedBy: Map<string, string[]>;
}

export function applyPlatformPins({ byProject, templates, enabled, render, warn }: ApplyPinsInput): ApplyPinsResult {
  const result: ApplyPinsResult = { platforms: new Map(), pinnedBy: new Map() };
  const platforms = [...byProject.values()].filter((rv) => isPlatformKind(rv.kind));
  if (platforms.length === 0) return result;
  // Pins are located against the recipe-versions the `versions` lists produce, so the result
  // does not depend on the order platforms are visited in.
  const index = new CandidateIndex([...byProject.values()].map(toNode));
  const effective = platformPins(index);
  const rendered = new Map<string, { project?: string; problem?: string }>();
  for (const rv of platforms.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    const platform = projectName(rv.name, rv.version);
    const eff = effective.get(platform) ?? { pins: [], notes: [] };
    const pins: PinStatus[] = [];
    for (const pin of eff.pins) {
      const loc = locatePin(pin, index, templates);
      if (loc.status === 'project') {
        pins.push({ ...pin, status: 'project', project: loc.project, reason: loc.reason });
      } else if (loc.status === 'ambiguous') {
        pins.push({ ...pin, status: 'ambiguous', reason: loc.reason });
      } else if (loc.status === 'none') {
        const hasRecipe = templates.some((t) => t.name === pin.pkg);
        pins.push({ ...pin, status: hasRecipe ? 'no-template' : 'external', reason: loc.reason });
      } else if (!enabled) {
        pins.push({ ...pin, status: 'disabled', reason: `${loc.reason}, but plugin option platformPins is false: not a project` });
      } else {
        const key = `${loc.file}\u0000${pin.version}`;
        let done = rendered.get(key);
        if (!done) {
          const out = render(loc.file, parseVersion(pin.version));
          const made = out.recipeVersions[0];
          if (made && out.problems.length === 0) {
            const name = projectName(made.name, made.version);
            if (!byProject.has(name)) byProject.set(name, made);
            done = { project: name };
          } else {
            done = { problem: out.problems.map((p) => `${p.line ? `line ${p.line}: ` : ''}${p.message}`).join('; ') || 'the recipe produced nothing' };
          }
          rendered.set(key, done);
        }
        if (done.project) {
          pins.push({ ...pin, status: 'pinned', project: done.project, reason: loc.reason });
          result.pinnedBy.set(done.project, [...(result.pinnedBy.get(done.project) ?? []), platform]);
        } else {
          pins.push({ ...pin, status: 'failed', reason: `${pin.pkg}/${pin.version}: ${loc.file} cannot be rendered at ${pin.version}: ${done.problem}` });
        }
      }
    }
    const warnings: string[] = [];
    for (const p of pins) {
      if (p.status === 'ambiguous' || p.status === 'no-template' || p.status === 'failed') {
        const w = `pin ${p.pkg}/${p.version} (${p.source}${p.from !== platform ? ` of ${p.from}` : ''}) is not built: ${p.reason}`;
        warnings.push(w);
        warn(`${rv.file}: ${platform}: ${w}`);
      }
    }
    result.platforms.set(platform, { pins, notes: eff.notes, warnings });
  }
  return result;
}
