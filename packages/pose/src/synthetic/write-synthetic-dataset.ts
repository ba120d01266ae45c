import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Rng } from '@ausam/core';
import { MPII_HEAD_SIZE_FACTOR } from '../data/mpii-json';
import { renderScene } from './render-scene';

export interface SyntheticDatasetOptions {
  readonly outDir: string;
  readonly trainCount: number;
  readonly validCount: number;
  /** Square image side in pixels. */
  readonly imageSize: number;
  readonly seed: number;
  /** Called after each image. */
  readonly onImage?: (done: number, total: number) => void;
}

/** One entry of HRNet's MPII JSON, plus the head size PCKh needs. */
export interface MpiiJsonEntry {
  image: string;
  center: [number, number];
  scale: number;
  joints: [number, number][];
  joints_vis: number[];
  head_size: number;
  headbox: [[number, number], [number, number]];
}

/**
 * Writes a synthetic MPII-format dataset: `images/<split>_<index>.png` and `annot/{train,valid}.json` in
 * HRNet's layout and conventions (1-based joint pixels; `center` and `scale` such that HRNet's reader —
 * center.y + 15·scale, scale × 1.25 — yields the figure's box center and a box 1.25 × its larger side),
 * with `head_size` = 0.6·‖head-box diagonal‖ for a square head box of side = head length.
 * Train and validation draw from two independent streams of `seed`, so changing one count leaves the
 * other split's images unchanged.
 */
export async function writeSyntheticDataset(options: SyntheticDatasetOptions): Promise<{ train: MpiiJsonEntry[]; valid: MpiiJsonEntry[] }> {
  const root = new Rng(options.seed);
  const streams = { train: root.fork(), valid: root.fork() };
  mkdirSync(path.join(options.outDir, 'images'), { recursive: true });
  mkdirSync(path.join(options.outDir, 'annot'), { recursive: true });
  const total = options.trainCount + options.validCount;
  let done = 0;
  const result = { train: [] as MpiiJsonEntry[], valid: [] as MpiiJsonEntry[] };
  for (const split of ['train', 'valid'] as const) {
    const count = split === 'train' ? options.trainCount : options.validCount;
    for (let i = 0; i < count; i++) {
      const image = `${split}_${String(i).padStart(6, '0')}.png`;
      const scene = await renderScene(streams[split].fork(), options.imageSize);
      writeFileSync(path.join(options.outDir, 'images', image), scene.png);
      result[split].push(toMpiiEntry(image, scene.figure.joints, scene.visibility, scene.figure.headLength));
      options.onImage?.(++done, total);
    }
    // One entry per line: diffable, and still the plain JSON list HRNet reads.
    const lines = result[split].map((entry) => JSON.stringify(entry));
    writeFileSync(path.join(options.outDir, 'annot', `${split}.json`), `[\n${lines.join(',\n')}\n]\n`);
  }
  return result;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function toMpiiEntry(image: string, joints: Float32Array, visibility: Float32Array, headLength: number): MpiiJsonEntry {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let j = 0; j < 16; j++) {
    minX = Math.min(minX, joints[2 * j]);
    maxX = Math.max(maxX, joints[2 * j]);
    minY = Math.min(minY, joints[2 * j + 1]);
    maxY = Math.max(maxY, joints[2 * j + 1]);
  }
  const scale = Math.max(maxX - minX, maxY - minY) / 200;
  const centerX = (minX + maxX) / 2;
  const centerY = (minY + maxY) / 2 - 15 * scale;
  const [neckX, neckY, topX, topY] = [joints[16], joints[17], joints[18], joints[19]];
  const headCenter = [(neckX + topX) / 2, (neckY + topY) / 2];
  const half = headLength / 2;
  return {
    image,
    // +1: MPII joint and center coordinates are 1-based MATLAB pixels.
    center: [round(centerX + 1), round(centerY + 1)],
    scale: round(scale),
    joints: Array.from({ length: 16 }, (_, j) => [round(joints[2 * j] + 1), round(joints[2 * j + 1] + 1)] as [number, number]),
    joints_vis: Array.from(visibility),
    head_size: round(MPII_HEAD_SIZE_FACTOR * Math.SQRT2 * headLength),
    headbox: [
      [round(headCenter[0] - half + 1), round(headCenter[1] - half + 1)],
      [round(headCenter[0] + half + 1), round(headCenter[1] + half + 1)],
    ],
  };
}
