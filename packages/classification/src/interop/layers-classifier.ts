import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ForwardMode } from '@ausam/core';
import { applyForLogits, finalActivation, namePositionally, nonTrainableVariablesOf, SavedValues, trainableVariablesOf } from '@ausam/core/layers';
import type { ClassifierModel } from '../models/classifier-model';

/**
 * A user's `tf.LayersModel` (NHWC images in, one score per class out) as this package's
 * {@link ClassifierModel}, so `ClassificationTask`, every method and the CLI train it. `forward`
 * returns logits: a final softmax is left out (the task applies its own log-softmax), any other
 * output is taken as logits. BatchNorm moving statistics move only when `mode.updateStatistics`;
 * weights are checkpointed under positional names (`layers/<i>/weights/<j>`).
 */
export class LayersClassifier implements ClassifierModel {
  readonly description: string;
  readonly numClasses: number;
  readonly trainableVariables: readonly tf.Variable[];
  readonly stateVariables: readonly tf.Variable[];
  private readonly softmaxOutput: boolean;

  constructor(readonly layersModel: LayersModel) {
    const input = layersModel.inputs[0]?.shape;
    const output = layersModel.outputs[0]?.shape;
    if (layersModel.inputs.length !== 1 || input?.length !== 4) {
      throw new RangeError(`LayersClassifier: model '${layersModel.name}': expected one NHWC image input [batch, h, w, c], found ${describeShapes(layersModel.inputs)}`);
    }
    if (layersModel.outputs.length !== 1 || output?.length !== 2 || !output[1]) {
      throw new RangeError(`LayersClassifier: model '${layersModel.name}': expected one output [batch, classes], found ${describeShapes(layersModel.outputs)}`);
    }
    this.numClasses = output[1];
    this.softmaxOutput = finalActivation(layersModel) === 'softmax';
    namePositionally(layersModel);
    this.trainableVariables = trainableVariablesOf(layersModel);
    this.stateVariables = nonTrainableVariablesOf(layersModel);
    this.description = `TF.js LayersModel '${layersModel.name}' (${layersModel.layers.length} layers, input [${input.slice(1).join(', ')}], ${this.numClasses} classes${this.softmaxOutput ? ', softmax output taken as logits' : ''})`;
  }

  /** The [h, w, c] the model takes. */
  get inputShape(): number[] {
    return this.layersModel.inputs[0].shape.slice(1) as number[];
  }

  forward(images: tf.Tensor4D, mode: ForwardMode): tf.Tensor2D {
    const frozen = mode.training && !mode.updateStatistics ? new SavedValues(this.stateVariables) : undefined;
    try {
      const output = this.softmaxOutput ? applyForLogits(this.layersModel, images, mode.training) : this.layersModel.apply(images, { training: mode.training });
      return output as tf.Tensor2D;
    } finally {
      frozen?.restore();
    }
  }

  parameterCount(): number {
    return this.trainableVariables.reduce((sum, v) => sum + v.size, 0);
  }

  dispose(): void {
    this.layersModel.dispose();
  }
}

function describeShapes(tensors: readonly { shape: (number | null)[] }[]): string {
  return tensors.length === 0 ? 'none' : tensors.map((t) => `[${t.shape.map((d) => d ?? 'batch').join(', ')}]`).join(', ');
}
