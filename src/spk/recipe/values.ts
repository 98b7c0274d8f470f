/**
 * Small readers of parsed YAML values shared by the recipe modules.
 */
import { keyPathText, SpkError, type KeyPath } from '../errors';

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** `at` is where `v` sits in the recipe; `what` names it in the message (default: `at` as text). */
export function asList(v: unknown, at: KeyPath, what: string = keyPathText(at)): unknown[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw new SpkError('recipe', `${what} must be a list`, { path: at });
  return v;
}

export function str(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  return String(v);
}
