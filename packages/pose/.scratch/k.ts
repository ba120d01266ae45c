import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../core/src';
(async () => {
  await selectBackend({ force: 'wasm', log: () => {} });
  for (const k of ['Conv2DBackpropFilter','Conv2DBackpropInput','Conv2DTranspose','Transform','ResizeNearestNeighbor','ResizeNearestNeighborGrad','ResizeBilinear','ResizeBilinearGrad','FusedBatchNorm','Relu','ReluGrad','Mean','Max','ArgMax','Sum','Maximum','Tile','MirrorPad','Pad','Reshape','Concat','Add','Sub','Mul','Square','SquaredDifference','Moments','Rsqrt','Sqrt','Step','Slice','Transpose','GatherV2','DepthwiseConv2dNativeBackpropFilter']) {
    console.log(k, !!tf.getKernel(k,'wasm'));
  }
})();
