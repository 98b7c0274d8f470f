/** The e2e harness: packed plugin, throw-away Nx workspaces, the spk double, the remote cache. */
export * from './paths';
export * from './exec';
export * from './lock';
export * from './pack';
export * from './workspace';
export * from './spk-double';
export * from './remote-cache';
export * from './build-ws';
