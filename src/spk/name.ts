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

/** One character of a package or component name: `[a-z0-9-]`. */
export function isPkgNameChar(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '-');
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

/**
 * Scanners for names embedded in a longer text (request parsing: `name:comp/range`), mirroring
 * spk's nom parsers `package_name` and `component` (foundation/src/name/parsing.rs): take up to
 * 64 name characters starting at `i`; at least 2 are needed. Return the end index or -1.
 */
export function scanPkgNameAt(s: string, i: number): number {
  if (s[i] === '-') return -1;
  return scanNameChars(s, i);
}

/** `component`: like `scanPkgNameAt`, but a leading hyphen is accepted. */
export function scanComponentNameAt(s: string, i: number): number {
  return scanNameChars(s, i);
}

function scanNameChars(s: string, i: number): number {
  let j = i;
  while (j < s.length && j - i < NAME_MAX_LEN && isPkgNameChar(s[j])) j++;
  return j - i >= NAME_MIN_LEN ? j : -1;
}

/**
 * A package name that is about to travel as an spk CLI argument (`spk publish name/version`):
 * spk's rule (`validatePkgName`) with the argv layer's one-line message. Kind 'name'.
 */
export function assertPackageName(name: string, what = 'package name'): void {
  const err = checkName(name, what, isPkgNameChar, true);
  if (err) {
    throw new SpkError('name', `invalid ${what}: must be 2-64 characters of a-z, 0-9 and '-', not starting with '-'`, {
      input: name,
      position: err.position,
    });
  }
}

/**
 * An option key that is about to travel as `-o key=value`: spk's `validateOptName`, plus no
 * leading `-` in the base name (spk would accept it, but `-o -x=1` is exactly the kind of argv
 * that must never be emitted). Kind 'option'.
 */
export function assertOptionName(key: string): void {
  const dot = key.indexOf('.');
  const ns = dot >= 0 ? key.slice(0, dot) : undefined;
  const base = dot >= 0 ? key.slice(dot + 1) : key;
  if (ns !== undefined && checkName(ns, 'option namespace', isPkgNameChar, true)) {
    throw new SpkError('option', `invalid option name: the namespace before '.' must be a package name`, { input: key, position: 0 });
  }
  const err = checkName(base, 'option name', isOptNameChar, true);
  if (err) {
    throw new SpkError('option', 'invalid option name: must be 2-64 characters of a-z, 0-9, _ and -, not starting with -', {
      input: key,
      position: (ns !== undefined ? ns.length + 1 : 0) + (err.position ?? 0),
    });
  }
}

export const RESERVED_COMPONENTS: readonly string[] = Object.freeze(['all', 'build', 'run', 'src']);
