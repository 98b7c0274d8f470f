/**
 * `nx-spk plan --json`: the Plan object (schema in docs/plan-schema.md), keys in a fixed order
 * so two runs over the same workspace and repositories print byte-identical output.
 */
import type { Plan } from './model';

export function planToJson(plan: Plan): object {
  return {
    schemaVersion: plan.schemaVersion,
    spk: { available: plan.spk.available, version: plan.spk.version, bin: plan.spk.bin },
    projects: plan.projects.map((p) => ({
      name: p.name,
      package: p.package,
      version: p.version,
      recipe: p.recipe,
      kind: p.kind,
      status: p.status,
      reasons: p.reasons.map((r) => ('of' in r ? { kind: r.kind, of: r.of } : { kind: r.kind })),
      wave: p.wave,
      dependencies: [...p.dependencies],
      ...(p.error !== undefined ? { error: p.error } : {}),
    })),
    waves: plan.waves.map((w) => [...w]),
    cyclicWave: plan.cyclicWave,
    externals: plan.externals.map((e) => ({
      request: e.request,
      package: e.pkg,
      resolutions: [...e.resolutions],
      roles: [...e.roles],
      neededBy: [...e.neededBy],
      visible: e.visible,
      satisfiedBy: [...e.satisfiedBy],
      ...(e.note !== undefined ? { note: e.note } : {}),
    })),
    problems: plan.problems.map((p) => ({
      kind: p.kind,
      message: p.message,
      ...(p.subject !== undefined ? { subject: p.subject } : {}),
      ...(p.path !== undefined ? { path: [...p.path] } : {}),
    })),
  };
}

export function formatJson(plan: Plan): string {
  return `${JSON.stringify(planToJson(plan), null, 2)}\n`;
}
