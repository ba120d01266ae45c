import * as path from 'node:path';
import { boxToCenterScale, loadCocoKeypoints } from './coco-keypoints';
import { PoseDatasetFormatError } from './errors';
import { loadMpiiAnnotations } from './mpii-json';

const fixtures = path.join(__dirname, '../../../../test-fixtures/pose');
const malformed = (name: string) => path.join(fixtures, 'malformed', name);

describe('MPII (HRNet JSON) loader', () => {
  it('applies HRNet conventions: 1-based → 0-based, center.y + 15·s, scale × 1.25', () => {
    const [first, second] = loadMpiiAnnotations(path.join(fixtures, 'mpii/hrnet-style.json'));
    expect(first.image).toBe('015601864.jpg');
    expect(first.center[0]).toBeCloseTo(593, 5);
    expect(first.center[1]).toBeCloseTo(257 + 15 * 3.021046 - 1, 4);
    expect(first.scale[0]).toBeCloseTo(3.021046 * 1.25, 6);
    expect(first.scale[1]).toBeCloseTo(3.021046 * 1.25, 6);
    expect(Array.from(first.joints.slice(0, 4))).toEqual([100, 200, 103, 202]);
    expect(first.visibility[9]).toBe(0);
    expect(first.visibility[8]).toBe(1);
    expect(first.headSize).toBeUndefined();
    // head size from the head box: 0.6 · ‖diagonal‖ (the fixture's box is a square of side = head length)
    const synthetic = loadMpiiAnnotations(path.join(fixtures, 'synthetic-mpii/annot/valid.json'))[0];
    expect(second.headSize).toBeCloseTo(synthetic.headSize!, 2);
  });

  it('reads the synthetic fixture with head sizes and keeps the raw convention when asked', () => {
    const train = loadMpiiAnnotations(path.join(fixtures, 'synthetic-mpii/annot/train.json'));
    expect(train).toHaveLength(6);
    for (const a of train) {
      expect(a.joints).toHaveLength(32);
      expect(a.headSize).toBeGreaterThan(0);
    }
    const raw = loadMpiiAnnotations(path.join(fixtures, 'synthetic-mpii/annot/train.json'), { hrnetConventions: false });
    expect(raw[0].joints[0]).toBeCloseTo(train[0].joints[0] + 1, 4);
    expect(raw[0].scale[0] * 1.25).toBeCloseTo(train[0].scale[0], 6);
  });

  it.each([
    ['mpii-not-a-list.json', /expected a JSON list of person entries/],
    ['mpii-15-joints.json', /entry 1: joints: expected 16 \[x, y\] pairs, found an array of 15/],
    ['mpii-bad-scale.json', /entry 0: scale: expected > 0, found -1/],
    ['mpii-string-coordinate.json', /entry 0: center\[1\]: expected a finite number, found "20"/],
    ['mpii-truncated.json', /expected valid JSON/],
    ['does-not-exist.json', /cannot read annotation file \(ENOENT\)/],
  ])('%s → PoseDatasetFormatError naming the file', (name, message) => {
    const file = malformed(name);
    let caught: unknown;
    try {
      loadMpiiAnnotations(file);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PoseDatasetFormatError);
    expect((caught as PoseDatasetFormatError).file).toBe(file);
    expect((caught as Error).message).toContain(file);
    expect((caught as Error).message).toMatch(message);
  });
});

describe('COCO keypoints loader', () => {
  const file = path.join(fixtures, 'coco/person_keypoints_tiny.json');

  it('skips crowd and unlabelled people and reads 17 joints with v > 0 as annotated', () => {
    const people = loadCocoKeypoints(file, { aspectRatio: 0.75 });
    expect(people).toHaveLength(8);
    for (const p of people) {
      expect(p.joints).toHaveLength(34);
      expect(p.visibility).toHaveLength(17);
      expect(p.area).toBeGreaterThan(0);
      expect(p.imageId).toBeGreaterThanOrEqual(100);
      // eyes and ears are unlabelled in this fixture
      expect(Array.from(p.visibility.slice(1, 5))).toEqual([0, 0, 0, 0]);
      // scale follows the aspect ratio: w/h = 0.75
      expect(p.scale[0] / p.scale[1]).toBeCloseTo(0.75, 6);
    }
  });

  it('turns a box into HRNet center/scale with aspect ratio and 1.25 padding', () => {
    const wide = boxToCenterScale([10, 20, 100, 50], 0.75);
    expect(wide.center).toEqual([60, 45]);
    expect(wide.scale[0]).toBeCloseTo((100 / 200) * 1.25, 9);
    expect(wide.scale[1]).toBeCloseTo((100 / 0.75 / 200) * 1.25, 9);
    const tall = boxToCenterScale([0, 0, 30, 200], 0.75);
    expect(tall.scale[0]).toBeCloseTo((150 / 200) * 1.25, 9);
    expect(tall.scale[1]).toBeCloseTo(1.25, 9);
  });

  it.each([
    ['coco-no-annotations.json', /annotations: expected a list, found undefined/],
    ['coco-short-keypoints.json', /annotations\[0\]\.keypoints: expected 51 numbers, found 50/],
    ['coco-unknown-image.json', /annotations\[0\]\.image_id: no image with id 7/],
  ])('%s → PoseDatasetFormatError', (name, message) => {
    expect(() => loadCocoKeypoints(malformed(name), { aspectRatio: 0.75 })).toThrow(PoseDatasetFormatError);
    expect(() => loadCocoKeypoints(malformed(name), { aspectRatio: 0.75 })).toThrow(message);
  });
});
