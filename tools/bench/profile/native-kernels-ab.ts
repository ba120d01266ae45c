/**
 * SAM steps of `resnet-small` (batch 128, random images, one wasm thread) with core's native wasm
 * kernels on and off, in alternating rounds in one process: the paired measure of what the native
 * kernels give a whole step. Variants:
 * - `native`: every native kernel on (the default);
 * - `composed`: the native filter- and input-gradient kernels off (the XNNPACK compositions).
 * (A native batch-norm kernel was measured the same way on branch `experiment/native-batch-norm`:
 * 1 %, within noise, so it was not merged.)
 * Prints each variant's process CPU ms per step, median and every round (5 steps each, after 2
 * untimed ones).
 *
 *   AUSAM_WASM_THREADS=1 npx tsx tools/bench/profile/native-kernels-ab.ts [--rounds 5] [--variants native,composed]
 */
import * as tf from '@tensorflow/tfjs-core';
import { Sam, selectBackend, Sgd } from '@ausam/core';
import { ClassificationTask, createModel } from '@ausam/classification';
import { randomClassificationBatch } from '../throughput/random-batch';
import { THROUGHPUT_MODELS } from '../throughput/throughput-arguments';
import { useNativeFilterGradient, useNativeInputGradient } from '@ausam/core/internal';

const VARIANTS: Record<string, { convolutions: boolean }> = {
  native: { convolutions: true },
  composed: { convolutions: false },
};

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : (process.argv[i + 1] ?? '');
}

async function main(): Promise<void> {
  const rounds = Number(option('rounds', '5'));
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds: expected a positive integer, found '${option('rounds', '5')}'`);
  const names = option('variants', Object.keys(VARIANTS).join(',')).split(',');
  for (const name of names) if (!(name in VARIANTS)) throw new Error(`--variants: expected some of ${Object.keys(VARIANTS).join(', ')}, found '${name}'`);
  await selectBackend({ force: 'wasm', log: () => {} });
  const shape = THROUGHPUT_MODELS['resnet-small'];
  const task = new ClassificationTask(createModel('resnet-small', { numClasses: 10, inputChannels: shape.channels, seed: 1 }));
  const batch = randomClassificationBatch(128, shape);
  const sam = new Sam(new Sgd({ momentum: 0.9 }), { rho: 0.05 });
  const step = () => void sam.step({ task, batch, learningRate: 0.01 });
  const times = new Map<string, number[]>(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const { convolutions } = VARIANTS[name]!;
      useNativeFilterGradient(convolutions);
      useNativeInputGradient(convolutions);
      step();
      step();
      const start = process.cpuUsage();
      for (let i = 0; i < 5; i++) step();
      const used = process.cpuUsage(start);
      times.get(name)!.push((used.user + used.system) / 5000);
    }
    console.error(`[native-kernels-ab] round ${round + 1}/${rounds}`);
  }
  console.log('| variant | SAM step CPU ms, median | images/s | every round |');
  console.log('|---|---:|---:|---|');
  for (const [name, values] of times) {
    const median = [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    console.log(`| ${name} | ${median.toFixed(1)} | ${(128_000 / median).toFixed(0)} | ${values.map((v) => v.toFixed(1)).join(', ')} |`);
  }
  console.log(`\n${tf.getBackend()}, 1 wasm thread, ${rounds} rounds of 5 steps per variant.`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
