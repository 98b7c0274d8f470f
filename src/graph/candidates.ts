/**
 * Index of the workspace's recipe-versions by package name, each list sorted newest first,
 * so resolving a request costs a walk over the versions of one package, never over the
 * whole workspace (no O(n²) in the number of recipe-versions).
 *
 * spk's step solver also iterates candidates newest first
 * (crates/spk-solve/crates/package-iterator/src/package_iterator.rs sorts then reverses).
 */
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

  /** Candidates for a package name, newest first (empty when the workspace has none). */
  candidates(name: string): readonly Candidate[] {
    return this.byName.get(name) ?? [];
  }
}
