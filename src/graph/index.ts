/**
 * The resolution layer: recipe-versions in, resolved requirements, build-ordering edges and
 * cycle decisions out. No Nx imports: the plugin glue and `nx-spk plan` both use it.
 */
import { CandidateIndex } from './candidates';
import { breakCycles, edgesFrom } from './cycles';
import type { RecipeVersionNode, ResolvedGraph } from './model';
import { resolveAll } from './resolve';

export * from './model';
export { CandidateIndex } from './candidates';
export { findCycles, cyclePath } from './cycles';
export { resolveRequirement } from './resolve';
export { platformPins, locatePin, isPlatformKind, type PinTemplate, type PinLocation } from './pins';

export interface ResolveGraphOptions {
  /** Throw (naming the full path) instead of breaking cycles. */
  strictCycles?: boolean;
}

export function resolveGraph(nodes: Iterable<RecipeVersionNode>, opts: ResolveGraphOptions = {}): ResolvedGraph {
  const index = new CandidateIndex(nodes);
  const resolutions = resolveAll(index);
  const cycles = breakCycles(index, resolutions, { strict: opts.strictCycles });
  return { resolutions, edges: edgesFrom(resolutions), cycles };
}
