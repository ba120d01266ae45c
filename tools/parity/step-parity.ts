import * as fs from 'fs';
import * as path from 'path';
import { buildMethod, buildSchedule, selectBackend, type BackendName } from '@ausam/core';
import {
  ClassificationTask,
  createModel,
  loadFashionMnist,
  loadPyTorchWeightsFile,
  NO_AUGMENTATION,
  pytorchStateDict,
  readSafetensors,
  type InMemoryImageDataset,
  type TensorMap,
} from '@ausam/classification';

/** What tools/parity/reference/step.py wrote. */
interface Reference {
  model: string;
  steps: number;
  batch: number;
  lr: number;
  rho: number;
  torch: string;
  sgd: { losses: number[]; losses_jitter: number[] };
  sam: { losses: number[]; losses_jitter: number[] };
}

export type Method = 'sgd' | 'sam';

/** One (backend, method) comparison with PyTorch. */
export interface StepParityRow {
  backend: BackendName;
  method: Method;
  losses: number[];
  /** max over steps of |ours − torch| / torch. */
  maxLossRelative: number;
  /** The same for torch started one float32 rounding error away: float32 noise alone. */
  jitterLossRelative: number;
  /** max over tensors of max|ours − torch| / max|torch| of the final state (weights and BN statistics). */
  maxWeightRelative: number;
  worstTensor: string;
  jitterWeightRelative: number;
  seconds: number;
}

/**
 * Runs our SGD / SAM from the PyTorch initialisation in `dir` on the same batches (our Fashion-MNIST
 * loader, the ids PyTorch used) and compares per-step losses and the final state with PyTorch's.
 */
export async function stepParity(dir: string, backends: readonly BackendName[], log: (line: string) => void): Promise<{ reference: Reference; rows: StepParityRow[] }> {
  const reference = JSON.parse(fs.readFileSync(path.join(dir, 'losses.json'), 'utf8')) as Reference;
  const { ids } = JSON.parse(fs.readFileSync(path.join(dir, 'batches.json'), 'utf8')) as { ids: number[] };
  const { train } = await loadFashionMnist();
  const dataset = train.with({ augmentation: NO_AUGMENTATION });
  const rows: StepParityRow[] = [];
  for (const backend of backends) {
    await selectBackend({ force: backend, log: () => {} });
    for (const method of ['sgd', 'sam'] as const) {
      const started = Date.now();
      const { losses, finalState } = await runOurs(dir, reference, method, dataset, Int32Array.from(ids));
      const seconds = (Date.now() - started) / 1000;
      const torchLosses = reference[method].losses;
      const torchFinal = readSafetensors(fs.readFileSync(path.join(dir, `${method}-final.safetensors`)));
      const jitterFinal = readSafetensors(fs.readFileSync(path.join(dir, `${method}-final-jitter.safetensors`)));
      const weights = compareStates(finalState, torchFinal);
      const row: StepParityRow = {
        backend,
        method,
        losses,
        maxLossRelative: maxRelative(losses, torchLosses),
        jitterLossRelative: maxRelative(reference[method].losses_jitter, torchLosses),
        maxWeightRelative: weights.worst,
        worstTensor: weights.tensor,
        jitterWeightRelative: compareStates(jitterFinal, torchFinal).worst,
        seconds,
      };
      log(`[ours] ${reference.model} ${backend} ${method}: ${reference.steps} steps in ${seconds.toFixed(1)}s, loss rel. diff ${row.maxLossRelative.toExponential(2)}`);
      rows.push(row);
    }
  }
  return { reference, rows };
}

async function runOurs(dir: string, reference: Reference, method: Method, dataset: InMemoryImageDataset, ids: Int32Array) {
  const model = createModel(reference.model, { numClasses: 10, inputChannels: 1, seed: 0 });
  loadPyTorchWeightsFile(model, path.join(dir, 'init.safetensors'));
  const task = new ClassificationTask(model);
  const { optimizer } = buildMethod(
    { method, rho: reference.rho, base: { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 } },
    dataset.size,
    0,
  );
  const schedule = buildSchedule({ kind: 'cosine', lr: reference.lr }, 1);
  const losses: number[] = [];
  for (let step = 0; step < reference.steps; step++) {
    const batchIds = ids.subarray(step * reference.batch, (step + 1) * reference.batch);
    for await (const batch of dataset.batches(batchIds, reference.batch)) {
      try {
        const result = optimizer.step({ task, batch, learningRate: schedule.at(step / reference.steps) });
        losses.push(result.lossBefore.reduce((s, l) => s + l, 0) / result.lossBefore.length);
      } finally {
        task.disposeBatch(batch);
      }
    }
  }
  const finalState = pytorchStateDict(model);
  optimizer.dispose();
  model.dispose();
  return { losses, finalState };
}

/** Worst tensor of `ours` against `torch`: max|Δ| / max|torch|. */
function compareStates(ours: TensorMap, torch: TensorMap) {
  let worst = 0;
  let tensor = '';
  for (const [key, reference] of torch) {
    if (key.endsWith('num_batches_tracked')) continue;
    const values = ours.get(key)?.data;
    if (!values) throw new Error(`step parity: our final state has no '${key}'`);
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < values.length; i++) {
      scale = Math.max(scale, Math.abs(reference.data[i]));
      diff = Math.max(diff, Math.abs(values[i] - reference.data[i]));
    }
    const relative = scale > 0 ? diff / scale : diff;
    if (relative > worst) {
      worst = relative;
      tensor = key;
    }
  }
  return { worst, tensor };
}

function maxRelative(ours: readonly number[], torch: readonly number[]): number {
  return ours.reduce((m, l, i) => Math.max(m, Math.abs(l - torch[i]) / Math.abs(torch[i])), 0);
}
