export { createNodes, createNodesV2, SPK_RECIPE_GLOB } from './create-nodes';
export { createDependencies } from './create-dependencies';
export type { NxSpkPluginOptions } from './options';
export type { SpkProjectMetadata } from './workspace-graph';
