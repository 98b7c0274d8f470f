/**
 * The default, human-readable output of `nx-spk plan`: a summary line, an aligned table
 * (wave, project, status, reason) in plan order, and the externals the plan needs.
 * Problems are not part of it: the CLI prints them on stderr.
 */
import type { ExternalUse, Plan, PlanReason } from './model';
import { formatReason } from './selection';

const MAX_REASONS = 3;

export function formatReasons(reasons: readonly PlanReason[]): string {
  const texts = reasons.map(formatReason);
  if (texts.length <= MAX_REASONS) return texts.join(', ');
  return `${texts.slice(0, MAX_REASONS - 1).join(', ')} (+${texts.length - MAX_REASONS + 1} more)`;
}

/** Left-aligned columns separated by two spaces; trailing spaces trimmed. */
export function alignColumns(rows: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
}

function summary(plan: Plan): string {
  const total = plan.projects.length;
  const counts = new Map<string, number>();
  for (const p of plan.projects) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const inWaves = plan.projects.filter((p) => p.wave !== null).length;
  const parts = [`${total} recipe-version${total === 1 ? '' : 's'} in the plan`];
  parts.push(`${inWaves} to build in ${plan.waves.length} wave${plan.waves.length === 1 ? '' : 's'}`);
  for (const s of ['published', 'local', 'build', 'unknown', 'error'] as const) {
    const c = counts.get(s);
    if (c) parts.push(`${c} ${s}`);
  }
  const spk = plan.spk.available ? `spk ${plan.spk.version ?? '(version unknown)'}` : 'spk not available: statuses unknown';
  return `${parts.join(', ')} (${spk})`;
}

function visibleText(e: ExternalUse): string {
  if (e.visible === null) return e.note ? `unknown (${e.note})` : 'unknown';
  if (e.visible) return `yes (${e.satisfiedBy.slice(0, 3).join(', ')}${e.satisfiedBy.length > 3 ? ', …' : ''})`;
  return e.note ? `NO (${e.note})` : 'NO';
}

export function formatTable(plan: Plan): string {
  const lines = [summary(plan), ''];
  if (plan.projects.length === 0) {
    lines.push('Nothing to plan: no spk recipe-version was selected.');
    return `${lines.join('\n')}\n`;
  }
  const rows: string[][] = [['WAVE', 'PROJECT', 'STATUS', 'REASON']];
  for (const p of plan.projects) {
    const wave = p.wave === null ? '-' : p.wave === plan.cyclicWave ? `${p.wave} (cycle)` : String(p.wave);
    rows.push([wave, p.name, p.status, formatReasons(p.reasons)]);
  }
  lines.push(...alignColumns(rows));
  if (plan.cyclicWave !== null) {
    lines.push('', `Wave ${plan.cyclicWave} holds projects on or behind a dependency cycle: it has no valid build order.`);
  }
  if (plan.externals.length > 0) {
    lines.push('', 'Externals (must already be published):');
    const ext: string[][] = [['REQUEST', 'NEEDED BY', 'SPK SEES IT']];
    for (const e of plan.externals) {
      const by = e.neededBy.length > 2 ? `${e.neededBy.slice(0, 2).join(', ')} (+${e.neededBy.length - 2})` : e.neededBy.join(', ');
      ext.push([e.request, by, visibleText(e)]);
    }
    lines.push(...alignColumns(ext).map((l) => `  ${l}`));
  }
  return `${lines.join('\n')}\n`;
}
