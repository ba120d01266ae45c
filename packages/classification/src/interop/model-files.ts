import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';

/** A TF.js model folder that cannot be read: names the file and what was expected. */
export class ModelFileError extends Error {
  constructor(
    readonly file: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${file}: expected ${expected}, found ${found}`);
    this.name = 'ModelFileError';
  }
}

/** The name of the weights file {@link modelFileSaver} writes beside model.json. */
export const WEIGHTS_FILE = 'weights.bin';

/**
 * Loads a TF.js `model.json` and its weight shards from disk (the `file://` handler of tfjs-node,
 * without tfjs-node): for `tf.loadLayersModel(modelFileLoader('path/to/model.json'))`. Shard paths
 * are read relative to model.json's folder.
 */
export function modelFileLoader(modelJsonFile: string): tf.io.IOHandler {
  return {
    load: async () => {
      if (!fs.existsSync(modelJsonFile)) throw new ModelFileError(modelJsonFile, 'a TF.js model.json', 'no such file');
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(fs.readFileSync(modelJsonFile, 'utf8')) as tf.io.ModelJSON;
      } catch (error) {
        throw new ModelFileError(modelJsonFile, 'JSON', `unparsable text (${(error as Error).message})`);
      }
      if (json.modelTopology === undefined) throw new ModelFileError(modelJsonFile, 'a "modelTopology" entry (TF.js layers format)', 'none');
      const folder = path.dirname(modelJsonFile);
      const manifest = json.weightsManifest ?? [];
      const shards = manifest.flatMap((group) => group.paths).map((shard) => {
        const file = path.join(folder, shard);
        if (!fs.existsSync(file)) throw new ModelFileError(modelJsonFile, `weight shard '${shard}' beside it`, 'no such file');
        const bytes = fs.readFileSync(file);
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      });
      return tf.io.getModelArtifactsForJSON(json, async () => [manifest.flatMap((group) => group.weights), tf.io.concatenateArrayBuffers(shards)]);
    },
  };
}

/**
 * Writes a model as TF.js layers format into `folder`: model.json (topology, one weights manifest
 * entry, training config if saved with the optimizer) and {@link WEIGHTS_FILE}; for
 * `model.save(modelFileSaver(folder))` in Node without tfjs-node. Each file is written to a
 * temporary name and renamed, so a crash never leaves half a file under the final name.
 */
export function modelFileSaver(folder: string): tf.io.IOHandler {
  return {
    save: async (artifacts) => {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new ModelFileError(folder, 'a layers model (JSON topology)', 'a binary graph topology');
      }
      fs.mkdirSync(folder, { recursive: true });
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      writeAtomically(path.join(folder, WEIGHTS_FILE), new Uint8Array(weightData));
      writeAtomically(path.join(folder, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

function writeAtomically(file: string, data: string | Uint8Array): void {
  const temporary = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(temporary, data);
  fs.renameSync(temporary, file);
}
