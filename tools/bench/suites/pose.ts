import * as fs from 'fs';
import * as path from 'path';
import type { MethodSpec } from '@ausam/core';
import { buildSchedule } from '@ausam/core';
import { parseRunConfig, type PoseBatch } from '@ausam/pose';
import { preparePoseRun } from '../../../packages/pose/src/cli/pose-run';
import { writeSyntheticDataset } from '../../../packages/pose/src/synthetic/write-synthetic-dataset';
import type { BenchSuite } from '../suite';

const DATA = 'data/synthetic-pose';
const CONFIG = 'packages/pose/configs/synthetic-cpu.json';
/**
 * SAM's radius for the heatmap MSE loss (values ~1e-3): chosen on the quick suite, where SAM's
 * valid PCKh after 4 epochs was 2.2 at ρ = 0.05, 12.6 at 0.01 and 16.0 at 0.002 (SGD 15.6).
 */
const POSE_RHO = 0.002;
const SCALE = { quick: { train: 400, epochs: 4 }, full: { train: 1000, epochs: 8 } };

/**
 * The synthetic MPII-format pose set (tools/pose; 2000 train / 200 valid images of 128 px, seed 0,
 * generated on first use), small HRNet at 64×64 → 16×16 heatmaps, AdamW lr 2e-3, batch 32.
 */
export const poseSuite: BenchSuite<PoseBatch> = {
  name: 'pose',
  headline: ['valid', 'pckh'],
  headlineScale: 1,
  describe: (quick, epochs) => {
    const s = quick ? SCALE.quick : SCALE.full;
    return `synthetic MPII-format pose (${s.train} train / 200 valid people, 64×64 input), hrnet-small, ${epochs ?? s.epochs} epochs, batch 32, AdamW lr 2e-3 (×0.1 at 75% and 90%), rho ${POSE_RHO}`;
  },
  methods: (): MethodSpec[] => [
    { method: 'sgd', base: { kind: 'adamw', weightDecay: 0 } },
    { method: 'sam', rho: POSE_RHO, base: { kind: 'adamw', weightDecay: 0 } },
    { method: 'ausam', rho: POSE_RHO, ratio: 0.5, base: { kind: 'adamw', weightDecay: 0 } },
    { method: 'uniform', rho: POSE_RHO, ratio: 0.5, base: { kind: 'adamw', weightDecay: 0 } },
  ],
  seeds: () => [0],
  prepare: async () => {
    if (fs.existsSync(path.join(DATA, 'annot', 'train.json'))) return;
    console.error(`[bench] generating the synthetic pose set into ${DATA}`);
    await writeSyntheticDataset({ outDir: DATA, trainCount: 2000, validCount: 200, imageSize: 128, seed: 0 });
  },
  createRun: async (seed, quick, epochsOverride) => {
    const s = quick ? SCALE.quick : SCALE.full;
    const epochs = epochsOverride ?? s.epochs;
    const config = parseRunConfig(
      {
        ...JSON.parse(fs.readFileSync(CONFIG, 'utf8')),
        seed,
        epochs,
        limitTrain: s.train,
        evaluateEvery: 1,
        learningRate: { kind: 'multistep', lr: 0.002, milestones: [Math.round(0.75 * epochs), Math.round(0.9 * epochs)], gamma: 0.1 },
      },
      CONFIG,
    );
    const run = await preparePoseRun(config, () => {});
    const disposeTask = run.task.dispose.bind(run.task);
    return {
      task: Object.assign(run.task, {
        dispose: () => {
          disposeTask();
          run.model.dispose();
        },
      }),
      trainSet: run.trainSet,
      evalSets: { valid: run.validSet },
      epochs,
      batchSize: config.batchSize,
      learningRate: buildSchedule(config.learningRate, epochs),
    };
  },
};
