/**
 * spk names: package names, option (var) names with an optional `pkg.` namespace, component names.
 *
 * Mirrors `crates/spk-schema/crates/foundation/src/name/mod.rs` (`validate_pkg_name`,
 * `validate_opt_name`, `OptName::namespace`/`base_name`) and
 * `ident_component/parsing/component.rs` (component names).
 */
import { SpkError } from './errors';

export const NAME_MIN_LEN = 2;
export const NAME_MAX_LEN = 64;

function isPkgNameChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '-';
}

function isOptNameChar(c: string): boolean {
  // Option names are a superset of package names: '_' is also allowed.
  return isPkgNameChar(c) || c === '_';
}

/** Reason the name is invalid (and where), or undefined. */
function checkName(
  s: string,
  what: string,
  isChar: (c: string) => boolean,
  noLeadingHyphen: boolean,
): { reason: string; position?: number } | undefined {
  if (typeof s !== 'string') return { reason: `invalid ${what}, expected a string` };
  if (s.length < NAME_MIN_LEN) return { reason: `invalid ${what}, must be at least ${NAME_MIN_LEN} characters` };
  if (s.length > NAME_MAX_LEN) return { reason: `invalid ${what}, must be no more than ${NAME_MAX_LEN} characters` };
  if (noLeadingHyphen && s[0] === '-') {
    return { reason: `invalid ${what}, must begin with a letter and not a hyphen`, position: 0 };
  }
  for (let i = 0; i < s.length; i++) {
    if (!isChar(s[i])) return { reason: `invalid ${what} at pos ${i}: ${s.slice(0, i)} > ${s[i]} < ${s.slice(i + 1)}`, position: i };
  }
  return undefined;
}

function fail(s: string, err: { reason: string; position?: number }, offset = 0): never {
  throw new SpkError('name', err.reason, {
    input: String(s),
    position: err.position === undefined ? undefined : err.position + offset,
  });
}

/** `[a-z0-9-]{2,64}`, not starting with `-`. */
export function isValidPkgName(s: string): boolean {
  return checkName(s, 'package name', isPkgNameChar, true) === undefined;
}

/** Returns `s` if it is a valid package name, else throws SpkError kind 'name'. */
export function validatePkgName(s: string): string {
  const err = checkName(s, 'package name', isPkgNameChar, true);
  if (err) fail(s, err);
  return s;
}

/** Option names: `[ns.]base` where `ns` is a package name and `base` is `[a-z0-9_-]{2,64}`. */
export function isValidOptName(s: string): boolean {
  try {
    validateOptName(s);
    return true;
  } catch (e) {
    if (e instanceof SpkError) return false;
    throw e;
  }
}

export function validateOptName(s: string): string {
  if (typeof s !== 'string') fail(String(s), { reason: 'invalid option name, expected a string' });
  const dot = s.indexOf('.');
  if (dot >= 0) {
    const ns = s.slice(0, dot);
    const nsErr = checkName(ns, 'option namespace (package name)', isPkgNameChar, true);
    if (nsErr) fail(s, nsErr);
    const baseErr = checkName(s.slice(dot + 1), 'option name', isOptNameChar, false);
    if (baseErr) fail(s, baseErr, dot + 1);
    return s;
  }
  const err = checkName(s, 'option name', isOptNameChar, false);
  if (err) fail(s, err);
  return s;
}

/** Splits `ns.base` at the first `.` (spk `OptName::namespace` / `base_name`); no validation. */
export function splitOptNamespace(s: string): { namespace: string | null; baseName: string } {
  const dot = s.indexOf('.');
  return dot < 0 ? { namespace: null, baseName: s } : { namespace: s.slice(0, dot), baseName: s.slice(dot + 1) };
}

/**
 * Component names as the request parser reads them: `[a-z0-9-]{2,64}` (spk does not forbid a
 * leading hyphen here). `all`, `run`, `build`, `src` are the reserved built-in components.
 */
export function isValidComponentName(s: string): boolean {
  return checkName(s, 'component name', isPkgNameChar, false) === undefined;
}

export const RESERVED_COMPONENTS: readonly string[] = Object.freeze(['all', 'build', 'run', 'src']);
