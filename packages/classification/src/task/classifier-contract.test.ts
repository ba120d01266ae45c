import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { TaskContractError } from '@ausam/core';
import { createModel } from '../models';
import type { ClassifierModel } from '../models/classifier-model';
import { ClassificationTask } from './classification-task';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('ClassificationTask checks its model when built', () => {
  it('refuses a tf.LayersModel with a TaskContractError naming it and the adapters', () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 2 })], name: 'users_model' });
    const build = () => new ClassificationTask(model as unknown as ClassifierModel);
    expect(build).toThrow(TaskContractError);
    expect(build).toThrow(/classification: ClassificationTask\(model\): expected a ClassifierModel .*found a tf.LayersModel \('users_model'\) — train it with fitWithMethod/);
  });

  it('names what an object lacks', () => {
    expect(() => new ClassificationTask({ trainableVariables: [] } as unknown as ClassifierModel, { name: 'mine' })).toThrow(
      /mine: ClassificationTask\(model\): expected .* found an object of class Object without forward\(\), stateVariables/,
    );
  });

  it('accepts the zoo models', () => {
    const model = createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 0 });
    expect(() => new ClassificationTask(model)).not.toThrow();
    model.dispose();
  });
});
