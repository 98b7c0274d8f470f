/**
 * Build options of a recipe (`build.options`): package options (`pkg: name[/default]`) and var
 * options (`var: name[/default]`), their value validation and the request each one turns into.
 *
 * Mirrors `crates/spk-schema/src/option.rs` (`Opt` deserializer, `VarOpt`/`PkgOpt` `get_value`,
 * `set_value`, `to_request`).
 */
import { Compat, parseCompat } from './compat';
import { SpkError, errorAbout, withErrorKind } from './errors';
import { PkgRequest, PrereleasePolicy, VarRequest, parseRangeIdent, parseVarText, readPrereleasePolicy } from './request';
import { VersionRange, parseVersionFilter, scanVersionRangeAt } from './range';
import { stringifiedAt } from './yaml-number';

export type Inheritance = 'Weak' | 'StrongForBuildOnly' | 'Strong';

export class PkgOption {
  readonly kind = 'pkg' as const;
  /** Package name (also the option name). */
  pkg: string;
  components: string[];
  /** Default range text (spk stores the *normalized* range of `pkg: name/range`), '' if none. */
  default: string;
  prereleasePolicy?: PrereleasePolicy;
  /** `static:` value, pinned regardless of what is given. */
  static?: string;
  description?: string;

  constructor(pkg: string, components: string[] = [], def = '') {
    this.pkg = pkg;
    this.components = components;
    this.default = def;
  }

  get name(): string {
    return this.pkg;
  }

  /** Value with nothing given: static, else default ('' = any version). */
  get value(): string {
    return optionValue(this) ?? '';
  }

  /** spk `PkgOpt::set_value` check; returns the value or throws SpkError kind 'option'. */
  validateValue(value: string): string {
    return validatePkgOptionValue(this, value);
  }
}

export class VarOption {
  readonly kind = 'var' as const;
  /** Full option name, possibly namespaced (`python.abi`). */
  var: string;
  default: string;
  choices: string[] = [];
  inheritance: Inheritance = 'Weak';
  description?: string;
  compat?: Compat;
  required = false;
  static?: string;

  constructor(name: string, def = '') {
    this.var = name;
    this.default = def;
  }

  get name(): string {
    return this.var;
  }

  /** Value with nothing given (spk `get_value(None)`): non-empty static, else non-empty default, else null. */
  get value(): string | null {
    return optionValue(this) ?? null;
  }

  /** spk `VarOpt::set_value` check; returns the value or throws SpkError kind 'option'. */
  validateValue(value: string): string {
    return validateVarOptionValue(this, value);
  }
}

export type BuildOption = PkgOption | VarOption;

function optError(reason: string, input: unknown, cause?: unknown): SpkError {
  return errorAbout('option', reason, input, cause);
}

/**
 * A field spk reads as a string (`PkgNameWithComponents`, `NameAndValue`, `Compat`): a plain
 * number keeps its source text (the reader leaves it as text), a bool its text.
 */
function scalarText(v: unknown, key: string, whole: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  throw optError(`'${key}' must be a scalar value, got ${v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v}`, whole);
}

/**
 * spk `Stringified` (`crates/spk-schema/crates/foundation/src/option_map/mod.rs`) of
 * `container[at]`: a plain number formatted as Rust does (`3.10` → "3.1"), null → "", a bool
 * or string as its text (yaml-number.ts `stringifiedAt`).
 */
function stringified(container: object, at: string | number, key: string, whole: unknown): string {
  const text = stringifiedAt(container, at);
  if (text !== undefined) return text;
  const v = (container as Record<string | number, unknown>)[at];
  throw optError(`'${key}' must be a scalar value, got ${Array.isArray(v) ? 'a list' : typeof v}`, whole);
}

/**
 * Parses one `build.options` entry (a YAML mapping). Keys are case-insensitive and unknown keys
 * ignored, as in spk. Throws SpkError kind 'option'.
 */
export function parseBuildOption(input: Record<string, unknown>): BuildOption {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw optError('a build option must be a mapping with a `pkg` or `var` field', input);
  }
  let pkg: { name: string; components: string[] } | undefined;
  let varName: string | undefined;
  let def: string | undefined;
  let prereleasePolicy: PrereleasePolicy | undefined;
  let choices: string[] | undefined;
  let inheritance: Inheritance | undefined;
  let staticValue: string | undefined;
  let description: string | undefined;
  let compat: Compat | undefined;
  let required = false;
  const checkExistingDefault = () => {
    if (def !== undefined) {
      throw optError(
        "option cannot specify both the 'default' field and a default value in the form <name>/<default>",
        input,
      );
    }
  };
  for (const [rawKey, v] of Object.entries(input)) {
    switch (rawKey.toLowerCase()) {
      case 'pkg': {
        const text = scalarText(v, 'pkg', input);
        const ident = withErrorKind('option', text, () => parseRangeIdent(text));
        if (ident.repositoryName !== undefined) throw optError('repository name specifier not supported here', input);
        if (ident.build !== undefined) throw optError('build specifier not supported here', input);
        if (!ident.version.isEmpty()) {
          checkExistingDefault();
          def = ident.version.toString();
        }
        pkg = { name: ident.name, components: ident.components };
        break;
      }
      case 'prereleasepolicy':
        prereleasePolicy = readPrereleasePolicy(v, input, 'option');
        break;
      case 'var': {
        const text = scalarText(v, 'var', input);
        const { name, value } = parseVarText(text, 'option');
        varName = name;
        if (value !== undefined) checkExistingDefault();
        // spk assigns unconditionally: a later `var: name` (no value) clears an earlier `default:`.
        def = value;
        break;
      }
      case 'choices':
        if (!Array.isArray(v)) throw optError('`choices` must be a list', input);
        choices = [...new Set(v.map((_c, i) => stringified(v, i, 'choices', input)))];
        break;
      case 'inheritance':
        if (v !== 'Weak' && v !== 'StrongForBuildOnly' && v !== 'Strong') {
          throw optError(`invalid inheritance ${JSON.stringify(v)} (expected Weak, StrongForBuildOnly or Strong)`, input);
        }
        inheritance = v;
        break;
      case 'default':
        checkExistingDefault();
        def = stringified(input, rawKey, 'default', input);
        break;
      case 'static':
        staticValue = stringified(input, rawKey, 'static', input);
        break;
      case 'description':
        description = stringified(input, rawKey, 'description', input);
        break;
      case 'compat':
        const text = scalarText(v, 'compat', input);
        compat = withErrorKind('option', String(v), () => parseCompat(text));
        break;
      case 'required':
        if (typeof v !== 'boolean') throw optError('`required` must be a boolean', input);
        required = v;
        break;
      default:
        break;
    }
  }
  if (pkg && varName !== undefined) {
    throw optError('could not determine option type, it may only contain one of the `pkg` or `var` fields', input);
  }
  if (pkg) {
    const out = new PkgOption(pkg.name, pkg.components, def ?? '');
    if (prereleasePolicy !== undefined) out.prereleasePolicy = prereleasePolicy;
    if (staticValue !== undefined) out.static = staticValue;
    if (description !== undefined) out.description = description;
    return out;
  }
  if (varName !== undefined) {
    const out = new VarOption(varName, def ?? '');
    out.choices = choices ?? [];
    out.inheritance = inheritance ?? 'Weak';
    out.required = required;
    if (description !== undefined) out.description = description;
    if (compat !== undefined) out.compat = compat;
    if (staticValue !== undefined) out.static = staticValue;
    return out;
  }
  throw optError('could not determine option type, it must include either a `pkg` or `var` field', input);
}

/** Option name: the package name for pkg options, the full var name for var options. */
export function optionName(opt: BuildOption): string {
  return opt.kind === 'pkg' ? opt.pkg : opt.var;
}

/**
 * spk `PkgOpt::set_value` check: the value must be empty or `range[/build]`. Returns the value,
 * throws SpkError kind 'option'.
 */
export function validatePkgOptionValue(opt: PkgOption, value: string): string {
  if (value === '') return value;
  try {
    const { end } = scanVersionRangeAt(value, 0);
    let i = end;
    if (value[i] === '/') {
      // Re-use the ident parser for the build part.
      parseRangeIdent(`${opt.pkg}/${value}`);
      i = value.length;
    }
    if (i !== value.length) throw new SpkError('option', `unexpected ${JSON.stringify(value[i])}`, { input: value, position: i });
  } catch (e) {
    if (e instanceof SpkError) {
      throw new SpkError('option', `invalid value '${value}' for option '${opt.pkg}', not a valid package request: ${e.reason}`, {
        input: value,
        position: e.position,
        cause: e,
      });
    }
    throw e;
  }
  return value;
}

/** spk `VarOpt::set_value` check: a non-empty value must be one of `choices` (if any). */
export function validateVarOptionValue(opt: VarOption, value: string): string {
  if (opt.choices.length > 0 && value !== '' && !opt.choices.includes(value)) {
    throw new SpkError('option', `invalid value '${value}' for option '${opt.var}', must be one of ${JSON.stringify(opt.choices)}`, {
      input: value,
    });
  }
  return value;
}

export function validateOptionValue(opt: BuildOption, value: string): string {
  return opt.kind === 'pkg' ? validatePkgOptionValue(opt, value) : validateVarOptionValue(opt, value);
}

/**
 * The value an option resolves to (spk `get_value`):
 * - pkg: static, else given, else default (may be '').
 * - var: non-empty static, else given, else non-empty default, else undefined.
 */
export function optionValue(opt: BuildOption, given?: string): string | undefined {
  if (opt.kind === 'pkg') return opt.static ?? given ?? opt.default;
  if (opt.static !== undefined && opt.static !== '') return opt.static;
  if (given !== undefined) return given;
  return opt.default !== '' ? opt.default : undefined;
}

/** `VarOption.value` of the vectors: the value with nothing given (`null` if none). */
export function varOptionValue(opt: VarOption): string | null {
  return optionValue(opt) ?? null;
}

/**
 * spk `to_request`: the request a build option adds to the build environment. A pkg option with
 * an empty value requests any version; its components are kept as written (spk's implicit
 * default `build` component is not added).
 */
export function optionRequest(opt: BuildOption, givenValue?: string): PkgRequest | VarRequest {
  const value = optionValue(opt, givenValue) ?? '';
  if (opt.kind === 'var') {
    const req: VarRequest = { kind: 'var', name: opt.var, value };
    if (opt.description !== undefined) req.description = opt.description;
    return req;
  }
  let ident;
  try {
    ident = parseRangeIdent(value === '' ? opt.pkg : `${opt.pkg}/${value}`);
  } catch (e) {
    if (e instanceof SpkError) {
      throw new SpkError('option', `invalid value '${value}' for option '${opt.pkg}': ${e.reason}`, { input: value, cause: e });
    }
    throw e;
  }
  const req: PkgRequest = { kind: 'pkg', pkg: { ...ident, components: [...opt.components] }, include: 'Always' };
  if (opt.prereleasePolicy !== undefined) req.prereleasePolicy = opt.prereleasePolicy;
  return req;
}

/** The range a pkg option's value stands for (empty range when the value is empty). */
export function pkgOptionRange(opt: PkgOption, givenValue?: string): VersionRange {
  const value = optionValue(opt, givenValue) ?? '';
  const slash = value.indexOf('/');
  return parseVersionFilter(slash < 0 ? value : value.slice(0, slash));
}
