/**
 * v0/platform recipes (crates/spk-schema/src/v0/platform.rs): `base` and `requirements` add/remove.
 */
import { SpkError, type KeyPath } from '../errors';
import { parseRangeIdent } from '../request';
import { pinStatementOf, type PinStatement } from '../platform';
import { requestList, requirement } from './requirements';
import { type Requirement } from './types';
import { asList, asRecord, str } from './values';

export function baseRequirements(baseField: unknown, list: boolean): Requirement[] {
  const entries = list ? asList(baseField, ['base']) : baseField === undefined || baseField === null ? [] : [baseField];
  return entries.map((b, i) => {
    const text = str(b);
    let ident;
    try {
      ident = parseRangeIdent(text);
    } catch (e) {
      throw new SpkError('recipe', `base${list ? `[${i}]` : ''}: ${e instanceof SpkError ? e.reason : String(e)}`, {
        path: list ? ['base', i] : ['base'],
      });
    }
    return requirement('platform-base', ident, text, 'base');
  });
}

export function extractV0Platform(rec: Record<string, unknown>, warnings: string[], pins: PinStatement[]): Requirement[] {
  const reqs = baseRequirements(rec.base, false);
  const r = rec.requirements;
  let add: unknown = r;
  // Where the added requests sit: `requirements` itself, or `requirements.add` (messages name
  // both `requirements`, as before).
  let addAt: KeyPath = ['requirements'];
  if (asRecord(r)) {
    const m = asRecord(r)!;
    add = m.add;
    addAt = ['requirements', 'add'];
    asList(m.remove, ['requirements', 'remove']).forEach((rem, i) => {
      const n = str(asRecord(rem)?.pkg ?? asRecord(rem)?.var ?? rem);
      if (asRecord(rem)?.var === undefined) {
        const st = pinStatementOf(n, false, ['requirements', 'remove', i]);
        if (st) pins.push(st);
      }
      warnings.push(`requirements.remove: '${n}' removes a constraint inherited from the base (no dependency edge)`);
    });
  }
  for (const q of requestList(add, addAt, 'runtime', {}, 'requirements')) {
    // v0/platform.rs process_add: every added pkg request becomes IfAlreadyPresent.
    reqs.push({ ...q, role: 'soft', include: 'IfAlreadyPresent', phase: 'runtime' });
  }
  asList(add, addAt, 'requirements').forEach((item, i) => {
    const m = asRecord(item);
    const text = typeof item === 'string' ? item : m && m.pkg !== undefined ? str(m.pkg) : undefined;
    if (text === undefined) return; // a var request
    const st = pinStatementOf(text, undefined, [...addAt, i], `requirements[${i}]`);
    if (st) pins.push(st);
  });
  return reqs;
}
