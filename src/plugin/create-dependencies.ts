/**
 * `createDependencies`: implicit edges from the resolutions computed in createNodes: the
 * projects each recipe-version's build environment and runtime requirements resolved to
 * (`metadata.spk.buildEnv` / `runtime`, src/graph/model.ts orderingDependencies).
 *
 * Not `implicitDependencies` on the project configurations: Nx 24 normalises those with
 * findMatchingProjects, which lists every project once per project (quadratic; +1 s at 5,000
 * recipe-versions, measured).
 *
 * Nx gotchas (nx.md §0 facts 11, 12): static edges need a source file, which a virtual root
 * does not own, so edges are implicit; and one invalid edge fails the whole graph, so each
 * edge is validated and a bad one is reported and skipped.
 */
import { DependencyType, validateDependency, type CreateDependencies, type RawProjectGraphDependency } from '@nx/devkit';
import { orderingDependencies } from '../graph/model';
import type { NxSpkPluginOptions } from './options';
import { report } from './report';
import type { SpkProjectMetadata } from './workspace-graph';

export const createDependencies: CreateDependencies<NxSpkPluginOptions> = (_options, context) => {
  const names = new Set<string>();
  for (const p of Object.values(context.projects)) if (p.name) names.add(p.name);
  const out: RawProjectGraphDependency[] = [];
  const roots = Object.keys(context.projects).sort();
  for (const root of roots) {
    const project = context.projects[root];
    const spk = (project.metadata as { spk?: SpkProjectMetadata } | undefined)?.spk;
    if (!spk || !project.name) continue;
    for (const target of orderingDependencies(project.name, spk)) {
      const dep: RawProjectGraphDependency = { source: project.name, target, type: DependencyType.implicit };
      if (!names.has(target)) {
        report('warning', `${spk.recipe}: ${project.name} depends on ${target}, which is not in the project graph (excluded?); edge skipped`);
        continue;
      }
      try {
        validateDependency(dep, context);
        out.push(dep);
      } catch (e) {
        report('warning', `${spk.recipe}: edge ${project.name} → ${target} rejected by Nx: ${(e as Error).message}`);
      }
    }
  }
  return out;
};
