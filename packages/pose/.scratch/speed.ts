import * as tf from '@tensorflow/tfjs-core';
import { Rng, selectBackend } from '@ausam/core';
import { buildPoseModel } from '../src/models/build-model';
import { hrnetSmall } from '../src/models/hrnet';
import { simpleBaselineSmall } from '../src/models/simple-baseline';
import { jointsMsePerSample } from '../src/targets/joints-mse';
(async () => {
  await selectBackend({ force: 'wasm', log: () => {} });
  const configs: [string, any][] = [
    ['hrnetSmall', hrnetSmall(16)],
    ['hrnetSmall-3stage', { ...hrnetSmall(16), stages: hrnetSmall(16).stages.slice(0, 2) }],
    ['sbSmall', simpleBaselineSmall(16)],
  ];
  for (const [name, config] of configs) {
    const model = buildPoseModel(config, new Rng(0));
    const x = tf.randomNormal([32, 64, 64, 3]) as tf.Tensor4D;
    const t = tf.zeros([32, 16, 16, 16]) as tf.Tensor4D;
    const w = tf.ones([32, 16]) as tf.Tensor2D;
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.mean(jointsMsePerSample(model.forward(x, { training: true, updateStatistics: true }), t, w)) as tf.Scalar, model.trainableVariables as tf.Variable[]);
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) step();
    const fb = (Date.now() - t0) / 3;
    const t1 = Date.now();
    for (let i = 0; i < 3; i++) tf.tidy(() => model.forward(x, { training: false, updateStatistics: false }).dataSync());
    console.log(name, 'params', model.parameterCount(), 'fwd+bwd ms/batch32', fb.toFixed(0), 'fwd eval', ((Date.now() - t1) / 3).toFixed(0));
    model.dispose();
  }
})();
