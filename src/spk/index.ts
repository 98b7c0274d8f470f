/**
 * `nx-spk/spk`: a pure TypeScript model of spk's versions, ranges, compat rules,
 * requests, build options, templates, recipes and workspaces, plus safe argv builders for the
 * spk CLI. No Nx imports live under src/spk, and no process control: the spk process runner is
 * executors/shared/spk-process.ts (`nx-spk/process`). Files, the working directory and the host platform are
 * read only through the injected `SpkReader` (reader.ts, the one seam; `nodeReader` is the
 * default). Documented in README ("The nx-spk/spk API").
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
export * from './reader';
export * from './posix';
