/**
 * Build options and default variants → build requirements (`Variant::from_spec`,
 * crates/spk-schema/src/v0/variant.rs; `RecipeBuildSpec::opts_for_variant`, `PkgOpt::get_value`).
 */
import { SpkError, type KeyPath } from '../errors';
import { isVersionRange } from '../range';
import { isValidPkgName } from '../name';
import { parseRangeIdent, sortComponents } from '../request';
import { parseBuildOption, optionValue, type BuildOption, type PkgOption } from '../option';
import { requirement } from './requirements';
import { type Requirement } from './types';
import { asList, asRecord, str } from './values';
import { stringifiedAt } from '../yaml-number';

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

/** spk `Stringified` (v0/variant_spec.rs): a plain number as Rust formats it (`3.10` → "3.1"). */
function variantValueString(spec: Record<string, unknown>, key: string): string {
  const text = stringifiedAt(spec, key);
  if (text !== undefined) return text;
  const v = spec[key];
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
  for (const key of Object.keys(spec)) {
    const value = variantValueString(spec, key);
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

export function buildRequirements(
  rec: Record<string, unknown>,
  name: string,
  cliOptions: Record<string, string>,
  hostOptions: Record<string, string> | false,
  warnings: string[],
): { requirements: Requirement[]; variants: Array<Record<string, string>> } {
  const build = asRecord(rec.build) ?? {};
  const rawOptions = asList(build.options, ['build', 'options']);
  const buildOptions: BuildOption[] = rawOptions.map((o, i) => {
    try {
      return parseBuildOption(o as Record<string, unknown>);
    } catch (e) {
      throw new SpkError('recipe', `build.options[${i}]: ${e instanceof SpkError ? e.message : String(e)}`, { path: ['build', 'options', i] });
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
    // `default:` is `Stringified` (option.rs): `3.10` is written "3.1" to spk.
    else if (defKey) writtenDefault.set(opt, stringifiedAt(m, defKey) ?? str(m[defKey]));
  });
  const declared = asList(build.variants, ['build', 'variants']);
  let variants: SpkVariant[];
  if (declared.length === 0) variants = [variantFromBuildOptions(buildOptions, cliOptions)];
  else {
    variants = declared.map((spec, i) => {
      const m = asRecord(spec);
      if (!m) throw new SpkError('recipe', `build.variants[${i}] must be a mapping`, { path: ['build', 'variants', i] });
      try {
        return variantFromSpec(i, m, buildOptions);
      } catch (e) {
        throw new SpkError('recipe', `build.variants[${i}]: ${e instanceof SpkError ? e.reason : String(e)}`, { path: ['build', 'variants', i] });
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
    const opts: Array<{ opt: BuildOption; source: string; at: KeyPath }> = buildOptions.map((o, i) => ({
      opt: o,
      source: 'build.options',
      at: ['build', 'options', i],
    }));
    for (const a of v.additional) {
      const existing = opts.find((x) => (x.opt.kind === 'pkg' ? x.opt.pkg : x.opt.var) === a.name);
      if (!existing) {
        opts.push({
          opt: parseBuildOption({ pkg: a.components.length ? `${a.name}:{${a.components.join(',')}}/${a.range}` : `${a.name}/${a.range}` }),
          source: `build.variants[${v.index}]`,
          at: ['build', 'variants', v.index],
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
    for (const { opt, source, at } of opts) {
      if (opt.kind !== 'pkg') continue;
      const givenValue = given[`${name}.${opt.pkg}`] ?? given[opt.pkg];
      let value = optionValue(opt, givenValue) ?? '';
      if (opt.static === undefined && givenValue === undefined && writtenDefault.has(opt)) value = writtenDefault.get(opt)!;
      const text = pkgOptionRequestText(opt, value);
      let ident;
      try {
        ident = parseRangeIdent(text);
      } catch (e) {
        throw new SpkError('recipe', `${source}: invalid value '${value}' for option '${opt.pkg}': ${e instanceof SpkError ? e.reason : String(e)}`, {
          path: at,
        });
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
