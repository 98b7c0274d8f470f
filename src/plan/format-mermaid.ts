/**
 * `nx-spk plan --format mermaid`: a flowchart of the planned graph, one `subgraph` per recipe
 * file, arrows in build order (dependency --> dependent), published projects greyed.
 * Byte-stable for a given plan, so a README can embed it and a test can compare it.
 */
import type { Plan } from './model';
import { buildOrderEdges, groupByRecipe, safeId, stateLine } from './picture';

/** Mermaid label text inside `"…"`: quotes and markup characters as entity codes. */
function label(text: string): string {
  return text.replace(/[#"<>]/g, (c) => `#${c.codePointAt(0)};`);
}

export function formatMermaid(plan: Plan): string {
  const lines = ['flowchart LR'];
  for (const g of groupByRecipe(plan)) {
    lines.push(`  subgraph ${safeId('r_', g.recipe)}["${label(g.recipe)}"]`);
    for (const p of g.projects) {
      lines.push(`    ${safeId('p_', p.name)}["${label(p.name)}<br/>${label(stateLine(plan, p))}"]`);
    }
    lines.push('  end');
  }
  for (const [from, to] of buildOrderEdges(plan)) lines.push(`  ${safeId('p_', from)} --> ${safeId('p_', to)}`);
  lines.push('  classDef published fill:#ddd,color:#888');
  lines.push('  classDef error fill:#fdd,stroke:#c00');
  lines.push('  classDef cycle stroke:#c00,stroke-width:3px');
  const byClass: Record<string, string[]> = { published: [], error: [], cycle: [] };
  for (const p of plan.projects) {
    if (p.status === 'published') byClass.published.push(safeId('p_', p.name));
    if (p.status === 'error') byClass.error.push(safeId('p_', p.name));
    if (p.wave !== null && p.wave === plan.cyclicWave) byClass.cycle.push(safeId('p_', p.name));
  }
  for (const cls of ['published', 'error', 'cycle']) {
    if (byClass[cls].length > 0) lines.push(`  class ${byClass[cls].sort().join(',')} ${cls}`);
  }
  return `${lines.join('\n')}\n`;
}
