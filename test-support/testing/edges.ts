/**
 * The edges Nx would get from the plugin's createDependencies for a computed graph, called the
 * way Nx calls it (projects keyed by name), as `source -> target` lines, sorted; and the
 * resolver's own edges in the same form. Tests compare the two.
 */
import type { ProjectConfiguration } from '@nx/devkit';
import { createDependencies } from '../../src/plugin/create-dependencies';
import type { WorkspaceGraphResult } from '../../src/plugin/workspace-graph';

export async function emittedEdges(g: WorkspaceGraphResult): Promise<string[]> {
  const projects: Record<string, ProjectConfiguration> = {};
  for (const perFile of g.projectsByFile.values()) for (const p of Object.values(perFile)) projects[p.name!] = p;
  const deps = await createDependencies(
    {},
    {
      projects,
      externalNodes: {},
      nxJsonConfiguration: {},
      workspaceRoot: '/ws',
      fileMap: { projectFileMap: {}, nonProjectFiles: [] },
      filesToProcess: { projectFileMap: {}, nonProjectFiles: [] },
    },
  );
  return deps.map((d) => `${d.source} -> ${d.target}`).sort();
}

export function resolverEdges(g: WorkspaceGraphResult): string[] {
  return [...g.metadata].flatMap(([name, m]) => m.dependencies.map((d) => `${name} -> ${d}`)).sort();
}

/** Projects whose configuration stores its edges in `metadata.spk` (there should be none). */
export function projectsStoringEdges(g: WorkspaceGraphResult): string[] {
  const out: string[] = [];
  for (const perFile of g.projectsByFile.values()) {
    for (const p of Object.values(perFile)) {
      const spk = (p.metadata as { spk?: object } | undefined)?.spk;
      if (spk && 'dependencies' in spk) out.push(p.name!);
    }
  }
  return out;
}
