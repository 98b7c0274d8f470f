/**
 * nx-spk: Nx plugin entry point. Nx loads `createNodes` from here (edges travel as each project's `implicitDependencies`).
 */
export * from './plugin';
