import type * as tf from '@tensorflow/tfjs-core';

/** tf.customGrad's argument type (tfjs-core does not export it by name). */
export type CustomGradientFunc = Parameters<typeof tf.customGrad>[0];
