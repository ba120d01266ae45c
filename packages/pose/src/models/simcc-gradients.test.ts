import * as tf from '@tensorflow/tfjs-core';
import { ParameterRegistry, Rng, selectBackend } from '@ausam/core';
import type { BackendName, ForwardMode } from '@ausam/core';
import { simccKlPerSample } from '../targets/simcc-kl-loss';
import { simccTargetEncoder } from '../targets/target-encoders';
import type { Size } from '../transforms/affine';
import { ConvBn, HeatmapHead } from './layers';
import type { PoseModel } from './pose-model';
import { SimccModel } from './simcc-model';

const inputSize = { width: 32, height: 32 };
const TRAIN: ForwardMode = { training: true, updateStatistics: true };

/** A one-conv network at stride 4 with HRNet's final 1×1 conv to K maps: every layer kind SimCC adds to. */
class TinyHeatmapNetwork implements PoseModel {
  readonly inputSize = inputSize;
  readonly heatmapSize: Size = { width: 8, height: 8 };
  readonly numJoints = 4;
  private readonly stem: ConvBn;
  private readonly head: HeatmapHead;
  constructor(private readonly registry: ParameterRegistry) {
    this.stem = new ConvBn(registry, 'stem', { inChannels: 3, outChannels: 8, kernelSize: 3, stride: 4 }, true);
    // a larger final-conv init than HRNet's 0.001, so the gradients through it are far above float32 noise
    this.head = new HeatmapHead(registry, 'head', 8, 4);
    tf.tidy(() => (this.registry.trainableVariables.at(-2) as tf.Variable).assign(tf.randomNormal([1, 1, 8, 4], 0, 0.3, 'float32', 5)));
  }
  get trainableVariables() {
    return this.registry.trainableVariables;
  }
  get stateVariables() {
    return this.registry.stateVariables;
  }
  forward(images: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    return this.head.apply(this.stem.apply(images, mode));
  }
  parameterCount() {
    return this.registry.parameterCount();
  }
  dispose() {
    this.registry.dispose();
  }
}

/** Loss and gradients of a SimCC model on a fixed batch (training mode), computed on `backend` with the same seeds. */
async function lossAndGradients(backend: BackendName): Promise<{ loss: number; gradients: Float32Array[] }> {
  await selectBackend({ force: backend, log: () => {} });
  const registry = new ParameterRegistry(new Rng(7));
  const model = new SimccModel(new TinyHeatmapNetwork(registry), registry, 2);
  const rng = new Rng(8);
  const samples = Array.from({ length: 3 }, () => ({
    jointsInCrop: Float32Array.from({ length: 8 }, () => 31 * rng.next()),
    visibility: Float32Array.of(1, 1, 0, 1),
  }));
  const weights = new Float32Array(12);
  const { simccX, simccY } = simccTargetEncoder({ inputSize, splitRatio: 2, sigma: 2 }).encodeBatch(samples, 4, weights);
  const targetWeights = tf.tensor2d(weights, [3, 4]);
  const images = tf.randomNormal([3, 32, 32, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
  const { value, grads } = tf.variableGrads(
    () => tf.mean(simccKlPerSample(model.forward(images, TRAIN), simccX, simccY, targetWeights, 1.5)) as tf.Scalar,
    model.trainableVariables as tf.Variable[],
  );
  const result = { loss: value.dataSync()[0], gradients: model.trainableVariables.map((v) => grads[v.name].dataSync() as Float32Array) };
  tf.dispose([value, ...Object.values(grads), simccX, simccY, targetWeights, images]);
  model.dispose();
  return result;
}

describe('SimCC gradients', () => {
  it('on wasm match the cpu backend for every variable (conv, BatchNorm, final 1×1 conv, both classifiers)', async () => {
    const wasm = await lossAndGradients('wasm');
    const cpu = await lossAndGradients('cpu');
    expect(wasm.loss).toBeGreaterThan(0);
    expect(wasm.loss).toBeCloseTo(cpu.loss, 6);
    expect(cpu.gradients).toHaveLength(3 + 2 + 4);
    cpu.gradients.forEach((expected, v) => {
      const scale = Math.max(...Array.from(expected, Math.abs));
      expect(scale).toBeGreaterThan(1e-6);
      const worst = expected.reduce((m, e, i) => Math.max(m, Math.abs(wasm.gradients[v][i] - e)), 0);
      expect(worst / scale).toBeLessThan(1e-4);
    });
  });
});
