import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { PointBatch } from '../example/two-moons-dataset';
import { TwoMoonsTask } from '../example/two-moons-task';
import { buildMethod, type MethodName } from '../methods/build-method';
import { cosineSchedule } from '../optim/schedule/schedules';
import type { Dataset } from '../task/contracts';
import { train, type EpochRecord, type TrainingSummary } from './trainer';

/** Zeroes `count` bytes in the middle of a (format 2) checkpoint's raw tensor data, after its JSON header. */
export function zeroMiddleOfData(file: string, count = 64): void {
  const bytes = fs.readFileSync(file);
  const dataStart = 8 + 4 + 32 + bytes.readUInt32LE(8);
  if (bytes.length - dataStart < count) throw new RangeError(`${file}: only ${bytes.length - dataStart} bytes of tensor data`);
  const start = dataStart + Math.floor((bytes.length - dataStart - count) / 2);
  bytes.fill(0, start, start + count);
  fs.writeFileSync(file, bytes);
}

export function temporaryFolder(prefix = 'ausam-trainer-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TwoMoonsRun {
  method: MethodName;
  epochs: number;
  trainSet: Dataset<PointBatch>;
  testSet: Dataset<PointBatch>;
  outputDir?: string;
  resume?: boolean;
  overwrite?: boolean;
  config?: unknown;
  stopOnSignals?: boolean;
  onEpochEnd?: (record: EpochRecord) => void;
  log?: (line: string) => void;
}

/** `train()` of a seeded two-moons task (batch 32, cosine lr from 0.1, ρ = 0.05), quietly. */
export async function trainTwoMoons(run: TwoMoonsRun): Promise<{ task: TwoMoonsTask; summary: TrainingSummary }> {
  const task = new TwoMoonsTask(7);
  const { optimizer, sampler } = buildMethod({ method: run.method, rho: 0.05 }, run.trainSet.size, 11);
  try {
    const summary = await train({
      task,
      trainSet: run.trainSet,
      evalSets: { test: run.testSet },
      optimizer,
      sampler,
      learningRate: cosineSchedule(0.1, run.epochs),
      epochs: run.epochs,
      batchSize: 32,
      seed: 5,
      outputDir: run.outputDir,
      resume: run.resume,
      overwrite: run.overwrite,
      config: run.config,
      stopOnSignals: run.stopOnSignals,
      onEpochEnd: run.onEpochEnd,
      progress: false,
      log: run.log ?? (() => {}),
    });
    return { task, summary };
  } finally {
    optimizer.dispose();
  }
}
