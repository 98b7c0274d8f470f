/**
 * `nx-spk/spk`: a pure TypeScript model of spk's versions, ranges, compat rules,
 * requests, build options, templates, recipes and workspaces, plus a safe wrapper of the
 * spk CLI. No Nx imports live under src/spk. Documented in README ("The nx-spk/spk API").
 */
export * from './errors';
export * from './version';
export * from './compat';
export * from './range';
export * from './name';
export * from './request';
export * from './option';
export * from './host';
export * from './template';
export * from './glob';
export * from './workspace';
export * from './recipe';
export * from './cli';
export * from './yaml-limits';
export * from './platform';
