// Runnable from the repo root: npx tsx --tsconfig tsconfig.base.json packages/pose/examples/train-fixture.ts
import { Rng, buildMethod, constantSchedule, selectBackend, train } from '@ausam/core';
import {
  MPII_AUGMENTATION, MPII_SKELETON, PoseDataset, PoseTask, buildPoseModel, hrnetSmall, loadMpiiAnnotations, meanPoseBaseline,
} from '@ausam/pose';

async function main() {
  await selectBackend({ force: 'wasm' }); // conv-heavy: wasm (or tfjs-node when installed)
  const root = 'test-fixtures/pose/synthetic-mpii'; // 8 images; `tools/pose/generate-synthetic-pose.ts` makes more
  const trainPeople = loadMpiiAnnotations(`${root}/annot/train.json`); // HRNet's MPII JSON format
  const validPeople = loadMpiiAnnotations(`${root}/annot/valid.json`);
  const size = { inputSize: { width: 64, height: 64 }, heatmapSize: { width: 16, height: 16 }, sigma: 1 };
  const common = { skeleton: MPII_SKELETON, imageRoot: `${root}/images`, ...size };
  const trainSet = await PoseDataset.create(trainPeople, { ...common, augmentation: MPII_AUGMENTATION });
  const validSet = await PoseDataset.create(validPeople, common);

  const model = buildPoseModel(hrnetSmall(16, size.inputSize), new Rng(0)); // or hrnetW(32, 16, {256, 256})
  const task = new PoseTask({ model, skeleton: MPII_SKELETON, flipTest: true });
  const { optimizer, sampler } = buildMethod({ method: 'ausam', rho: 0.05, ratio: 0.5, base: { kind: 'adamw' } }, trainSet.size, 0);
  const summary = await train({
    task, trainSet, evalSets: { valid: validSet }, optimizer, sampler,
    learningRate: constantSchedule(1e-3), epochs: 2, batchSize: 3, evalBatchSize: 8, seed: 0, progress: false,
  });
  console.log('PCKh@0.5', summary.final.valid.pckh, '| mean-pose baseline', meanPoseBaseline(trainPeople, validPeople, MPII_SKELETON).pckh);
  task.dispose();
  model.dispose();
}

main();
