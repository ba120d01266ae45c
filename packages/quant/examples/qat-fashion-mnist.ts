// QAT in two steps on real Fashion-MNIST (Debian's dataset-fashion-mnist): a ResNet-8 in full
// precision, then LSQ W4A4 quantization-aware fine-tuning with AUSAM. About 20 s on two CPU cores (wasm).
import { buildMethod, cosineSchedule, selectBackend, snapshotWeights, train } from '@ausam/core';
import { ClassificationTask, createModel, loadFashionMnist } from '@ausam/classification';
import { effectiveModelSize, quantizeModel, QuantizedClassificationTask, verifyWeightLevels } from '@ausam/quant';

async function main(): Promise<void> {
  await selectBackend();
  const data = await loadFashionMnist(); // /usr/share/datasets/fashion-mnist by default
  const trainSet = data.train.subset(1024);
  const testSet = data.test.subset(500);
  const modelOptions = { numClasses: 10, inputChannels: 1, seed: 0 };
  const common = { trainSet, evalSets: { test: testSet }, batchSize: 64, seed: 0, progress: false, log: () => {} };

  // 1. Full precision.
  const fullPrecision = createModel('resnet-small', modelOptions);
  const sgd = buildMethod({ method: 'sgd' }, trainSet.size, 0);
  const fp = await train({ ...common, task: new ClassificationTask(fullPrecision), ...sgd, learningRate: cosineSchedule(0.05, 2), epochs: 2 });
  const weights = snapshotWeights(fullPrecision); // name → Float32Array
  fullPrecision.dispose();

  // 2. QAT from those weights: every conv/dense but the stem conv and the head runs at W4A4.
  const model = quantizeModel(createModel('resnet-small', modelOptions), { weightBits: 4, activationBits: 4 });
  model.initializeFromFullPrecision(weights); // weight steps from the weights, activation steps from the first batch
  const ausam = buildMethod({ method: 'ausam', rho: 0.05, ratio: 0.5 }, trainSet.size, 0);
  const qat = await train({ ...common, task: new QuantizedClassificationTask(model), ...ausam, learningRate: cosineSchedule(0.01, 2), epochs: 2 });

  const size = effectiveModelSize(model);
  console.log(`full precision: test accuracy ${(100 * fp.final.test.accuracy).toFixed(1)}%`);
  console.log(`W4A4 (AUSAM):   test accuracy ${(100 * qat.final.test.accuracy).toFixed(1)}%`);
  console.log(`size ${(size.fullPrecisionBits / 8 / 1024).toFixed(1)} KiB → ${(size.bits / 8 / 1024).toFixed(1)} KiB (${size.compressionRatio.toFixed(2)}×)`);
  console.log(`≤ 16 values per output channel: ${verifyWeightLevels(model).ok}`);
  model.dispose();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
