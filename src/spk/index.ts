/**
 * `nx-spk/spk`: a pure TypeScript model of spk's versions, ranges, compat rules,
 * requests, templates, recipes and workspaces. No Nx imports live under src/spk.
 */
export * from './errors';
