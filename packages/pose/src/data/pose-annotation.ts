/**
 * One annotated person, in the top-down convention of HRNet (Sun et al. 2019) and SimpleBaseline
 * (Xiao et al. 2018): a person box given by `center` and `scale`, where `scale · 200` is the box's
 * width and height in pixels, already padded (MPII ×1.25, COCO ×1.25 with the model's aspect ratio).
 */
export interface PoseAnnotation {
  /** Image path, absolute or relative to the dataset's image root. */
  readonly image: string;
  /** Box center in image pixels. */
  readonly center: readonly [number, number];
  /** Box size / 200 along x and y. */
  readonly scale: readonly [number, number];
  /** Joint coordinates in image pixels, [x0, y0, x1, y1, …], 0-based. */
  readonly joints: Float32Array;
  /** 1 when the joint is annotated (it then gets a target and is scored), else 0. */
  readonly visibility: Float32Array;
  /** PCKh normaliser in pixels: 0.6 · ‖head-box diagonal‖ as in the MPII evaluation (MPII only). */
  readonly headSize?: number;
  /** COCO: the annotation's segment area in pixels² (OKS scale s²) and its image id. */
  readonly area?: number;
  readonly imageId?: number;
}

/** Number of joints of an annotation. */
export function jointCount(annotation: PoseAnnotation): number {
  return annotation.visibility.length;
}
