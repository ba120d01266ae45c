import * as path from 'path';
import * as tfl from '@tensorflow/tfjs-layers';
import { LayersClassifier } from './layers-classifier';
import { modelFileLoader, modelFileSaver } from './model-files';

/** The folder of a run where `ausam-classify train --model-file` writes the trained model back. */
export const TFJS_MODEL_FOLDER = 'tfjs-model';

/**
 * Loads a TF.js LayersModel (model.json + weight shards) from disk as a classifier, checking that it
 * takes images of `imageShape` ([h, w, c]) and scores `numClasses` classes.
 */
export async function loadLayersClassifier(modelJsonFile: string, imageShape: readonly number[], numClasses: number): Promise<LayersClassifier> {
  const model = await tfl.loadLayersModel(modelFileLoader(modelJsonFile));
  const classifier = new LayersClassifier(model);
  const takes = classifier.inputShape;
  if (takes.some((d, i) => d !== null && d !== imageShape[i])) {
    classifier.dispose();
    throw new RangeError(`${modelJsonFile}: the model takes images [${takes.join(', ')}], the dataset has [${imageShape.join(', ')}]`);
  }
  if (classifier.numClasses !== numClasses) {
    classifier.dispose();
    throw new RangeError(`${modelJsonFile}: the model scores ${classifier.numClasses} classes, the dataset has ${numClasses}`);
  }
  return classifier;
}

/** Saves the classifier's model in TF.js layers format into `<runDir>/tfjs-model/` and returns the model.json path. */
export async function saveLayersClassifier(classifier: LayersClassifier, runDir: string): Promise<string> {
  const folder = path.join(runDir, TFJS_MODEL_FOLDER);
  await classifier.layersModel.save(modelFileSaver(folder));
  return path.join(folder, 'model.json');
}
