import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { TabularDataset, TabularTask } from '../../examples/tabular-task';
import { buildMethod } from '../methods/build-method';
import { cosineSchedule } from '../optim/schedule/schedules';
import { Rng } from '../random/rng';
import { train } from '../train/trainer';

const guide = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'docs', 'plugin-guide.md'), 'utf8');
const example = (file: string) => fs.readFileSync(path.join(__dirname, '..', '..', 'examples', file), 'utf8');

/** The first ```ts block under the heading that names `file`. */
function guideBlock(file: string): string {
  const heading = guide.search(new RegExp(`^#+ .*\`${file.replace(/\./g, '\\.')}\`$`, 'm'));
  if (heading < 0) throw new Error(`docs/plugin-guide.md: no heading naming \`${file}\` followed by a ts block`);
  const start = guide.indexOf('```ts\n', heading) + '```ts\n'.length;
  return guide.slice(start, guide.indexOf('```\n', start));
}

function blobs(rows: number, seed: number): TabularDataset {
  const rng = new Rng(seed);
  const labels = Int32Array.from({ length: rows }, (_, i) => i % 3);
  const features = Float32Array.from({ length: rows * 4 }, (_, k) => (k % 4 === labels[Math.floor(k / 4)] ? 2 : 0) + rng.normal());
  return new TabularDataset(features, labels, 4);
}

describe('the plugin guide', () => {
  it('shows the example files verbatim (so what the guide shows is what is type-checked and tested)', () => {
    expect(guideBlock('tabular-task.ts')).toBe(example('tabular-task.ts'));
    expect(guideBlock('train-tabular.ts')).toBe(example('train-tabular.ts'));
    expect(guideBlock('train-tabular-replicas.ts')).toBe(example('train-tabular-replicas.ts'));
  });

  it("its tabular task trains with AUSAM through core's checks, leaving no tensor behind", async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const trainSet = blobs(600, 1);
    const task = new TabularTask(4, 3, 7);
    const { optimizer, sampler } = buildMethod({ method: 'ausam', rho: 0.05, ratio: 0.5 }, trainSet.size, 1);
    const summary = await train({
      task, trainSet, evalSets: { test: blobs(300, 2) }, optimizer, sampler,
      learningRate: cosineSchedule(0.1, 4), epochs: 4, batchSize: 64, seed: 1, progress: false, log: () => {},
    });
    expect(summary.final.test.accuracy).toBeGreaterThan(0.8);
    expect(summary.fractionOfSamWork).toBeLessThan(1);
    optimizer.dispose();
    task.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
