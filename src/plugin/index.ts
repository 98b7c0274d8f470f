export { createNodes, createNodesV2, SPK_RECIPE_GLOB } from './create-nodes';
export type { NxSpkPluginOptions } from './options';
export type { SpkProjectFacts, SpkProjectMetadata } from './workspace-graph';
