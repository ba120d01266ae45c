import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../core/src';
(async () => {
  await selectBackend({ force: 'wasm', log: () => {} });
  for (const k of ['MaxPool','MaxPoolGrad','Multiply','PadV2','Exp','Sign','FusedConv2D']) console.log(k, !!tf.getKernel(k,'wasm'));
})();
