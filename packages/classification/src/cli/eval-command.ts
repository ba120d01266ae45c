import * as fs from 'fs';
import * as path from 'path';
import { readCheckpointFile, readJsonRecord, restoreWeights, selectBackend } from '@ausam/core';
import { createModel } from '../models';
import { ClassificationTask } from '../task';
import { loadDatasets } from './load-datasets';
import { parseClassificationRun } from './run-config';

/** Evaluates the checkpoint of a run folder (config.json + checkpoint.ausam) on the test split. */
export async function evaluateRun(runDir: string, log: (line: string) => void = (l) => console.error(l)): Promise<Record<string, number>> {
  const configFile = path.join(runDir, 'config.json');
  if (!fs.existsSync(configFile)) throw new Error(`${configFile}: no such file (expected a run folder written by 'ausam-classify train')`);
  const { backend: _backend, modelFile, ...stored } = readJsonRecord(configFile) as Record<string, unknown>;
  const config = parseClassificationRun(stored, configFile);
  await selectBackend({ log });
  const { test } = await loadDatasets(config.dataset);
  // A run of `train --model-file`: the user's model, its weights then come from the checkpoint.
  const model = typeof modelFile === 'string'
    ? await (await import('../interop/layers-model-file')).loadLayersClassifier(modelFile, [test.height, test.width, test.channels], test.numClasses)
    : createModel(config.model.name, { numClasses: test.numClasses, inputChannels: test.channels, seed: config.seed });
  try {
    const checkpointFile = path.join(runDir, 'checkpoint.ausam');
    const checkpoint = readCheckpointFile<{ weights: Record<string, Float32Array> }>(checkpointFile);
    restoreWeights(model, checkpoint.weights, checkpointFile);
    const task = new ClassificationTask(model, { labelSmoothing: config.model.labelSmoothing });
    return await task.evaluate(test, { batchSize: config.evalBatchSize ?? 256 });
  } finally {
    model.dispose();
  }
}
