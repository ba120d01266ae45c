export { ParameterRegistry, variableName } from './parameter-registry';
export type { Initializer } from './parameter-registry';
export { Conv2d, isDepthwiseFilter } from './conv2d';
export type { Conv2dOptions, ConvInit } from './conv2d';
export { Dense } from './dense';
export type { DenseInit } from './dense';
export { BatchNorm } from './batch-norm';
