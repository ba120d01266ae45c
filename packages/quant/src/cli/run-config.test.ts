import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from './config-error';
import { readRunConfig, validateRunConfig } from './run-config';
import { applyOverrides } from './run-training';

const CONFIGS = path.join(__dirname, '..', '..', 'configs');

const valid = {
  name: 'x',
  dataset: { name: 'fashion-mnist', trainLimit: 100 },
  model: 'resnet-small',
  quantization: { weightBits: 4, activationBits: 4 },
  method: { method: 'sam' },
  learningRate: { kind: 'cosine', lr: 0.05 },
  epochs: 1,
  batchSize: 8,
  seed: 0,
};

describe('run configs', () => {
  it.each(fs.readdirSync(CONFIGS).filter((f) => f.endsWith('.json')))('configs/%s is valid', (file) => {
    const config = readRunConfig(path.join(CONFIGS, file));
    expect(file).toContain(`w${config.quantization.weightBits}a${config.quantization.activationBits}`);
  });

  it('names the file and the key of a bad value', () => {
    const bad = (patch: object) => () => validateRunConfig({ ...valid, ...patch }, 'c.json');
    expect(bad({ quantization: { weightBits: 1, activationBits: 4 } })).toThrow(
      'c.json: quantization: weightBits: expected an integer in 2..8, found 1',
    );
    expect(bad({ method: { method: 'adam' } })).toThrow(/^c\.json: method\.method: expected one of sgd, sam/);
    expect(bad({ dataset: { name: 'imagenet' } })).toThrow(/^c\.json: dataset\.name: expected one of cifar10, cifar100/);
    expect(bad({ epochs: 0 })).toThrow('c.json: epochs: expected a positive integer, found 0');
    expect(bad({ lr: 0.1 })).toThrow(/^c\.json: lr: unknown key/);
    expect(bad({ epochs: 0 })).toThrow(ConfigError);
  });

  it('applies command-line overrides and names the run folder after what is run', () => {
    const config = validateRunConfig(valid, 'c.json');
    const resolved = applyOverrides(config, { weightBits: 2, activationBits: 3, method: 'ausam' });
    expect(resolved.quantization).toEqual({ weightBits: 2, activationBits: 3 });
    expect(resolved.method.method).toBe('ausam');
    expect(resolved.outputDir).toBe(path.join('runs', 'resnet-small-fashion-mnist-w2a3-ausam'));
    expect(applyOverrides(config, { outputDir: '/tmp/run' }).outputDir).toBe('/tmp/run');
  });
});
