import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Rng } from '@ausam/core';
import { loadMpiiAnnotations } from '../data/mpii-json';
import { renderScene } from './render-scene';
import { sampleStickFigure } from './stick-figure';
import { writeSyntheticDataset } from './write-synthetic-dataset';

describe('synthetic stick figures', () => {
  it("put a front-facing figure's right shoulder and hip on the image's left, a back-facing one's on the right", () => {
    const rng = new Rng(3);
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const figure = sampleStickFigure(rng, 100, [64, 64], 0);
      const x = (j: number) => figure.joints[2 * j];
      const rightIsLeft = x(12) < x(13) && x(2) < x(3);
      const rightIsRight = x(12) > x(13) && x(2) > x(3);
      expect(figure.facing === 'front' ? rightIsLeft : rightIsRight).toBe(true);
      seen.add(figure.facing);
    }
    expect(seen.size).toBe(2);
  });

  it('renders the same PNG bytes from the same seed', async () => {
    const a = await renderScene(new Rng(9), 48);
    const b = await renderScene(new Rng(9), 48);
    const c = await renderScene(new Rng(10), 48);
    expect(a.png.equals(b.png)).toBe(true);
    expect(a.png.equals(c.png)).toBe(false);
    expect(Array.from(a.visibility)).toEqual(Array.from(b.visibility));
  });

  it('writes an MPII-format dataset the MPII loader reads back onto the figures', async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'ausam-pose-synthetic-'));
    try {
      const written = await writeSyntheticDataset({ outDir, trainCount: 3, validCount: 1, imageSize: 64, seed: 1 });
      const train = loadMpiiAnnotations(path.join(outDir, 'annot/train.json'));
      const valid = loadMpiiAnnotations(path.join(outDir, 'annot/valid.json'));
      expect(train).toHaveLength(3);
      expect(valid).toHaveLength(1);
      train.forEach((a, i) => {
        // loader conventions undo the writer's: joints back to 0-based, box center = figure box center
        expect(a.joints[0]).toBeCloseTo(written.train[i].joints[0][0] - 1, 3);
        const xs = Array.from({ length: 16 }, (_, j) => a.joints[2 * j]);
        expect(a.center[0]).toBeCloseTo((Math.min(...xs) + Math.max(...xs)) / 2, 2);
        expect(a.scale[0] * 200).toBeGreaterThanOrEqual(Math.max(...xs) - Math.min(...xs));
        expect(a.headSize).toBeGreaterThan(0);
        for (let j = 0; j < 16; j++) {
          if (a.visibility[j] === 0) continue;
          expect(a.joints[2 * j]).toBeGreaterThanOrEqual(0);
          expect(a.joints[2 * j]).toBeLessThanOrEqual(63);
        }
      });
      expect(readFileSync(path.join(outDir, 'images', train[0].image)).subarray(1, 4).toString()).toBe('PNG');
      // a different train count leaves the validation split unchanged
      const again = await writeSyntheticDataset({ outDir, trainCount: 1, validCount: 1, imageSize: 64, seed: 1 });
      expect(again.valid).toEqual(written.valid);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
