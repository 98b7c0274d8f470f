/**
 * nx-spk: Nx plugin entry point. Nx loads `createNodes` / `createDependencies` from here.
 */
export * from './plugin';
