/**
 * Reading spk recipe files: kind and name without rendering (`SpecTemplate::from_file`,
 * `crates/spk-schema/src/spec.rs`), rendering per workspace version (`opt.version` exactly like
 * `-o version=V`), and extraction of everything the Nx plugin needs from the rendered recipe:
 * requirements with roles, provided names, sources, tests and the default variants (spk.md §2, §3).
 *
 * Roles (see `Requirement`):
 * - build: `build.options` pkg options (value = static ?? given ?? default, spk `PkgOpt::get_value`)
 *   and package-looking variant keys (`Variant::from_spec`, v0/variant.rs), per default variant
 *   (`RecipeBuildSpec::opts_for_variant`); identical requests across variants are merged into one
 *   entry listing the variant indices. Components default to `build` like `get_build_requirements`.
 * - runtime: `install.requirements` and `install.components[].requirements` (include Always).
 * - soft: any request with `include: IfAlreadyPresent`; every v0/platform requirement (spk forces
 *   IfAlreadyPresent in `process_add`); v1/platform `atBuild` (phase build) / `atRuntime`
 *   (phase runtime). A v1 `false` REMOVES a constraint inherited from a base: it creates no edge,
 *   so nothing is emitted and a warning records it. v0/platform `remove:` entries likewise.
 * - test: `tests[].requirements` with the test's stage.
 * - platform-base: each platform `base` entry (a hard build dependency of the platform).
 * Platforms also carry `pins`: what each requirement entry says about the exact versions the
 * platform names (src/spk/platform.ts); pins are no requirements and create no edges.
 * Runtime/test/soft requests keep their components as written (the solver's default `run` applies).
 */
import * as path from 'node:path';
import { SpkError } from './errors';
import { renderTemplate, type TemplateParseCache } from './template';
import { parseVersion, type Version } from './version';
import { isVersionRange } from './range';
import { DEFAULT_COMPAT } from './compat';
import { isValidPkgName, validatePkgName } from './name';
import { parseRequest, parseRangeIdent, sortComponents, type PkgRequest } from './request';
import { parseBuildOption, optionValue, type BuildOption, type PkgOption } from './option';
import { pinStatementOf, type PinStatement } from './platform';
import { lineOfKey, lineOfMessagePath, parseRawYaml, parseRenderedYaml, parseYaml, type ParsedYaml, type RawYaml } from './recipe-yaml';
import { nodeReader, type SpkReader } from './reader';
import { toPosix } from './posix';

export type RecipeKind = 'v0/package' | 'v0/platform' | 'v1/platform' | 'v0/requirements';
export type RequirementRole = 'build' | 'runtime' | 'test' | 'soft' | 'platform-base';

export interface Requirement {
  role: RequirementRole;
  /** Requested package name. */
  pkg: string;
  /** Request text after rendering (as written, without spk's implicit `build` component). */
  request: string;
  /** Version range text ('' = any). */
  range: string;
  components: string[];
  prereleasePolicy: 'ExcludeAll' | 'IncludeAll';
  include: 'Always' | 'IfAlreadyPresent';
  fromBuildEnv?: string | boolean;
  /** Where in the recipe: 'build.options', 'build.variants[1]', 'install.requirements', ... */
  source: string;
  /** build role: indices of the default variants this request applies in. */
  variants?: number[];
  /** test role. */
  stage?: 'sources' | 'build' | 'install';
  /** soft platform constraints: atBuild / atRuntime. */
  phase?: 'build' | 'runtime';
}

export interface RecipeVersion {
  file: string;
  name: string;
  version: Version;
  kind: RecipeKind;
  /** The raw text reads `opt.version` (so the build must pass `-o version=V`). */
  templated: boolean;
  description?: string;
  compat: string;
  requirements: Requirement[];
  provides: Array<{ name: string; version?: string }>;
  sources: { paths: string[]; excludes: string[]; remote: string[] };
  tests: Array<{ index: number; stage: string }>;
  variants: Array<Record<string, string>>;
  warnings: string[];
  /** Platforms: what each requirement entry says about pins (src/spk/platform.ts), in recipe order. */
  pins?: PinStatement[];
}

export interface RecipeProblem {
  file: string;
  line?: number;
  version?: string;
  /** The package name, when the raw recipe names one (the failure came later: rendering, reading). */
  name?: string;
  message: string;
}

export interface LoadRecipeOptions {
  workspaceRoot: string;
  /** Host options (`computeHostOptions()`), or `false` = `--no-host`. */
  hostOptions: Record<string, string> | false;
  /** Extra `-o k=v` options. */
  options?: Record<string, string>;
  env?: Record<string, string | undefined>;
  /** Reads the recipe file (loadRecipeFile) and the working directory; defaults to node:fs. */
  reader?: SpkReader;
}

export interface LoadRecipeResult {
  recipeVersions: RecipeVersion[];
  problems: RecipeProblem[];
  /** Informational notes that are not problems (e.g. a v0/requirements file is not buildable). */
  notes?: string[];
}

const KINDS: readonly RecipeKind[] = ['v0/package', 'v0/platform', 'v1/platform', 'v0/requirements'];

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function asList(v: unknown, what: string): unknown[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw new SpkError('recipe', `${what} must be a list`);
  return v;
}

function str(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  return String(v);
}

// ------------------------------------------------------------------------------------------
// Name and kind without rendering

/** `api` → kind; missing → v0/package (spk warns). Unknown → SpkError. */
function kindOf(api: unknown, file: string): RecipeKind {
  if (api === undefined || api === null) return 'v0/package';
  if (typeof api !== 'string' || !(KINDS as readonly string[]).includes(api)) {
    throw new SpkError('recipe', `unknown api version ${JSON.stringify(api)} (expected one of ${KINDS.join(', ')})`, { file });
  }
  return api as RecipeKind;
}

/**
 * `SpecTemplate::from_file`: parse the RAW text as YAML (no rendering), read `api`, then the
 * `pkg` (or `platform`) field and take the text before the first `/` as the package name.
 * Throws SpkError kind 'recipe' (invalid YAML, unknown api, missing/invalid name, v0/requirements
 * has no name).
 */
export function readRecipeName(text: string, file: string): { name: string; kind: RecipeKind } {
  return recipeNameOf(parseYaml(text, file), file);
}

function recipeNameOf(parsed: ParsedYaml, file: string): { name: string; kind: RecipeKind } {
  const data = parsed.data;
  const rec = asRecord(data);
  if (!rec) throw new SpkError('recipe', 'a recipe must be a YAML mapping', { file });
  const kind = kindOf(rec.api, file);
  if (kind === 'v0/requirements') {
    throw new SpkError('recipe', 'a v0/requirements file has no package name (UnnamedTemplate); it is not buildable', { file });
  }
  const field = kind === 'v0/package' ? 'pkg' : 'platform';
  const raw = rec[field];
  if (raw === undefined || raw === null) throw new SpkError('recipe', `Missing '${field}' field in spec file`, { file });
  if (typeof raw !== 'string') {
    throw new SpkError('recipe', `'${field}' must be a string (a templated name is not allowed: only the version may be templated)`, {
      file,
      line: lineOfKey(parsed, [field]),
    });
  }
  const name = raw.split('/')[0];
  try {
    validatePkgName(name);
  } catch (e) {
    const reason = e instanceof SpkError ? e.reason : String(e);
    throw new SpkError('recipe', `invalid package name '${name}' in '${field}': ${reason}`, { file, line: lineOfKey(parsed, [field]) });
  }
  return { name, kind };
}

// ------------------------------------------------------------------------------------------
// Requirements

/**
 * The one place a `Requirement` value is assembled (the field order is the one metadata shows).
 * `ident` is the parsed request's package part (name and range text as written).
 */
function requirement(
  role: RequirementRole,
  ident: { name: string; versionText: string; components: readonly string[] },
  request: string,
  source: string,
  how: { components?: readonly string[]; prereleasePolicy?: Requirement['prereleasePolicy']; include?: Requirement['include'] } = {},
  extra: Partial<Requirement> = {},
): Requirement {
  return {
    role,
    pkg: ident.name,
    request,
    range: ident.versionText,
    components: [...(how.components ?? ident.components)],
    prereleasePolicy: how.prereleasePolicy ?? 'ExcludeAll',
    include: how.include ?? 'Always',
    source,
    ...extra,
  };
}

function pkgRequirement(
  req: PkgRequest,
  role: RequirementRole,
  source: string,
  requestText: string,
  extra: Partial<Requirement> = {},
): Requirement {
  const out = requirement(role, req.pkg, requestText, source, {
    components: req.pkg.components,
    prereleasePolicy: req.prereleasePolicy ?? 'ExcludeAll',
    include: req.include,
  }, extra);
  if (req.fromBuildEnv !== undefined) out.fromBuildEnv = req.fromBuildEnv;
  return out;
}

/** Request list (install/component/test requirements) → pkg requirements; var requests are skipped. */
function requestList(list: unknown, source: string, role: 'runtime' | 'test', extra: Partial<Requirement> = {}): Requirement[] {
  const out: Requirement[] = [];
  asList(list, source).forEach((item, i) => {
    let req;
    try {
      req = parseRequest(item as Record<string, unknown>);
    } catch (e) {
      const reason = e instanceof SpkError ? e.message : String(e);
      throw new SpkError('recipe', `${source}[${i}]: ${reason}`);
    }
    if (req.kind !== 'pkg') return;
    const text = typeof item === 'string' ? item : str(asRecord(item)?.pkg ?? asRecord(item)?.Pkg);
    const r = req.include === 'IfAlreadyPresent' && role === 'runtime' ? 'soft' : role;
    out.push(pkgRequirement(req, r, source, text, extra));
  });
  return out;
}

interface VariantEntry {
  key: string;
  name: string;
  components: string[];
  value: string;
  pkgOrOpt: boolean;
}

/** `VariantSpec` keys: `name[:comp|:{a,b}]` (PkgOrOpt) or an option name (`python.abi`). */
function parseVariantKey(key: string): { name: string; components: string[]; pkgOrOpt: boolean } {
  if (isValidPkgName(key)) return { name: key, components: [], pkgOrOpt: true };
  if (key.includes(':')) {
    try {
      const ident = parseRangeIdent(key);
      if (ident.versionText === '' && !ident.repositoryName && !ident.build) {
        return { name: ident.name, components: ident.components, pkgOrOpt: true };
      }
    } catch {
      // fall through: an option name
    }
  }
  return { name: key, components: [], pkgOrOpt: false };
}

function variantValueString(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new SpkError('recipe', `variant values must be scalars, got ${JSON.stringify(v)}`);
}

interface SpkVariant {
  index: number;
  /** The variant's own options (spk `Variant::options()`). */
  options: Record<string, string>;
  /** Additional pkg requirements (from_spec); var requirements are dropped here. */
  additional: Array<{ name: string; components: string[]; range: string; key: string }>;
}

/** `Variant::from_spec` (v0/variant.rs). */
function variantFromSpec(index: number, spec: Record<string, unknown>, options: BuildOption[]): SpkVariant {
  const opts: Record<string, string> = {};
  const additional: SpkVariant['additional'] = [];
  const optNames = new Set(options.map((o) => (o.kind === 'pkg' ? o.pkg : o.var)));
  for (const [key, raw] of Object.entries(spec)) {
    const value = variantValueString(raw);
    const k = parseVariantKey(key);
    opts[k.name] = value;
    if (k.pkgOrOpt && k.components.length > 0) {
      if (!isVersionRange(value)) throw new SpkError('recipe', `invalid version range for package '${k.name}': ${value}`);
      additional.push({ name: k.name, components: k.components, range: value, key });
      continue;
    }
    if (optNames.has(k.name)) continue;
    if (!isValidPkgName(k.name) || !isVersionRange(value)) continue; // a var requirement
    additional.push({ name: k.name, components: [], range: value, key });
  }
  return { index, options: opts, additional };
}

/** `Variant::from_build_options`: var options with a non-empty default, valued from `options`. */
function variantFromBuildOptions(buildOptions: BuildOption[], options: Record<string, string>): SpkVariant {
  const opts: Record<string, string> = {};
  for (const o of buildOptions) {
    if (o.kind !== 'var' || o.default === '') continue;
    opts[o.var] = options[o.var] ?? o.default;
  }
  return { index: 0, options: opts, additional: [] };
}

function pkgOptionRequestText(opt: PkgOption, value: string): string {
  let comps = '';
  const sorted = sortComponents(opt.components);
  if (sorted.length === 1) comps = `:${sorted[0]}`;
  else if (sorted.length > 1) comps = `:{${sorted.join(',')}}`;
  return value === '' ? `${opt.pkg}${comps}` : `${opt.pkg}${comps}/${value}`;
}

function buildRequirements(
  rec: Record<string, unknown>,
  name: string,
  cliOptions: Record<string, string>,
  hostOptions: Record<string, string> | false,
  warnings: string[],
): { requirements: Requirement[]; variants: Array<Record<string, string>> } {
  const build = asRecord(rec.build) ?? {};
  const rawOptions = asList(build.options, 'build.options');
  const buildOptions: BuildOption[] = rawOptions.map((o, i) => {
    try {
      return parseBuildOption(o as Record<string, unknown>);
    } catch (e) {
      throw new SpkError('recipe', `build.options[${i}]: ${e instanceof SpkError ? e.message : String(e)}`);
    }
  });
  // The default as WRITTEN (`pkg: zlib/1.2` → "1.2"); option.ts keeps spk's normalized form
  // ("1.2.0"), which is equivalent but would not read like the recipe in `request`.
  const writtenDefault = new Map<BuildOption, string>();
  rawOptions.forEach((o, i) => {
    const m = asRecord(o) ?? {};
    const opt = buildOptions[i];
    if (opt.kind !== 'pkg') return;
    const pkgKey = Object.keys(m).find((k) => k.toLowerCase() === 'pkg');
    const defKey = Object.keys(m).find((k) => k.toLowerCase() === 'default');
    const pkgText = pkgKey ? str(m[pkgKey]) : '';
    const slash = pkgText.indexOf('/');
    if (slash >= 0) writtenDefault.set(opt, pkgText.slice(slash + 1));
    else if (defKey) writtenDefault.set(opt, str(m[defKey]));
  });
  const declared = asList(build.variants, 'build.variants');
  let variants: SpkVariant[];
  if (declared.length === 0) variants = [variantFromBuildOptions(buildOptions, cliOptions)];
  else {
    variants = declared.map((spec, i) => {
      const m = asRecord(spec);
      if (!m) throw new SpkError('recipe', `build.variants[${i}] must be a mapping`);
      try {
        return variantFromSpec(i, m, buildOptions);
      } catch (e) {
        throw new SpkError('recipe', `build.variants[${i}]: ${e instanceof SpkError ? e.reason : String(e)}`);
      }
    });
  }

  // flags/variant.rs: default variants whose options contradict a host option are skipped;
  // then variants equal after `with_overrides(options)` are duplicates.
  const enabled: SpkVariant[] = [];
  const seen = new Set<string>();
  for (const v of variants) {
    if (hostOptions) {
      const mismatched = Object.keys(v.options).filter((k) => k in hostOptions && hostOptions[k] !== v.options[k]);
      if (mismatched.length > 0) {
        warnings.push(
          `variant ${v.index} skipped on this host: ${mismatched.map((k) => `${k}=${v.options[k]} (host ${hostOptions[k]})`).join(', ')}`,
        );
        continue;
      }
    }
    const overridden = { ...v.options, ...cliOptions };
    const key = JSON.stringify([Object.entries(overridden).sort(), v.additional.map((a) => [a.name, a.components, a.range])]);
    if (seen.has(key)) {
      warnings.push(`variant ${v.index} is a duplicate of an earlier variant and is not built`);
      continue;
    }
    seen.add(key);
    enabled.push(v);
  }

  const merged = new Map<string, Requirement>();
  for (const v of enabled) {
    const given = { ...v.options, ...cliOptions };
    // opts_for_variant: build options, then additional requirements as new options or merged
    // into an existing pkg option (components extended, default replaced).
    const opts: Array<{ opt: BuildOption; source: string }> = buildOptions.map((o) => ({ opt: o, source: 'build.options' }));
    for (const a of v.additional) {
      const existing = opts.find((x) => (x.opt.kind === 'pkg' ? x.opt.pkg : x.opt.var) === a.name);
      if (!existing) {
        opts.push({
          opt: parseBuildOption({ pkg: a.components.length ? `${a.name}:{${a.components.join(',')}}/${a.range}` : `${a.name}/${a.range}` }),
          source: `build.variants[${v.index}]`,
        });
        continue;
      }
      if (existing.opt.kind === 'pkg') {
        const copy = Object.assign(Object.create(Object.getPrototypeOf(existing.opt)), existing.opt) as PkgOption;
        copy.components = sortComponents(new Set([...copy.components, ...a.components]));
        copy.default = a.range;
        existing.opt = copy;
      }
    }
    for (const { opt, source } of opts) {
      if (opt.kind !== 'pkg') continue;
      const givenValue = given[`${name}.${opt.pkg}`] ?? given[opt.pkg];
      let value = optionValue(opt, givenValue) ?? '';
      if (opt.static === undefined && givenValue === undefined && writtenDefault.has(opt)) value = writtenDefault.get(opt)!;
      const text = pkgOptionRequestText(opt, value);
      let ident;
      try {
        ident = parseRangeIdent(text);
      } catch (e) {
        throw new SpkError('recipe', `${source}: invalid value '${value}' for option '${opt.pkg}': ${e instanceof SpkError ? e.reason : String(e)}`);
      }
      const components = ident.components.length ? ident.components : ['build'];
      const req = requirement('build', ident, text, source, {
        components,
        prereleasePolicy: opt.prereleasePolicy ?? 'ExcludeAll',
        include: 'Always',
      });
      const key = JSON.stringify([req.source, req.request, req.components, req.prereleasePolicy]);
      const prev = merged.get(key);
      if (prev) prev.variants!.push(v.index);
      else merged.set(key, { ...req, variants: [v.index] });
    }
  }
  return { requirements: [...merged.values()], variants: enabled.map((v) => ({ ...v.options })) };
}

// ------------------------------------------------------------------------------------------
// Per-kind extraction


function extractSources(rec: Record<string, unknown>, recipeAbsDir: string, root: string): RecipeVersion['sources'] {
  const out: RecipeVersion['sources'] = { paths: [], excludes: [], remote: [] };
  const rel = (p: string) => toPosix(path.relative(root, path.resolve(recipeAbsDir, p))) || '.';
  const list = rec.sources === undefined || rec.sources === null ? [{ path: '.' }] : asList(rec.sources, 'sources');
  for (const s of list) {
    const m = asRecord(s);
    if (!m) continue;
    if (m.path !== undefined) {
      out.paths.push(rel(str(m.path)));
      // spk LocalSource default exclude is [".git/", ".svn/"] when none is given.
      const ex = m.exclude === undefined ? ['.git/', '.svn/'] : asList(m.exclude, 'sources[].exclude').map(str);
      out.excludes.push(...ex);
    } else if (m.git !== undefined) {
      out.remote.push(m.ref !== undefined ? `${str(m.git)}@${str(m.ref)}` : str(m.git));
    } else if (m.tar !== undefined) {
      const t = str(m.tar);
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) out.remote.push(t);
      else out.paths.push(rel(t));
    }
  }
  out.excludes = [...new Set(out.excludes)];
  return out;
}

function embeddedProvides(list: unknown, where: string): Array<{ name: string; version?: string }> {
  const out: Array<{ name: string; version?: string }> = [];
  for (const e of asList(list, where)) {
    const pkg = str(asRecord(e)?.pkg);
    if (pkg === '') continue;
    const slash = pkg.indexOf('/');
    const name = slash < 0 ? pkg : pkg.slice(0, slash);
    out.push(slash < 0 ? { name } : { name, version: pkg.slice(slash + 1) });
  }
  return out;
}

function extractPackage(
  rec: Record<string, unknown>,
  name: string,
  cliOptions: Record<string, string>,
  hostOptions: Record<string, string> | false,
  base: Omit<RecipeVersion, 'requirements' | 'provides' | 'sources' | 'tests' | 'variants' | 'compat'>,
  recipeAbsDir: string,
  root: string,
): RecipeVersion {
  const warnings = base.warnings;
  const { requirements: buildReqs, variants } = buildRequirements(rec, name, cliOptions, hostOptions, warnings);
  const requirements: Requirement[] = [...buildReqs];
  const install = asRecord(rec.install) ?? {};
  requirements.push(...requestList(install.requirements, 'install.requirements', 'runtime'));
  const provides = embeddedProvides(install.embedded, 'install.embedded');
  asList(install.components, 'install.components').forEach((c, i) => {
    const m = asRecord(c) ?? {};
    const cname = str(m.name) || String(i);
    requirements.push(...requestList(m.requirements, `install.components[${cname}].requirements`, 'runtime'));
    provides.push(...embeddedProvides(m.embedded, `install.components[${cname}].embedded`));
  });
  const tests: RecipeVersion['tests'] = [];
  asList(rec.tests, 'tests').forEach((t, i) => {
    const m = asRecord(t) ?? {};
    const stage = str(m.stage);
    if (stage !== 'sources' && stage !== 'build' && stage !== 'install') {
      throw new SpkError('recipe', `tests[${i}]: invalid stage '${stage}' (expected sources, build or install)`);
    }
    tests.push({ index: i, stage });
    requirements.push(...requestList(m.requirements, `tests[${i}]`, 'test', { stage }));
  });
  return {
    ...base,
    compat: rec.compat === undefined || rec.compat === null ? DEFAULT_COMPAT.toString() : str(rec.compat),
    requirements,
    provides,
    sources: extractSources(rec, recipeAbsDir, root),
    tests,
    variants,
  };
}

function baseRequirements(baseField: unknown, list: boolean): Requirement[] {
  const entries = list ? asList(baseField, 'base') : baseField === undefined || baseField === null ? [] : [baseField];
  return entries.map((b, i) => {
    const text = str(b);
    let ident;
    try {
      ident = parseRangeIdent(text);
    } catch (e) {
      throw new SpkError('recipe', `base${list ? `[${i}]` : ''}: ${e instanceof SpkError ? e.reason : String(e)}`);
    }
    return requirement('platform-base', ident, text, 'base');
  });
}

function extractV0Platform(rec: Record<string, unknown>, warnings: string[], pins: PinStatement[]): Requirement[] {
  const reqs = baseRequirements(rec.base, false);
  const r = rec.requirements;
  let add: unknown = r;
  if (asRecord(r)) {
    const m = asRecord(r)!;
    add = m.add;
    asList(m.remove, 'requirements.remove').forEach((rem, i) => {
      const n = str(asRecord(rem)?.pkg ?? asRecord(rem)?.var ?? rem);
      if (asRecord(rem)?.var === undefined) {
        const st = pinStatementOf(n, false, `requirements.remove[${i}]`);
        if (st) pins.push(st);
      }
      warnings.push(`requirements.remove: '${n}' removes a constraint inherited from the base (no dependency edge)`);
    });
  }
  for (const q of requestList(add, 'requirements', 'runtime')) {
    // v0/platform.rs process_add: every added pkg request becomes IfAlreadyPresent.
    reqs.push({ ...q, role: 'soft', include: 'IfAlreadyPresent', phase: 'runtime' });
  }
  asList(add, 'requirements').forEach((item, i) => {
    const m = asRecord(item);
    const text = typeof item === 'string' ? item : m && m.pkg !== undefined ? str(m.pkg) : undefined;
    if (text === undefined) return; // a var request
    const st = pinStatementOf(text, undefined, `requirements[${i}]`);
    if (st) pins.push(st);
  });
  return reqs;
}

function extractV1Platform(rec: Record<string, unknown>, warnings: string[], pins: PinStatement[]): Requirement[] {
  const reqs = baseRequirements(rec.base, true);
  asList(rec.requirements, 'requirements').forEach((item, i) => {
    const m = asRecord(item);
    if (!m) throw new SpkError('recipe', `requirements[${i}] must be a mapping with 'pkg' or 'var'`);
    for (const k of Object.keys(m)) {
      // v1/platform.rs PlatformPkgRequirement: deny_unknown_fields
      if (!['pkg', 'var', 'atBuild', 'atRuntime'].includes(k)) {
        throw new SpkError('recipe', `requirements[${i}]: unknown field '${k}' (expected pkg, var, atBuild, atRuntime)`);
      }
    }
    if (m.var !== undefined) return;
    const ident = parseRangeIdent(str(m.pkg));
    const pin = pinStatementOf(str(m.pkg), m.atBuild, `requirements[${i}]`);
    if (pin) pins.push(pin);
    for (const [field, phase] of [
      ['atBuild', 'build'],
      ['atRuntime', 'runtime'],
    ] as const) {
      const v = m[field];
      if (v === undefined) continue; // inherited value kept: nothing from this platform
      if (v === false) {
        // `false` REMOVES the constraint inherited from a base for this phase. It is kept as a
        // soft requirement with the range text 'false' so the resolver can cancel the inherited
        // constraint (src/graph/resolve.ts platformConstraints); it never creates an edge.
        reqs.push({
          role: 'soft',
          pkg: ident.name,
          request: `${ident.name} (${field}: false)`,
          range: 'false',
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

// ------------------------------------------------------------------------------------------
// Loading

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function problemFrom(e: unknown, file: string, version?: string): RecipeProblem {
  const p: RecipeProblem = { file, message: String((e as Error)?.message ?? e) };
  if (e instanceof SpkError) {
    // File and line travel as fields; the message is the rest (reason and input).
    p.message = e.detail;
    if (e.line !== undefined) p.line = e.line;
  }
  if (version !== undefined) p.version = version;
  return p;
}

/**
 * Renders and reads one recipe file's text for each version (`[]` = once, without a version
 * option). Never throws for user input: each failure is one problem naming the file (and line).
 */
export function loadRecipeText(text: string, file: string, versions: Version[], opts: LoadRecipeOptions): LoadRecipeResult {
  const problems: RecipeProblem[] = [];
  const recipeVersions: RecipeVersion[] = [];
  let name: string;
  let kind: RecipeKind;
  let rawParsed: RawYaml;
  try {
    // The raw (unrendered) text is parsed once, for the api and the name (SpecTemplate::from_file).
    rawParsed = parseRawYaml(text, file);
    // v0/requirements first: not a problem, just not buildable.
    const raw = asRecord(rawParsed.data);
    if (raw && raw.api === 'v0/requirements') {
      return { recipeVersions, problems, notes: [`${file}: v0/requirements file (a request list) is not buildable; skipped`] };
    }
    ({ name, kind } = recipeNameOf(rawParsed, file));
  } catch (e) {
    problems.push(problemFrom(e, file));
    return { recipeVersions, problems };
  }
  if (kind === 'v1/platform') {
    // spk HEAD cannot load v1/platform from a file (ApiVersion lacks it; PR #1370) — read it anyway.
  }
  const absPath = path.resolve((opts.reader ?? nodeReader).cwd(), opts.workspaceRoot, file);
  const recipeAbsDir = path.dirname(absPath);
  const templated = /\bopt\s*\.\s*version\b|\bopt\s*\[\s*["']version["']\s*\]/.test(text);
  const targets: Array<Version | undefined> = versions.length === 0 ? [undefined] : versions;
  // Without a listed version, the version a failure belongs to is the raw `pkg: name/version`,
  // when it is literal text (not templated).
  let rawVersion: string | undefined;
  if (versions.length === 0) {
    const rawIdent = asRecord(rawParsed.data)?.[kind === 'v0/package' ? 'pkg' : 'platform'];
    const slash = typeof rawIdent === 'string' ? rawIdent.indexOf('/') : -1;
    if (slash >= 0 && !/[{}]/.test(rawIdent as string)) {
      try {
        rawVersion = parseVersion((rawIdent as string).slice(slash + 1)).toString();
      } catch {
        rawVersion = undefined;
      }
    }
  }
  const parseCache: TemplateParseCache = {};
  for (const target of targets) {
    const vText = target?.toString();
    let renderedDoc: { parsed: ParsedYaml; rendered: string } | undefined;
    try {
      const cliOptions: Record<string, string> = { ...(opts.options ?? {}) };
      if (target !== undefined) cliOptions.version = target.toAltString();
      const options: Record<string, string> = { ...(opts.hostOptions || {}), ...cliOptions };
      const rendered = renderTemplate(text, { options, env: opts.env, file, parseCache });
      const parsed = parseRenderedYaml(rendered, rawParsed, file);
      const { data } = parsed;
      renderedDoc = { parsed, rendered };
      const rec = asRecord(data);
      if (!rec) throw new SpkError('recipe', 'the rendered recipe is not a YAML mapping', { file });
      const field = kind === 'v0/package' ? 'pkg' : 'platform';
      const identText = str(rec[field]);
      const slash = identText.indexOf('/');
      const renderedName = slash < 0 ? identText : identText.slice(0, slash);
      if (renderedName !== name) {
        throw new SpkError('recipe', `rendered ${field} '${identText}' does not name '${name}'`, { file });
      }
      let version: Version;
      try {
        version = parseVersion(slash < 0 ? '' : identText.slice(slash + 1));
      } catch (e) {
        throw new SpkError('recipe', `invalid version in ${field} '${identText}': ${e instanceof SpkError ? e.reason : String(e)}`, { file });
      }
      if (target !== undefined && !version.equals(target)) {
        throw new SpkError(
          'recipe',
          `pkg mismatch: the workspace lists version ${target.toString()} but the rendered recipe is ${name}/${version.toString()}` +
            (templated ? '' : ' (the recipe does not use opt.version)'),
          { file },
        );
      }
      const warnings: string[] = [];
      const meta = asRecord(rec.meta);
      const base = {
        file,
        name,
        version,
        kind,
        templated,
        ...(meta?.description !== undefined && meta.description !== null ? { description: str(meta.description) } : {}),
        warnings,
      };
      const hostCli = { ...(opts.hostOptions || {}), ...cliOptions };
      if (kind === 'v0/package') {
        recipeVersions.push(extractPackage(rec, name, hostCli, opts.hostOptions, base, recipeAbsDir, opts.workspaceRoot));
      } else {
        const pins: PinStatement[] = [];
        const requirements = kind === 'v0/platform' ? extractV0Platform(rec, warnings, pins) : extractV1Platform(rec, warnings, pins);
        recipeVersions.push({
          ...base,
          compat: rec.compat === undefined || rec.compat === null ? DEFAULT_COMPAT.toString() : str(rec.compat),
          requirements,
          provides: [],
          // platforms have no sources and no build script
          sources: { paths: [], excludes: [], remote: [] },
          tests: [],
          variants: [{}],
          pins,
        });
      }
    } catch (e) {
      let err = e instanceof SpkError && !e.file ? e.inFile(file) : e;
      // Messages start with where in the recipe (`install.requirements[0]: …`); name that line
      // too, when the rendered text still lines up with the file (templates may add/remove lines).
      if (err instanceof SpkError && err.line === undefined && renderedDoc && lineCount(renderedDoc.rendered) === rawParsed.lines.length) {
        const line = lineOfMessagePath(err.reason, renderedDoc.parsed);
        if (line !== undefined) err = err.inFile(file, line);
      }
      problems.push({ ...problemFrom(err, file, vText ?? rawVersion), name });
    }
  }
  return { recipeVersions, problems };
}

/** Reads the file, then `loadRecipeText`. An unreadable file is one problem. */
export function loadRecipeFile(absPath: string, versions: Version[], opts: LoadRecipeOptions): LoadRecipeResult {
  const file = toPosix(path.relative(opts.workspaceRoot, absPath));
  let text: string;
  try {
    text = (opts.reader ?? nodeReader).readText(absPath);
  } catch (e) {
    return { recipeVersions: [], problems: [{ file, message: `cannot read recipe file: ${(e as Error).message}` }] };
  }
  return loadRecipeText(text, file, versions, opts);
}
