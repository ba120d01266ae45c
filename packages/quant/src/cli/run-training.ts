import * as path from 'path';
import { readCheckpointFile, runExperiment, writeJsonAtomic, type TrainingSummary } from '@ausam/core';
import { createModel } from '@ausam/classification';
import { effectiveModelSize, type ModelSizeReport } from '../qat/model-size';
import { QuantizedClassifier } from '../qat/quantized-classifier';
import { verifyWeightLevels, type WeightLevelReport } from '../qat/weight-levels';
import { QuantizedClassificationTask } from '../task/quantized-classification-task';
import type { TrainArguments } from './arguments';
import { loadDatasets } from './datasets';
import type { QuantRunConfig } from './run-config';

/** What a QAT run produced. */
export interface QuantTrainingResult {
  readonly outputDir: string;
  readonly summary: TrainingSummary;
  readonly size: ModelSizeReport;
  readonly levels: WeightLevelReport;
}

/** The config with the command line's overrides applied and the run folder decided. */
export function applyOverrides(config: QuantRunConfig, args: Partial<TrainArguments>): QuantRunConfig {
  const quantization = {
    ...config.quantization,
    weightBits: args.weightBits ?? config.quantization.weightBits,
    activationBits: args.activationBits ?? config.quantization.activationBits,
  };
  const method = { ...config.method, method: args.method ?? config.method.method };
  const outputDir =
    args.outputDir ??
    config.outputDir ??
    path.join('runs', `${config.model}-${config.dataset.name}-w${quantization.weightBits}a${quantization.activationBits}-${method.method}`);
  return { ...config, quantization, method, epochs: args.epochs ?? config.epochs, outputDir };
}

/**
 * One QAT run: loads the data, builds the model (from its full-precision checkpoint when the
 * config names one), wraps it for QAT, trains with core's `runExperiment` and the configured method, then
 * writes `quantization.json` (effective model size, per-channel weight-level check) beside core's
 * `config.json`, `metrics.jsonl`, `checkpoint.ausam` and `summary.json`.
 */
export async function runQuantizedTraining(
  config: QuantRunConfig,
  options: { resume?: boolean; overwrite?: boolean; progress?: boolean; stopOnSignals?: boolean; log?: (line: string) => void } = {},
): Promise<QuantTrainingResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  const outputDir = config.outputDir ?? applyOverrides(config, {}).outputDir!;
  if ((config.replicas ?? 1) > 1) {
    // LSQ and min-max quantizers initialise from the first data they see, in each thread: a replica
    // would set its own step sizes from its slice instead of using the main thread's.
    throw new Error(`replicas: expected 1 for quantization-aware training, found ${config.replicas} (data-parallel replicas are not supported by ausam-quant)`);
  }
  let report: { size: ModelSizeReport; levels: WeightLevelReport } | undefined;
  const summary = await runExperiment(
    { ...config, outputDir },
    async () => {
      const { train: trainSet, test: testSet } = await loadDatasets(config.dataset);
      const base = createModel(config.model, { numClasses: trainSet.numClasses, inputChannels: trainSet.channels, seed: config.seed });
      const model = new QuantizedClassifier(base, config.quantization);
      try {
        if (config.fullPrecisionCheckpoint) {
          const checkpoint = readCheckpointFile<{ weights?: Record<string, Float32Array> }>(config.fullPrecisionCheckpoint);
          if (!checkpoint.weights) throw new Error(`${config.fullPrecisionCheckpoint}: not a training checkpoint (no 'weights')`);
          model.initializeFromFullPrecision(checkpoint.weights);
          log(`[ausam-quant] initialised from full-precision weights ${config.fullPrecisionCheckpoint}`);
        }
        log(`[ausam-quant] ${model.description}`);
        log(`[ausam-quant] ${formatSize(effectiveModelSize(model))}`);
      } catch (error) {
        model.dispose();
        throw error;
      }
      return {
        task: new QuantizedClassificationTask(model, { labelSmoothing: config.labelSmoothing }),
        trainSet,
        evalSets: { test: testSet },
        runRecord: (method) => ({ ...config, outputDir, method }),
        afterTraining: () => {
          const size = effectiveModelSize(model);
          const levels = verifyWeightLevels(model);
          writeJsonAtomic(path.join(outputDir, 'quantization.json'), { size, levels });
          log(`[ausam-quant] ${formatSize(size)}`);
          log(
            `[ausam-quant] weight levels ${levels.ok ? 'ok' : 'VIOLATED'}: at most ` +
              `${Math.max(...levels.layers.map((l) => l.maxDistinctPerChannel))} distinct values per channel (limit ${2 ** model.config.weightBits})`,
          );
          report = { size, levels };
        },
        dispose: () => model.dispose(),
      };
    },
    { resume: options.resume, overwrite: options.overwrite, progress: options.progress, stopOnSignals: options.stopOnSignals, log, logPrefix: '[ausam-quant]' },
  );
  return { outputDir, summary, ...report! };
}

function formatSize(size: ModelSizeReport): string {
  return (
    `effective size ${size.mebibytes.toFixed(3)} MiB (${size.quantizedParameters} quantized + ` +
    `${size.fullPrecisionParameters} full-precision parameters + ${size.quantizerParameters} steps), ` +
    `${size.compressionRatio.toFixed(2)}× smaller than float32`
  );
}
