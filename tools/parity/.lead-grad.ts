import * as fs from 'fs';
import { FIRST_PASS, lossAndGradients, selectBackend, variableName } from '@ausam/core';
import { ClassificationTask, createModel, loadFashionMnist, loadPyTorchWeightsFile, NO_AUGMENTATION } from '@ausam/classification';
import { layoutOf, pytorchKey, toPyTorchLayout } from '../../packages/classification/src/weights/pytorch-layout';
(async () => {
  const backend = process.argv[2] ?? 'wasm';
  await selectBackend({ force: backend as never, log: () => {} });
  const { ids } = JSON.parse(fs.readFileSync('/tmp/ausam-parity/dbg/batches.json', 'utf8'));
  const { train } = await loadFashionMnist();
  const ds = train.with({ augmentation: NO_AUGMENTATION });
  const model = createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 0 });
  loadPyTorchWeightsFile(model, '/tmp/ausam-parity/dbg/init.safetensors');
  const task = new ClassificationTask(model);
  const out: Record<string, number[]> = {};
  const n = Number(process.argv[3] ?? 128);
  for await (const batch of ds.batches(Int32Array.from(ids.slice(0, n)), n)) {
    const { perSampleLoss, gradients } = lossAndGradients(task, batch, FIRST_PASS);
    console.error('loss', perSampleLoss.reduce((a, b) => a + b, 0) / perSampleLoss.length);
    task.model.trainableVariables.forEach((v, i) => {
      out[pytorchKey(variableName(v))] = Array.from(toPyTorchLayout(gradients[i].dataSync() as Float32Array, v.shape, layoutOf(v)));
    });
  }
  fs.writeFileSync(`/tmp/gradcmp/ours-${backend}-${n}.json`, JSON.stringify(out));
})();
