/**
 * Regenerates the committed pose test fixtures under test-fixtures/pose/:
 *   synthetic-mpii/   8 synthetic images (96 px) + annot/{train,valid}.json in HRNet's MPII format
 *   mpii/hrnet-style.json   two entries shaped like HRNet's annot/valid.json (one without head size)
 *   coco/person_keypoints_tiny.json   the same figures as COCO keypoints (+ a crowd and an unlabelled person)
 *   malformed/        broken MPII and COCO files the loader tests expect typed errors for
 *
 *   npx tsx --tsconfig tsconfig.base.json tools/pose/make-pose-fixtures.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeSyntheticDataset } from '../../packages/pose/src/synthetic/write-synthetic-dataset';
import type { MpiiJsonEntry } from '../../packages/pose/src/synthetic/write-synthetic-dataset';

const root = path.join(__dirname, '../../test-fixtures/pose');

/** COCO keypoint → MPII joint it is read from (eyes and ears are left unlabelled). */
const COCO_FROM_MPII: (number | 'head' | undefined)[] = [
  'head', undefined, undefined, undefined, undefined, 13, 12, 14, 11, 15, 10, 3, 2, 4, 1, 5, 0,
];

function toCoco(entries: MpiiJsonEntry[], size: number) {
  const images = entries.map((e, i) => ({ id: 100 + i, file_name: e.image, width: size, height: size }));
  const annotations = entries.map((e, i) => {
    // Back to 0-based pixels.
    const joint = (j: number) => [e.joints[j][0] - 1, e.joints[j][1] - 1];
    const keypoints: number[] = [];
    for (const source of COCO_FROM_MPII) {
      if (source === undefined) keypoints.push(0, 0, 0);
      else if (source === 'head') {
        const [nx, ny] = joint(8);
        const [tx, ty] = joint(9);
        keypoints.push(round((nx + tx) / 2), round((ny + ty) / 2), e.joints_vis[9] ? 2 : 0);
      } else {
        const [x, y] = joint(source);
        keypoints.push(round(x), round(y), e.joints_vis[source] ? 2 : 0);
      }
    }
    const xs = e.joints.map((p) => p[0] - 1);
    const ys = e.joints.map((p) => p[1] - 1);
    const bbox = [Math.min(...xs), Math.min(...ys), Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)].map(round);
    return {
      id: 1000 + i,
      image_id: 100 + i,
      category_id: 1,
      iscrowd: 0,
      keypoints,
      num_keypoints: keypoints.filter((_, k) => k % 3 === 2 && keypoints[k] > 0).length,
      bbox,
      area: round(bbox[2] * bbox[3] * 0.6),
    };
  });
  // Skipped by the loader: a crowd region and a person without labelled keypoints.
  annotations.push(
    { id: 2000, image_id: 100, category_id: 1, iscrowd: 1, keypoints: new Array(51).fill(0), num_keypoints: 0, bbox: [0, 0, 20, 20], area: 300 },
    { id: 2001, image_id: 101, category_id: 1, iscrowd: 0, keypoints: new Array(51).fill(0), num_keypoints: 0, bbox: [5, 5, 30, 40], area: 700 },
  );
  return {
    info: { description: 'AUSAM pose test fixture: synthetic stick figures as COCO keypoints' },
    images,
    annotations,
    categories: [{ id: 1, name: 'person', supercategory: 'person', keypoints: [], skeleton: [] }],
  };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

async function main(): Promise<void> {
  const size = 96;
  const { train, valid } = await writeSyntheticDataset({
    outDir: path.join(root, 'synthetic-mpii'),
    trainCount: 6,
    validCount: 2,
    imageSize: size,
    seed: 7,
  });
  mkdirSync(path.join(root, 'coco'), { recursive: true });
  writeFileSync(path.join(root, 'coco/person_keypoints_tiny.json'), `${JSON.stringify(toCoco([...train, ...valid], size))}\n`);

  mkdirSync(path.join(root, 'mpii'), { recursive: true });
  const hrnetStyle = [
    // Shaped like HRNet's MPII files: integer-ish MATLAB coordinates, no head size.
    { joints_vis: new Array(16).fill(1).map((v, j) => (j === 9 ? 0 : v)), joints: Array.from({ length: 16 }, (_, j) => [101 + 3 * j, 201 + 2 * j]), image: '015601864.jpg', scale: 3.021046, center: [594.0, 257.0] },
    { ...valid[0], image: valid[0].image, head_size: undefined },
  ];
  writeFileSync(path.join(root, 'mpii/hrnet-style.json'), `${JSON.stringify(hrnetStyle)}\n`);

  const malformed = path.join(root, 'malformed');
  mkdirSync(malformed, { recursive: true });
  const good = train[0];
  const files: Record<string, string> = {
    'mpii-not-a-list.json': JSON.stringify({ annotations: [good] }),
    'mpii-15-joints.json': JSON.stringify([good, { ...good, joints: good.joints.slice(0, 15) }]),
    'mpii-bad-scale.json': JSON.stringify([{ ...good, scale: -1 }]),
    'mpii-string-coordinate.json': JSON.stringify([{ ...good, center: [10, '20'] }]),
    'mpii-truncated.json': JSON.stringify([good]).slice(0, 60),
    'coco-no-annotations.json': JSON.stringify({ images: [] }),
    'coco-short-keypoints.json': JSON.stringify({
      images: [{ id: 1, file_name: 'a.png', width: 96, height: 96 }],
      annotations: [{ id: 1, image_id: 1, category_id: 1, iscrowd: 0, keypoints: new Array(50).fill(1), num_keypoints: 17, bbox: [1, 1, 20, 20], area: 100 }],
    }),
    'coco-unknown-image.json': JSON.stringify({
      images: [{ id: 1, file_name: 'a.png', width: 96, height: 96 }],
      annotations: [{ id: 1, image_id: 7, category_id: 1, iscrowd: 0, keypoints: new Array(51).fill(1), num_keypoints: 17, bbox: [1, 1, 20, 20], area: 100 }],
    }),
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(malformed, name), `${text}\n`);
  console.error(`wrote fixtures under ${root}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
