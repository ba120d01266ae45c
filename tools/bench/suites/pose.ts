import * as fs from 'fs';
import * as path from 'path';
import type { MethodSpec } from '@ausam/core';
import { buildSchedule } from '@ausam/core';
import { parseRunConfig, preparePoseRun, writeSyntheticDataset, type AnyPoseBatch } from '@ausam/pose';
import type { BenchSuite } from '../suite';

const DATA = 'data/synthetic-pose';
const SCALE = { quick: { train: 400, epochs: 4 }, full: { train: 1000, epochs: 8 } };

/** What differs between the two heads' suites: the CPU config, SAM's radius and the learning rate. */
interface PoseHeadSetting {
  readonly suiteName: string;
  readonly model: string;
  readonly config: string;
  readonly rho: number;
  readonly lr: number;
}

const HEADS: Record<'heatmap' | 'simcc', PoseHeadSetting> = {
  /**
   * SAM's radius for the heatmap MSE loss (values ~1e-3): chosen on the quick suite, where SAM's
   * valid PCKh after 4 epochs was 2.2 at ρ = 0.05, 12.6 at 0.01 and 16.0 at 0.002 (SGD 15.6).
   */
  heatmap: { suiteName: 'pose', model: 'hrnet-small', config: 'packages/pose/configs/synthetic-cpu.json', rho: 0.002, lr: 0.002 },
  /** SimCC's KL loss: ρ and lr chosen on this suite's quick scale (docs/decisions.md). */
  simcc: { suiteName: 'pose-simcc', model: 'hrnet-small + SimCC head (k = 2, σ = 4 bins)', config: 'packages/pose/configs/simcc-synthetic-cpu.json', rho: 0.002, lr: 0.005 },
};

/**
 * The synthetic MPII-format pose set (tools/pose; 2000 train / 200 valid images of 128 px, seed 0,
 * generated on first use), small HRNet at 64×64 input with the given head (heatmaps at 16×16, or SimCC's
 * 128 + 128 bins), AdamW with a step schedule, batch 32; the same methods for both heads.
 */
function poseSuiteFor(head: PoseHeadSetting): BenchSuite<AnyPoseBatch> {
  return {
    name: head.suiteName,
    headline: ['valid', 'pckh'],
    headlineScale: 1,
    describe: (quick, epochs) => {
      const s = quick ? SCALE.quick : SCALE.full;
      return `synthetic MPII-format pose (${s.train} train / 200 valid people, 64×64 input), ${head.model}, ${epochs ?? s.epochs} epochs, batch 32, AdamW lr ${head.lr} (×0.1 at 75% and 90%), rho ${head.rho}`;
    },
    methods: (): MethodSpec[] => [
      { method: 'sgd', base: { kind: 'adamw', weightDecay: 0 } },
      { method: 'sam', rho: head.rho, base: { kind: 'adamw', weightDecay: 0 } },
      { method: 'ausam', rho: head.rho, ratio: 0.5, base: { kind: 'adamw', weightDecay: 0 } },
      { method: 'uniform', rho: head.rho, ratio: 0.5, base: { kind: 'adamw', weightDecay: 0 } },
    ],
    seeds: () => [0],
    prepare: async () => {
      if (fs.existsSync(path.join(DATA, 'annot', 'train.json'))) return;
      console.error(`[bench] generating the synthetic pose set into ${DATA}`);
      // --jobs children prepare at once: each writes its own folder and the first rename wins.
      const own = `${DATA}.tmp-${process.pid}`;
      await writeSyntheticDataset({ outDir: own, trainCount: 2000, validCount: 200, imageSize: 128, seed: 0 });
      try {
        fs.renameSync(own, DATA);
      } catch (error) {
        if (!fs.existsSync(path.join(DATA, 'annot', 'train.json'))) throw error;
        fs.rmSync(own, { recursive: true, force: true });
      }
    },
    createRun: async (seed, quick, epochsOverride) => {
      const s = quick ? SCALE.quick : SCALE.full;
      const epochs = epochsOverride ?? s.epochs;
      const config = parseRunConfig(
        {
          ...JSON.parse(fs.readFileSync(head.config, 'utf8')),
          seed,
          epochs,
          limitTrain: s.train,
          evaluateEvery: 1,
          learningRate: { kind: 'multistep', lr: head.lr, milestones: [Math.round(0.75 * epochs), Math.round(0.9 * epochs)], gamma: 0.1 },
        },
        head.config,
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
}

/** HRNet-small with the heatmap head (`npm run bench -- pose`). */
export const poseSuite = poseSuiteFor(HEADS.heatmap);

/** The same network with SimCC's head, the paper's pose model family (`npm run bench -- pose-simcc`). */
export const poseSimccSuite = poseSuiteFor(HEADS.simcc);
