/**
 * v1/platform recipes (crates/spk-schema/src/v1/platform.rs): `base` list, `atBuild`/`atRuntime`.
 */
import { SpkError } from '../errors';
import { parseRangeIdent } from '../request';
import { pinStatementOf, type PinStatement } from '../platform';
import { requirement } from './requirements';
import { type Requirement } from './types';
import { baseRequirements } from './v0-platform';
import { asList, asRecord, str } from './values';

export function extractV1Platform(rec: Record<string, unknown>, warnings: string[], pins: PinStatement[]): Requirement[] {
  const reqs = baseRequirements(rec.base, true);
  asList(rec.requirements, ['requirements']).forEach((item, i) => {
    const m = asRecord(item);
    if (!m) throw new SpkError('recipe', `requirements[${i}] must be a mapping with 'pkg' or 'var'`, { path: ['requirements', i] });
    for (const k of Object.keys(m)) {
      // v1/platform.rs PlatformPkgRequirement: deny_unknown_fields
      if (!['pkg', 'var', 'atBuild', 'atRuntime'].includes(k)) {
        throw new SpkError('recipe', `requirements[${i}]: unknown field '${k}' (expected pkg, var, atBuild, atRuntime)`, {
          path: ['requirements', i],
        });
      }
    }
    if (m.var !== undefined) return;
    const ident = parseRangeIdent(str(m.pkg));
    const pin = pinStatementOf(str(m.pkg), m.atBuild, ['requirements', i]);
    if (pin) pins.push(pin);
    for (const [field, phase] of [
      ['atBuild', 'build'],
      ['atRuntime', 'runtime'],
    ] as const) {
      const v = m[field];
      if (v === undefined) continue; // inherited value kept: nothing from this platform
      if (v === false) {
        // `false` REMOVES the constraint inherited from a base for this phase. It is kept as a
        // soft requirement marked `removal` so the resolver can cancel the inherited
        // constraint (src/graph/resolve.ts platformConstraints); it never creates an edge.
        reqs.push({
          role: 'soft',
          pkg: ident.name,
          request: `${ident.name} (${field}: false)`,
          range: '',
          removal: true,
          components: [...ident.components],
          prereleasePolicy: 'ExcludeAll',
          include: 'IfAlreadyPresent',
          source: `requirements[${i}].${field}`,
          phase,
        });
        continue;
      }
      const range = v === true ? '' : str(v);
      const full = parseRangeIdent(range === '' ? ident.name : `${ident.name}/${range}`);
      reqs.push(
        requirement('soft', { name: ident.name, versionText: full.versionText, components: ident.components }, range === '' ? ident.name : `${ident.name}/${range}`, `requirements[${i}].${field}`, { include: 'IfAlreadyPresent' }, { phase }),
      );
    }
  });
  return reqs;
}
