import { Rng, buildMethod, constantSchedule, selectBackend, train } from '@ausam/core';
import { MPII_AUGMENTATION, MPII_SKELETON, PoseDataset, PoseTask, buildPoseModel, hrnetSmall,
  loadMpiiAnnotations, meanPoseBaseline, writeSyntheticDataset } from '@ausam/pose';

// An async main, so the example runs as pasted in a default (CommonJS) npm project.
async function main(): Promise<void> {
  await selectBackend({ force: 'wasm' });
  // 160 stick figures in MPII's format (HRNet's JSON); the same seed writes the same bytes.
  const root = 'synthetic-pose';
  await writeSyntheticDataset({ outDir: root, trainCount: 128, validCount: 32, imageSize: 128, seed: 0 });
  const trainPeople = loadMpiiAnnotations(`${root}/annot/train.json`);
  const validPeople = loadMpiiAnnotations(`${root}/annot/valid.json`);
  const size = { inputSize: { width: 64, height: 64 }, heatmapSize: { width: 16, height: 16 }, sigma: 1 };
  const common = { skeleton: MPII_SKELETON, imageRoot: `${root}/images`, ...size };
  const trainSet = await PoseDataset.create(trainPeople, { ...common, augmentation: MPII_AUGMENTATION });
  const validSet = await PoseDataset.create(validPeople, common);
  const model = buildPoseModel(hrnetSmall(16, size.inputSize), new Rng(0));
  const task = new PoseTask({ model, skeleton: MPII_SKELETON, flipTest: true });
  const { optimizer, sampler } = buildMethod({ method: 'ausam', rho: 0.002, ratio: 0.5, base: { kind: 'adamw' } }, trainSet.size, 0);
  const summary = await train({ task, trainSet, evalSets: { valid: validSet }, optimizer, sampler,
    learningRate: constantSchedule(2e-3), epochs: 2, batchSize: 16, seed: 0, progress: false });
  const baseline = meanPoseBaseline(trainPeople, validPeople, MPII_SKELETON);
  console.log(`valid PCKh@0.5 ${summary.final.valid.pckh.toFixed(2)} (mean-pose baseline ${baseline.pckh.toFixed(2)})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
