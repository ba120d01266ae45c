import type * as tf from '@tensorflow/tfjs-core';
import type { ForwardMode, ParameterRegistry, TrainableModel } from '@ausam/core';
import { simccBinCounts } from '../targets/simcc-labels';
import type { Size } from '../transforms/affine';
import type { PoseModel } from './pose-model';
import { SimccHead } from './simcc-head';
import type { SimccOutput } from './simcc-head';

/** A top-down SimCC model: an image crop in, per joint logits over W·k horizontal and H·k vertical bins out. */
export interface SimccPoseModel extends TrainableModel {
  readonly head: 'simcc';
  /** Input crop size; the model expects [N, inputSize.height, inputSize.width, 3]. */
  readonly inputSize: Size;
  readonly numJoints: number;
  /** Bins per input pixel, k. */
  readonly splitRatio: number;
  /** Bins per axis, round(W·k) and round(H·k). */
  readonly bins: { readonly x: number; readonly y: number };
  forward(images: tf.Tensor4D, mode: ForwardMode): SimccOutput;
  parameterCount(): number;
  dispose(): void;
}

/** Tells the two model kinds apart. */
export function isSimccModel(model: PoseModel | SimccPoseModel): model is SimccPoseModel {
  return 'head' in model && model.head === 'simcc';
}

/**
 * SimCC on a heatmap network (Li et al. 2022, §3; the authors' `pose_hrnet` with `COORD_REPRESENTATION:
 * sa-simdr`): the network's K per-joint maps at 1/4 resolution (HRNet's final 1×1 conv, or SimpleBaseline's
 * deconvolutions + 1×1 conv) feed {@link SimccHead}. `backbone` must have been built on `registry`, so that
 * the head's variables join its own (one list, one checkpoint).
 */
export class SimccModel implements SimccPoseModel {
  readonly head = 'simcc' as const;
  readonly inputSize: Size;
  readonly numJoints: number;
  readonly bins: { readonly x: number; readonly y: number };
  private readonly classifier: SimccHead;

  constructor(
    private readonly backbone: PoseModel,
    private readonly registry: ParameterRegistry,
    readonly splitRatio: number,
  ) {
    this.inputSize = backbone.inputSize;
    this.numJoints = backbone.numJoints;
    this.bins = simccBinCounts(backbone.inputSize, splitRatio);
    this.classifier = new SimccHead(registry, 'simcc', backbone.heatmapSize, this.bins);
  }

  get trainableVariables(): readonly tf.Variable[] {
    return this.registry.trainableVariables;
  }

  get stateVariables(): readonly tf.Variable[] {
    return this.registry.stateVariables;
  }

  parameterCount(): number {
    return this.registry.parameterCount();
  }

  forward(images: tf.Tensor4D, mode: ForwardMode): SimccOutput {
    return this.classifier.apply(this.backbone.forward(images, mode));
  }

  /** Disposes every variable of the registry (the backbone's and the head's). */
  dispose(): void {
    this.registry.dispose();
  }
}
