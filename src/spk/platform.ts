/**
 * Platform pins: the exact versions a platform names, which `spk-build-platform` builds.
 *
 * spk's v1/platform requirement is `pkg: VersionIdent` plus `atBuild`/`atRuntime`
 * (crates/spk-schema/src/v1/platform.rs `PlatformPkgRequirement`). spk itself only turns
 * `atBuild`/`atRuntime` into IfAlreadyPresent requests; the version on the `pkg` line is the
 * platform's "static build version" (spk PR #1187), which the monorepo-build proposal (spk issue
 * #1121) reserves for exactly this: "when building all packages from a platform, the value from
 * the primary pkg line is used to template package specs" (`pkg: gcc/9.3.1` builds gcc/9.3.1).
 *
 * Rules (one place; the graph layer applies them across bases):
 * - a requirement whose `pkg` names a complete version (`gcc/9.3.1`, anything that parses as a
 *   spk Version) is a PIN of that version; `pkg: gcc` states no pin; `pkg: gcc/~9.3` (a range)
 *   is not a pin and is reported as such (spk itself would reject it: `pkg` is a VersionIdent);
 * - `atBuild: false` REMOVES the pin of that package (inherited, or the entry's own): `false`
 *   says this platform no longer has an opinion on the package in downstream build
 *   environments, and a pin exists to produce what those build environments get; an entry's
 *   `atRuntime: false` leaves the pin alone (it only concerns runtime environments);
 * - inheritance follows the same rules spk applies to atBuild/atRuntime: bases in order, a
 *   later base's pin for a package replaces an earlier one's, the platform's own pin replaces
 *   both, and an own entry without a pin (`pkg: gcc`, atBuild only) keeps the inherited pin,
 *   like an omitted `atBuild` keeps the inherited value;
 * - v0/platform: `requirements` (or `requirements.add`) entries naming a complete version are
 *   pins; `requirements.remove` entries remove the inherited pin.
 */
import { keyPathText, SpkError, type KeyPath } from './errors';
import { parseRangeIdent } from './request';
import { parseVersion } from './version';

/** What one requirement entry of a platform says about pins. */
export interface PinStatement {
  pkg: string;
  /** `pin`: names `version`; `remove`: drops the inherited pin; `range`: not a pin (explained). */
  kind: 'pin' | 'remove' | 'range';
  /** `pin`: the canonical version. */
  version?: string;
  /** The `pkg` text as written. */
  text: string;
  /** Where in the recipe (`requirements[2]`, `requirements.remove[0]`). */
  source: string;
}

/** An effective pin of a platform (after inheritance). */
export interface PlatformPin {
  pkg: string;
  /** Canonical version. */
  version: string;
  /** The platform (project name) whose recipe states it. */
  from: string;
  source: string;
}

export interface EffectivePins {
  /** Sorted by package name. */
  pins: PlatformPin[];
  /** Sentences about removed pins and ranges that are not pins. */
  notes: string[];
}

/**
 * The pin statement of one platform requirement entry: `pkgText` is the `pkg` value,
 * `atBuild` the raw `atBuild` value (undefined when absent). Undefined: the entry says nothing
 * about pins (`pkg: gcc` without `atBuild: false`). `at` is the entry's place in the recipe (the
 * line of a problem), `source` names it in the statement and messages.
 */
export function pinStatementOf(pkgText: string, atBuild: unknown, at: KeyPath, source: string = keyPathText(at)): PinStatement | undefined {
  let ident;
  try {
    ident = parseRangeIdent(pkgText);
  } catch (e) {
    throw new SpkError('recipe', `${source}: ${e instanceof SpkError ? e.reason : String(e)}`, { path: at });
  }
  const pkg = ident.name;
  if (atBuild === false) return { pkg, kind: 'remove', text: pkgText, source };
  const v = ident.versionText;
  if (v === '') return undefined;
  try {
    return { pkg, kind: 'pin', version: parseVersion(v).toString(), text: pkgText, source };
  } catch {
    return { pkg, kind: 'range', text: pkgText, source };
  }
}

/**
 * The effective pins of a platform: `bases` are the effective pins of its bases, in `base`
 * order (undefined entries: a base outside the workspace, whose pins cannot be seen), then its
 * own `statements` in recipe order. `self` names the platform in the notes.
 */
export function inheritPins(self: string, statements: readonly PinStatement[], bases: ReadonlyArray<EffectivePins>): EffectivePins {
  const pins = new Map<string, PlatformPin>();
  const notes: string[] = [];
  for (const b of bases) for (const p of b.pins) pins.set(p.pkg, p);
  for (const s of statements) {
    if (s.kind === 'pin') {
      pins.set(s.pkg, { pkg: s.pkg, version: s.version!, from: self, source: s.source });
    } else if (s.kind === 'remove') {
      const prior = pins.get(s.pkg);
      if (prior) {
        notes.push(
          `${s.source}: atBuild: false (or remove) drops the pin ${prior.pkg}/${prior.version}${prior.from === self ? '' : ` inherited from ${prior.from}`}`,
        );
        pins.delete(s.pkg);
      }
    } else {
      notes.push(`${s.source}: '${s.text}' is a range, not a pin (only a complete version is built by spk-build-platform)`);
    }
  }
  return { pins: [...pins.values()].sort((a, b) => (a.pkg < b.pkg ? -1 : a.pkg > b.pkg ? 1 : 0)), notes };
}
