/**
 * `nx-spk plan --format dot`: the planned graph for Graphviz, one `cluster` per recipe file,
 * edges in build order (dependency -> dependent), published projects greyed. Byte-stable.
 */
import type { Plan } from './model';
import { buildOrderEdges, groupByRecipe, safeId, stateLine } from './picture';

function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
}

export function formatDot(plan: Plan): string {
  const lines = ['digraph plan {', '  rankdir=LR;', '  node [shape=box];'];
  for (const g of groupByRecipe(plan)) {
    lines.push(`  subgraph ${safeId('cluster_', g.recipe)} {`);
    lines.push(`    label=${quote(g.recipe)};`);
    for (const p of g.projects) {
      const attrs = [`label=${quote(`${p.name}\n${stateLine(plan, p)}`)}`];
      if (p.status === 'published') attrs.push('style=filled', 'fillcolor="#dddddd"', 'fontcolor="#888888"', 'color="#888888"');
      else if (p.status === 'error') attrs.push('style=filled', 'fillcolor="#ffdddd"', 'color="#cc0000"');
      if (p.wave !== null && p.wave === plan.cyclicWave) attrs.push('penwidth=3');
      lines.push(`    ${quote(p.name)} [${attrs.join(', ')}];`);
    }
    lines.push('  }');
  }
  for (const [from, to] of buildOrderEdges(plan)) lines.push(`  ${quote(from)} -> ${quote(to)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
