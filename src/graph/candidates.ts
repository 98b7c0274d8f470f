/**
 * Index of the workspace's recipe-versions by package name, each list sorted newest first,
 * so resolving a request costs a walk over the versions of one package, never over the
 * whole workspace (no O(n²) in the number of recipe-versions).
 *
 * spk's step solver also iterates candidates newest first
 * (crates/spk-solve/crates/package-iterator/src/package_iterator.rs sorts then reverses).
 */
import { parseVersionRange, type VersionRange } from '../spk/range';
import { parseVersion, type Version } from '../spk/version';
import type { RecipeVersionNode } from './model';

export interface Candidate {
  /** The project that provides this candidate. */
  project: string;
  /** The package name it satisfies (differs from the project's own name for embedded packages). */
  name: string;
  version: Version;
  /** Compat of the candidate (for plain / API / Binary ranges). */
  compat: string;
  /** True when it is an `install.embedded` package of `project`. */
  embedded: boolean;
}

export class CandidateIndex {
  private readonly byName = new Map<string, Candidate[]>();
  readonly nodes = new Map<string, RecipeVersionNode>();
  /**
   * Each distinct range text parsed once per resolution run (the same requests recur across
   * the versions of a recipe and across recipes); it lives and dies with this index.
   */
  private readonly ranges = new Map<string, VersionRange | Error>();
  /** {@link verdicts} per (package, range text, prerelease policy), for this run. */
  private readonly verdictMemo = new Map<string, ReadonlyArray<string | undefined>>();

  constructor(nodes: Iterable<RecipeVersionNode>) {
    for (const node of nodes) {
      this.nodes.set(node.project, node);
      this.add({
        project: node.project,
        name: node.name,
        version: parseVersion(node.version),
        compat: node.compat,
        embedded: false,
      });
      for (const embedded of node.provides) {
        // An embedded package without a version is still "provided" by this recipe;
        // spk gives embedded specs the version written in them (default 0.0.0).
        this.add({
          project: node.project,
          name: embedded.name,
          version: parseVersion(embedded.version ?? '0.0.0'),
          compat: node.compat,
          embedded: true,
        });
      }
    }
    for (const list of this.byName.values()) {
      // Newest first; ties (same version from an embedded and a real recipe) prefer the real one,
      // then the project name, so the choice is deterministic.
      list.sort(
        (a, b) =>
          b.version.compare(a.version) ||
          Number(a.embedded) - Number(b.embedded) ||
          (a.project < b.project ? -1 : a.project > b.project ? 1 : 0),
      );
    }
  }

  private add(c: Candidate): void {
    let list = this.byName.get(c.name);
    if (!list) this.byName.set(c.name, (list = []));
    list.push(c);
  }

  /** Parses (once per run) a range; a malformed range is returned as the error, never thrown. */
  range(text: string): VersionRange | Error {
    let r = this.ranges.get(text);
    if (r === undefined) {
      try {
        r = parseVersionRange(text);
      } catch (e) {
        r = e instanceof Error ? e : new Error(String(e));
      }
      this.ranges.set(text, r);
    }
    return r;
  }

  /**
   * For each of `name`'s candidates (same order as {@link candidates}): `undefined` when the
   * request's range and prerelease policy admit it, else why not (the explanation's text).
   * These two checks do not depend on who asks, and the same request recurs across the
   * versions of a recipe and across recipes, so each distinct one is checked once per run.
   */
  verdicts(name: string, rangeText: string, range: VersionRange, includePrereleases: boolean): ReadonlyArray<string | undefined> {
    const key = `${name}\u0000${rangeText}\u0000${includePrereleases ? 1 : 0}`;
    let out = this.verdictMemo.get(key);
    if (out === undefined) {
      out = this.candidates(name).map((c) => {
        const label = c.embedded ? `${c.name}/${c.version} (embedded in ${c.project})` : c.project;
        if (c.version.isPrerelease() && !includePrereleases) return `${label}: pre-release (prereleasePolicy is not IncludeAll)`;
        if (!range.isSatisfiedBy(c.version, c.compat)) return `${label}: does not satisfy ${rangeText || '*'} (compat ${c.compat})`;
        return undefined;
      });
      this.verdictMemo.set(key, out);
    }
    return out;
  }

  /** Candidates for a package name, newest first (empty when the workspace has none). */
  candidates(name: string): readonly Candidate[] {
    return this.byName.get(name) ?? [];
  }
}
