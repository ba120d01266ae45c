import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset, Rng } from '@ausam/core';
import { defaultSigma } from '../targets/gaussian-heatmap';
import type { HeatmapTargets, JointsInCrop, PoseTargetEncoder } from '../targets/target-encoders';
import { heatmapTargetEncoder } from '../targets/target-encoders';
import type { Affine, Size } from '../transforms/affine';
import { composeAffine, cropTransform, horizontalFlip, invertAffine, transformPoints } from '../transforms/affine';
import type { AugmentationDraw, AugmentationOptions } from '../transforms/augmentation';
import { NO_AUGMENTATION, drawAugmentation } from '../transforms/augmentation';
import { halfBodyBox } from '../transforms/half-body';
import type { RgbImage } from '../transforms/warp-image';
import { normalizeInto, warpAffineRgb } from '../transforms/warp-image';
import { decodeImage } from './decode-image';
import type { PoseAnnotation } from './pose-annotation';
import { metaOf } from './pose-batch';
import type { PoseBatchMeta, PoseBatchOf } from './pose-batch';
import type { Skeleton } from './skeletons';
import { flipPermutation } from './skeletons';

/** Options every pose dataset takes, whatever its targets. */
export interface PoseSampleOptions {
  readonly skeleton: Skeleton;
  /** Model input (crop) size. */
  readonly inputSize: Size;
  /** Augmentation applied when `batches` is given an rng; none by default. */
  readonly augmentation?: AugmentationOptions;
  /** Folder image paths are relative to. */
  readonly imageRoot: string;
  /**
   * 'crops' (default): decode every image once up front and keep, per person, a patch around its box
   * large enough for any augmentation — fast epochs, memory ≈ N · (2.4·input)² · 3 bytes.
   * 'none': decode images with sharp while batching (the next batch's images decode while the
   * current one trains) — for datasets too large to keep in memory.
   */
  readonly cache?: 'crops' | 'none';
}

/** A dataset with heatmap targets (the default). */
export interface PoseDatasetOptions extends PoseSampleOptions {
  /** Model output size (input / 4 for HRNet and SimpleBaseline). */
  readonly heatmapSize: Size;
  /** Target Gaussian σ in heatmap pixels; default {@link defaultSigma}. */
  readonly sigma?: number;
  readonly heatmapCenter?: 'subpixel' | 'hrnet';
}

/** A dataset whose targets another encoder makes (e.g. {@link simccTargetEncoder}). */
export interface EncodedPoseDatasetOptions<T extends object> extends PoseSampleOptions {
  readonly targets: PoseTargetEncoder<T>;
}

/** Where a sample's pixels come from: an image (or a cached patch of it) and the map image → that image. */
interface PixelSource {
  readonly image: RgbImage;
  readonly imageToSource: Affine;
}

/** One sample prepared on the CPU, ready to copy into batch tensors. */
interface PreparedSample extends JointsInCrop {
  readonly crop: RgbImage;
}

/**
 * An in-memory top-down pose dataset (Xiao et al. 2018; Sun et al. 2019): each sample is a person box
 * warped to the input size (with HRNet's random scale, rotation, flip and half-body when an rng is
 * given), its targets (Gaussian heatmaps by default, or what `options.targets` encodes) and target weights.
 */
export class PoseDataset<T extends object = HeatmapTargets> implements Dataset<PoseBatchOf<T>> {
  readonly size: number;
  private readonly flipPerm: Int32Array;

  private constructor(
    readonly annotations: readonly PoseAnnotation[],
    readonly options: PoseSampleOptions,
    private readonly targets: PoseTargetEncoder<T>,
    private readonly patches: readonly PixelSource[] | undefined,
  ) {
    this.size = annotations.length;
    this.flipPerm = flipPermutation(options.skeleton);
  }

  /** Builds the dataset; with cache 'crops' this decodes every image (a few at a time). */
  static create(annotations: readonly PoseAnnotation[], options: PoseDatasetOptions): Promise<PoseDataset<HeatmapTargets>>;
  static create<T extends object>(annotations: readonly PoseAnnotation[], options: EncodedPoseDatasetOptions<T>): Promise<PoseDataset<T>>;
  static async create<T extends object>(
    annotations: readonly PoseAnnotation[],
    options: PoseDatasetOptions | EncodedPoseDatasetOptions<T>,
  ): Promise<PoseDataset<T | HeatmapTargets>> {
    const targets = 'targets' in options ? options.targets : defaultHeatmapEncoder(options);
    const k = options.skeleton.jointNames.length;
    annotations.forEach((a, i) => {
      if (a.visibility.length !== k) {
        throw new RangeError(`PoseDataset: sample ${i} (${a.image}) has ${a.visibility.length} joints, the ${options.skeleton.kind} skeleton ${k}`);
      }
    });
    if ((options.cache ?? 'crops') === 'none') return new PoseDataset<T | HeatmapTargets>(annotations, options, targets, undefined);
    const patches: PixelSource[] = new Array(annotations.length);
    const byImage = new Map<string, number[]>();
    annotations.forEach((a, i) => byImage.set(a.image, [...(byImage.get(a.image) ?? []), i]));
    const files = [...byImage.keys()];
    const concurrency = 4;
    for (let start = 0; start < files.length; start += concurrency) {
      const decoded = await Promise.all(files.slice(start, start + concurrency).map((f) => decodeImage(resolveImage(options.imageRoot, f))));
      decoded.forEach((image, d) => {
        for (const i of byImage.get(files[start + d])!) patches[i] = cachePatch(image, annotations[i], options);
      });
    }
    return new PoseDataset<T | HeatmapTargets>(annotations, options, targets, patches);
  }

  async *batches(ids: Int32Array, batchSize: number, rng?: Rng): AsyncIterable<PoseBatchOf<T>> {
    const starts: number[] = [];
    for (let s = 0; s < ids.length; s += batchSize) starts.push(s);
    const sourcesOf = (s: number) => this.pixelSources(ids.subarray(s, Math.min(s + batchSize, ids.length)));
    let pending = starts.length > 0 ? sourcesOf(starts[0]) : undefined;
    for (let b = 0; b < starts.length; b++) {
      const sources = await pending!;
      // Decode the next batch's images while this one is consumed.
      pending = b + 1 < starts.length ? sourcesOf(starts[b + 1]) : undefined;
      const batchIds = ids.slice(starts[b], Math.min(starts[b] + batchSize, ids.length));
      yield this.assemble(batchIds, sources, rng);
    }
  }

  private async pixelSources(ids: Int32Array): Promise<PixelSource[]> {
    for (const id of ids) {
      if (!(id >= 0 && id < this.size)) throw new RangeError(`PoseDataset: sample id ${id} outside 0..${this.size - 1}`);
    }
    if (this.patches) return Array.from(ids, (id) => this.patches![id]);
    return Promise.all(
      Array.from(ids, async (id) => ({
        image: await decodeImage(resolveImage(this.options.imageRoot, this.annotations[id].image)),
        imageToSource: [1, 0, 0, 0, 1, 0] as Affine,
      })),
    );
  }

  /** The crop, joints and visibility of one sample under one augmentation draw (no tensors). */
  prepareSample(id: number, source: PixelSource, draw: AugmentationDraw): PreparedSample {
    const annotation = this.annotations[id];
    const { skeleton, inputSize } = this.options;
    let center: readonly [number, number] = annotation.center;
    let scale: readonly [number, number] = annotation.scale;
    const visibleJoints = annotation.visibility.reduce((sum, v) => sum + (v > 0 ? 1 : 0), 0);
    if (draw.halfBody && visibleJoints > (this.options.augmentation?.halfBodyMinJoints ?? Infinity)) {
      const box = halfBodyBox(annotation.joints, annotation.visibility, skeleton, inputSize.width / inputSize.height, draw.halfBodyUpper);
      if (box) ({ center, scale } = box);
    }
    scale = [scale[0] * draw.scaleMultiplier, scale[1] * draw.scaleMultiplier];
    let imageToCrop = cropTransform(center, scale, draw.rotationDegrees, inputSize);
    if (draw.flip) imageToCrop = composeAffine(horizontalFlip(inputSize.width), imageToCrop);
    const crop = warpAffineRgb(source.image, composeAffine(imageToCrop, invertAffine(source.imageToSource)), inputSize);
    let jointsInCrop = transformPoints(imageToCrop, annotation.joints);
    let visibility = annotation.visibility;
    if (draw.flip) {
      const k = visibility.length;
      const flippedJoints = new Float32Array(2 * k);
      const flippedVisibility = new Float32Array(k);
      for (let j = 0; j < k; j++) {
        const from = this.flipPerm[j];
        flippedJoints[2 * j] = jointsInCrop[2 * from];
        flippedJoints[2 * j + 1] = jointsInCrop[2 * from + 1];
        flippedVisibility[j] = visibility[from];
      }
      jointsInCrop = flippedJoints;
      visibility = flippedVisibility;
    }
    return { crop, jointsInCrop, visibility };
  }

  private assemble(ids: Int32Array, sources: PixelSource[], rng: Rng | undefined): PoseBatchOf<T> {
    const { inputSize, skeleton, augmentation } = this.options;
    const n = ids.length;
    const k = skeleton.jointNames.length;
    const pixels = inputSize.width * inputSize.height * 3;
    const images = new Float32Array(n * pixels);
    const weights = new Float32Array(n * k);
    const samples: PreparedSample[] = [];
    for (let i = 0; i < n; i++) {
      const draw = rng && augmentation ? drawAugmentation(augmentation, rng) : NO_AUGMENTATION;
      const sample = this.prepareSample(ids[i], sources[i], draw);
      normalizeInto(sample.crop, images, i * pixels);
      samples.push(sample);
    }
    const targets = this.targets.encodeBatch(samples, k, weights);
    return {
      ids,
      images: tf.tensor4d(images, [n, inputSize.height, inputSize.width, 3]),
      ...targets,
      targetWeights: tf.tensor2d(weights, [n, k]),
      meta: this.meta(ids),
    };
  }

  /** Evaluation meta of the samples `ids`. */
  meta(ids: Int32Array): PoseBatchMeta {
    return metaOf(Array.from(ids, (id) => this.annotations[id]));
  }
}

/** The heatmap targets a {@link PoseDatasetOptions} describes. */
function defaultHeatmapEncoder(options: PoseDatasetOptions): PoseTargetEncoder<HeatmapTargets> {
  const { inputSize, heatmapSize } = options;
  const sigma = options.sigma ?? defaultSigma(heatmapSize);
  return heatmapTargetEncoder({ inputSize, heatmapSize, sigma, center: options.heatmapCenter }, options.skeleton.jointWeights);
}

function resolveImage(root: string, image: string): string {
  return path.isAbsolute(image) ? image : path.join(root, image);
}

/**
 * A patch of `image` around the person that contains every crop augmentation can ask for: the box grown
 * by the largest scale draw, ×√2 for any rotation (×1.25 more when half-body crops are on), sampled at
 * the density of the most zoomed-in crop but never above the image's own.
 */
function cachePatch(image: RgbImage, annotation: PoseAnnotation, options: PoseSampleOptions): PixelSource {
  const scaleFactor = options.augmentation?.scaleFactor ?? 0;
  const halfBodyMargin = (options.augmentation?.halfBodyProbability ?? 0) > 0 ? 1.25 : 1;
  const boxWidth = annotation.scale[0] * 200;
  const boxHeight = annotation.scale[1] * 200;
  const margin = (1 + scaleFactor) * Math.SQRT2 * halfBodyMargin;
  const extent = Math.max(boxWidth, boxHeight) * margin;
  const density = Math.min(1, options.inputSize.width / (boxWidth * (1 - scaleFactor)));
  const side = Math.max(1, Math.ceil(extent * density));
  const [cx, cy] = annotation.center;
  // image → patch: scale by `density` about the box center, which lands at the patch center.
  const imageToSource: Affine = [density, 0, side / 2 - density * cx, 0, density, side / 2 - density * cy];
  return { image: warpAffineRgb(image, imageToSource, { width: side, height: side }), imageToSource };
}
