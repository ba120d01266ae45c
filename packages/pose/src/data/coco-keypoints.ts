import { PoseDatasetFormatError } from './errors';
import type { PoseAnnotation } from './pose-annotation';
import { describe, expectNumber, expectNumberArray, expectObject, readJsonFile } from './read-json';
import { COCO_SKELETON } from './skeletons';

/** COCO has 17 person keypoints. */
export const COCO_JOINT_COUNT = COCO_SKELETON.jointNames.length;

export interface CocoLoadOptions {
  /** The model input's width / height (192/256 = 0.75 for HRNet's COCO 256×192); boxes are grown to it. */
  readonly aspectRatio: number;
  /** Box padding factor, 1.25 in HRNet/SimpleBaseline. */
  readonly boxPadding?: number;
}

/**
 * Reads a COCO keypoints file (`person_keypoints_{train,val}2017.json`) into top-down person samples,
 * following HRNet's `coco.py`: boxes are clipped to the image, people without any labelled keypoint
 * and crowd regions are skipped, a joint is annotated when its flag v > 0 (v=1 labelled but hidden,
 * v=2 visible), and the box becomes center/scale by {@link boxToCenterScale}.
 */
export function loadCocoKeypoints(file: string, options: CocoLoadOptions): PoseAnnotation[] {
  const root = expectObject(readJsonFile(file), file, 'top level');
  if (!Array.isArray(root.images)) throw new PoseDatasetFormatError(file, `images: expected a list, found ${describe(root.images)}`);
  if (!Array.isArray(root.annotations)) {
    throw new PoseDatasetFormatError(file, `annotations: expected a list, found ${describe(root.annotations)}`);
  }
  const images = new Map<number, { fileName: string; width: number; height: number }>();
  root.images.forEach((raw, i) => {
    const image = expectObject(raw, file, `images[${i}]`);
    const id = expectNumber(image.id, file, `images[${i}].id`);
    if (typeof image.file_name !== 'string') {
      throw new PoseDatasetFormatError(file, `images[${i}].file_name: expected a string, found ${describe(image.file_name)}`);
    }
    images.set(id, {
      fileName: image.file_name,
      width: expectNumber(image.width, file, `images[${i}].width`),
      height: expectNumber(image.height, file, `images[${i}].height`),
    });
  });

  const people: PoseAnnotation[] = [];
  root.annotations.forEach((raw, i) => {
    const where = `annotations[${i}]`;
    const annotation = expectObject(raw, file, where);
    if (annotation.category_id !== undefined && annotation.category_id !== 1) return;
    if (annotation.iscrowd === 1) return;
    const imageId = expectNumber(annotation.image_id, file, `${where}.image_id`);
    const image = images.get(imageId);
    if (!image) throw new PoseDatasetFormatError(file, `${where}.image_id: no image with id ${imageId} in images`);
    const keypoints = expectNumberArray(annotation.keypoints, file, `${where}.keypoints`, COCO_JOINT_COUNT * 3);
    const [x, y, w, h] = expectNumberArray(annotation.bbox, file, `${where}.bbox`, 4);
    const box = clipBox(x, y, w, h, image.width, image.height);
    const area = expectNumber(annotation.area, file, `${where}.area`);
    if (!box || area <= 0) return;
    if (Math.max(...keypoints) === 0) return;
    const joints = new Float32Array(COCO_JOINT_COUNT * 2);
    const visibility = new Float32Array(COCO_JOINT_COUNT);
    for (let j = 0; j < COCO_JOINT_COUNT; j++) {
      joints[2 * j] = keypoints[3 * j];
      joints[2 * j + 1] = keypoints[3 * j + 1];
      visibility[j] = keypoints[3 * j + 2] > 0 ? 1 : 0;
    }
    const { center, scale } = boxToCenterScale(box, options.aspectRatio, options.boxPadding ?? 1.25);
    people.push({ image: image.fileName, center, scale, joints, visibility, area, imageId });
  });
  return people;
}

/** HRNet's box sanitising: clip [x, y, w, h] to the image; undefined for an empty box. */
function clipBox(x: number, y: number, w: number, h: number, width: number, height: number) {
  const x1 = Math.max(0, x);
  const y1 = Math.max(0, y);
  const x2 = Math.min(width - 1, x1 + Math.max(0, w - 1));
  const y2 = Math.min(height - 1, y1 + Math.max(0, h - 1));
  if (x2 < x1 || y2 < y1) return undefined;
  return [x1, y1, x2 - x1, y2 - y1] as const;
}

/**
 * Box [x, y, w, h] → center and scale (HRNet `_xywh2cs`): the box is widened or heightened to the
 * model's aspect ratio, then `scale = (w, h) / 200 · padding`.
 */
export function boxToCenterScale(
  box: readonly [number, number, number, number],
  aspectRatio: number,
  padding = 1.25,
): { center: [number, number]; scale: [number, number] } {
  const [x, y] = box;
  let [, , w, h] = box;
  const center: [number, number] = [x + w * 0.5, y + h * 0.5];
  if (w > aspectRatio * h) h = w / aspectRatio;
  else if (w < aspectRatio * h) w = h * aspectRatio;
  return { center, scale: [(w / 200) * padding, (h / 200) * padding] };
}
