/** Public surface of the document model (pure TypeScript: runs in the browser, in Node tests and the CLI). */
export * from './types.ts';
export * from './messages.ts';
export * from './params.ts';
export * from './shape-math.ts';
export * from './layer-spec.ts';
export { LAYERS, LAYER_KINDS, layerSpec, isLayerKind } from './layers/index.ts';
export * from './topology.ts';
export * from './infer.ts';
export * from './keras-topology.ts';
export * from './file-format.ts';
export { DesignBuilder } from './builder.ts';
export { formatCount } from './number-format.ts';
export * from './texts.ts';
export * from './lesson-check.ts';
export * from './edit.ts';
export * from './blocks.ts';
export * from './block-edit.ts';
export * from './locks.ts';
