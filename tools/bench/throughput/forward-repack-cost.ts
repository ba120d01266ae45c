/**
 * What re-packing the forward convolution's filter costs in a SAM step of `resnet-small` (batch
 * 128, 28×28×1, one wasm thread). tfjs-backend-wasm's Conv2D caches its XNNPACK operator (with the
 * packed filter) per filter tensor; a training step's weights are new tensors, so each forward conv
 * creates and packs anew. One pass runs every forward conv of the model once:
 *   A: with the same filter tensors every pass (cached operators, no packing);
 *   B: with filter tensors not seen before (distinct data, made before timing).
 * A and B alternate; per pair the script prints B − A (the packing cost of one forward pass), and
 * at the end the mean time of a SAM step (2 forward passes) on the same batch, for scale.
 *   npx tsx tools/bench/throughput/forward-repack-cost.ts [pairs=8]
 */
import * as tf from '@tensorflow/tfjs-core';
import { buildMethod, selectBackend } from '@ausam/core';
import { ClassificationTask, createModel } from '@ausam/classification';
import { randomClassificationBatch } from './random-batch';

interface Layer {
  readonly x: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly stride: number;
  readonly pad: number | 'valid';
}

/** resnet-small's convs at batch 128 on 28×28×1 (3×3 padded 1, 1×1 'valid' shortcuts). */
const LAYERS: Layer[] = [
  { x: [128, 28, 28, 1], filter: [3, 3, 1, 16], stride: 1, pad: 1 },
  { x: [128, 28, 28, 16], filter: [3, 3, 16, 16], stride: 2, pad: 1 },
  { x: [128, 28, 28, 16], filter: [1, 1, 16, 16], stride: 2, pad: 'valid' },
  { x: [128, 14, 14, 16], filter: [3, 3, 16, 16], stride: 1, pad: 1 },
  { x: [128, 14, 14, 16], filter: [3, 3, 16, 32], stride: 2, pad: 1 },
  { x: [128, 14, 14, 16], filter: [1, 1, 16, 32], stride: 2, pad: 'valid' },
  { x: [128, 7, 7, 32], filter: [3, 3, 32, 32], stride: 1, pad: 1 },
  { x: [128, 7, 7, 32], filter: [3, 3, 32, 64], stride: 2, pad: 1 },
  { x: [128, 7, 7, 32], filter: [1, 1, 32, 64], stride: 2, pad: 'valid' },
  { x: [128, 4, 4, 64], filter: [3, 3, 64, 64], stride: 1, pad: 1 },
];

function seconds(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function pass(inputs: readonly tf.Tensor4D[], filters: readonly tf.Tensor4D[]): void {
  LAYERS.forEach((layer, i) => tf.conv2d(inputs[i]!, filters[i]!, layer.stride, layer.pad).dispose());
}

async function main(): Promise<void> {
  const pairs = Number(process.argv[2] ?? 8);
  await selectBackend({ force: 'wasm', threads: 1 });
  const inputs = LAYERS.map((l) => tf.randomNormal(l.x, 0, 1, 'float32', 1) as tf.Tensor4D);
  const fixed = LAYERS.map((l) => tf.randomNormal(l.filter, 0, 0.1, 'float32', 2) as tf.Tensor4D);
  const fresh = Array.from({ length: pairs + 1 }, (_, p) => LAYERS.map((l) => tf.randomNormal(l.filter, 0, 0.1, 'float32', 3 + p) as tf.Tensor4D));
  pass(inputs, fixed);
  pass(inputs, fresh[pairs]!);
  const costs: number[] = [];
  const rows: string[] = [];
  for (let p = 0; p < pairs; p++) {
    const a = seconds(() => pass(inputs, fixed));
    const b = seconds(() => pass(inputs, fresh[p]!));
    costs.push(b - a);
    rows.push(`${(1000 * a).toFixed(1)}/${(1000 * b).toFixed(1)}`);
  }
  const sorted = [...costs].sort((p, q) => p - q);
  console.log(`forward pass ms, cached/fresh filters: ${rows.join(' ')}`);
  console.log(`packing cost per forward pass: median ${(1000 * sorted[Math.floor(pairs / 2)]!).toFixed(1)} ms`);
  tf.dispose([...inputs, ...fixed, ...fresh.flat()]);

  const task = new ClassificationTask(createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 1 }));
  const batch = randomClassificationBatch(128, { height: 28, width: 28, channels: 1 });
  const { optimizer } = buildMethod({ method: 'sam', rho: 0.05 }, 128, 1);
  optimizer.step({ task, batch, learningRate: 0.05 });
  const steps = 4;
  const stepTime = seconds(() => {
    for (let i = 0; i < steps; i++) optimizer.step({ task, batch, learningRate: 0.05 });
  }) / steps;
  console.log(`SAM step (2 forward passes): ${(1000 * stepTime).toFixed(1)} ms; packing share ≈ ${((200 * sorted[Math.floor(pairs / 2)]!) / stepTime).toFixed(1)} %`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
