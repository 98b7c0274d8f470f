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
 *
 * One module per concern, along spk's own lines (crates/spk-schema/src/{v0,v1}/…):
 * name.ts (kind and name without rendering), requirements.ts (the Requirement constructor and
 * request lists), variants.ts (build options and default variants), v0-package.ts,
 * v0-platform.ts, v1-platform.ts, render.ts (rendering per version and problems), types.ts.
 */
export * from './types';
export { readRecipeName } from './name';
export { loadRecipeText, loadRecipeFile } from './render';
