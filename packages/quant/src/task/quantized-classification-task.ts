import { ClassificationTask, type ClassificationTaskConfig } from '@ausam/classification';
import type { QuantizedClassifier } from '../qat/quantized-classifier';

/**
 * Classification's softmax cross-entropy task (core's {@link Task}) on a {@link QuantizedClassifier}:
 * per-sample losses, sub-batch selection and evaluation are classification's, unchanged — the
 * quantization lives entirely in the model. Named `classification-w<b>a<b>` by default so runs
 * record the bit widths.
 */
export class QuantizedClassificationTask extends ClassificationTask {
  constructor(
    override readonly model: QuantizedClassifier,
    config: ClassificationTaskConfig = {},
  ) {
    super(model, {
      ...config,
      name: config.name ?? `classification-w${model.config.weightBits}a${model.config.activationBits}`,
    });
  }
}
