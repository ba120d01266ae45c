import * as tf from '@tensorflow/tfjs-core';
import { Rng, selectBackend } from '@ausam/core';
import { buildPoseModel } from '../src/models/build-model';
import { hrnetSmall } from '../src/models/hrnet';
import { jointsMsePerSample } from '../src/targets/joints-mse';
(async () => {
  await selectBackend({ force: 'wasm', log: () => {} });
  const model = buildPoseModel(hrnetSmall(16), new Rng(0));
  const x = tf.randomNormal([32, 64, 64, 3]) as tf.Tensor4D;
  const t = tf.zeros([32, 16, 16, 16]) as tf.Tensor4D;
  const w = tf.ones([32, 16]) as tf.Tensor2D;
  const step = () => {
    const { value, grads } = tf.variableGrads(() => tf.mean(jointsMsePerSample(model.forward(x, { training: true, updateStatistics: true }), t, w)) as tf.Scalar, model.trainableVariables as tf.Variable[]);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  step();
  const info = await tf.profile(step);
  const byName = new Map<string, { ms: number; n: number }>();
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const e = byName.get(k.name) ?? { ms: 0, n: 0 };
    e.ms += ms; e.n++;
    byName.set(k.name, e);
  }
  console.log([...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15).map(([n, e]) => `${n} ${e.ms.toFixed(0)}ms x${e.n}`).join('\n'));
})();
