import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// Registers tfjs' gradient functions (through `@tensorflow/tfjs`), as core's index does.
import '../register-gradients';
import { registerWasmTrainingKernels } from './index';

// tfjs' own leak check: every kernel call must add exactly its outputs' buffers (IS_TEST turns it on).
tf.env().set('IS_TEST', true);

/** Backends the kernel tests compare. */
export type TestBackend = 'cpu' | 'wasm';

/** Activates `name` (registering core's wasm kernels first). */
export async function useBackend(name: TestBackend): Promise<void> {
  registerWasmTrainingKernels();
  if (tf.getBackend() !== name) {
    if (!(await tf.setBackend(name))) throw new Error(`could not activate the ${name} backend`);
  }
  await tf.ready();
}

/**
 * Runs `build` on `backend` and returns plain copies of its outputs. `build` creates its tensors
 * from plain arrays, so each backend computes from its own copy of the same data.
 */
export async function valuesOn(backend: TestBackend, build: () => tf.Tensor | tf.Tensor[]): Promise<number[][]> {
  await useBackend(backend);
  const outputs = tf.tidy(build);
  const list = Array.isArray(outputs) ? outputs : [outputs];
  const values = list.map((t) => Array.from(t.dataSync()));
  tf.dispose(list);
  return values;
}

/** Runs `build` on cpu and on wasm and expects every output to agree to `rtol` of its largest magnitude. */
export async function expectWasmMatchesCpu(build: () => tf.Tensor | tf.Tensor[], rtol = 1e-4, label = ''): Promise<void> {
  const expected = await valuesOn('cpu', build);
  const actual = await valuesOn('wasm', build);
  expect(actual.length).toBe(expected.length);
  actual.forEach((values, i) => expectClose(values, expected[i]!, rtol, `${label} output ${i}`));
}

/** Expects `max |actual - expected| <= rtol · max(|expected|)` (or an absolute 1e-6 for all-zero references). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-4, label = ''): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  }
  const tolerance = Math.max(rtol * scale, 1e-6);
  if (!(worst <= tolerance)) {
    throw new Error(`${label}: max abs error ${worst} exceeds ${tolerance} (max |expected| ${scale})`);
  }
}

/** Fails unless `source` (a C file beside the native kernels) hashes to the `SOURCE_SHA256` its generated `*-wasm.ts` was built from. */
export function expectBuiltFrom(source: string, sourceSha256: string): void {
  const bytes = fs.readFileSync(path.join(__dirname, 'native', source));
  expect(`${source}: ${createHash('sha256').update(bytes).digest('hex')}`).toBe(`${source}: ${sourceSha256}`);
}

/** A small seeded PRNG (mulberry32), so random test shapes are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in `[lo, hi]`. */
export function randInt(random: () => number, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

/** `size` values uniform in [-1, 1). */
export function randomValues(random: () => number, size: number): Float32Array {
  return Float32Array.from({ length: size }, () => random() * 2 - 1);
}

/** Conv padding as tfjs accepts it. */
export type ConvPad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

/** A random padding mode with a rounding mode where tfjs allows one (numeric and explicit pads). */
export function randomPadding(random: () => number): { pad: ConvPad; dimRoundingMode?: 'floor' | 'round' | 'ceil' } {
  const rounding = (['floor', 'round', 'ceil', undefined] as const)[randInt(random, 0, 3)];
  switch (randInt(random, 0, 3)) {
    case 0:
      return { pad: 'same' };
    case 1:
      return { pad: 'valid' };
    case 2:
      return { pad: randInt(random, 0, 2), dimRoundingMode: rounding };
    default:
      return {
        pad: [
          [0, 0],
          [randInt(random, 0, 3), randInt(random, 0, 3)],
          [randInt(random, 0, 3), randInt(random, 0, 3)],
          [0, 0],
        ],
        dimRoundingMode: rounding,
      };
  }
}

/** Describes a padding for test labels. */
export function describePad(pad: ConvPad, rounding?: string): string {
  return `${typeof pad === 'object' ? JSON.stringify(pad.slice(1, 3)) : String(pad)}${rounding ? `/${rounding}` : ''}`;
}

/** One convolution of the kernel tests: NHWC input, filter [h, w, in, out] (or [h, w, in, multiplier]). */
export interface ConvCase {
  inputShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  strides: [number, number];
  dilations: [number, number];
  pad: ConvPad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function convOutShape(c: ConvCase, depthwise = false): [number, number, number, number] {
  return tf.backend_util.computeConv2DInfo(c.inputShape, c.filterShape, c.strides, c.dilations, c.pad, c.dimRoundingMode, depthwise)
    .outShape;
}

/** Describes a case for test labels. */
export function describeConv(c: ConvCase): string {
  return `in ${c.inputShape} f ${c.filterShape} s ${c.strides} d ${c.dilations} ${describePad(c.pad, c.dimRoundingMode)}`;
}

/**
 * `count` random cases with a non-empty output. `dilations`: 'never'; 'orStrides' (a case is
 * strided or dilated, never both, as some kernels require); or the chance of a dilated case, drawn
 * independently of the strides. `adjust` edits a case before its output size is checked.
 */
export function randomConvCases(
  seed: number,
  count: number,
  options: { maxChannels: number; depthwise?: boolean; dilations: 'never' | 'orStrides' | number; adjust?: (c: ConvCase, random: () => number) => void },
): ConvCase[] {
  const random = seededRandom(seed);
  const pair = (lo: number, hi: number): [number, number] => [randInt(random, lo, hi), randInt(random, lo, hi)];
  const { dilations } = options;
  const cases: ConvCase[] = [];
  while (cases.length < count) {
    const strided = dilations !== 'orStrides' || random() < 0.6;
    const dilated = dilations === 'orStrides' ? !strided : dilations !== 'never' && random() < dilations;
    const channels = randInt(random, 1, options.maxChannels);
    const c: ConvCase = {
      inputShape: [randInt(random, 1, 4), randInt(random, 2, 9), randInt(random, 2, 9), channels],
      filterShape: [randInt(random, 1, 4), randInt(random, 1, 4), channels, randInt(random, 1, options.maxChannels)],
      strides: strided ? pair(1, 3) : [1, 1],
      dilations: dilated ? pair(1, 3) : [1, 1],
      ...randomPadding(random),
    };
    options.adjust?.(c, random);
    const [, oh, ow] = convOutShape(c, options.depthwise);
    if (oh >= 1 && ow >= 1) cases.push(c);
  }
  return cases;
}
