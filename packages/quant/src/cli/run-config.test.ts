import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '@ausam/core';
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

  it('names the file and the key of every bad value', () => {
    const bad = (patch: object) => () => validateRunConfig({ ...valid, ...patch }, 'c.json');
    expect(bad({ quantization: { weightBits: 1, activationBits: 4 } })).toThrow(
      /^c\.json: invalid config:\n {2}- quantization\.weightBits: Number must be greater than or equal to 2$/,
    );
    expect(bad({ quantization: { weightBits: 4, activationBits: 4, quantiser: 'lsq' } })).toThrow(/quantization: Unrecognized key\(s\) in object: 'quantiser'/);
    expect(bad({ method: { method: 'adam' } })).toThrow(/method\.method: Invalid enum value\. Expected 'sgd' \| 'sam'/);
    expect(bad({ method: { method: 'sam', rho: -1 } })).toThrow(/method\.rho: Number must be greater than 0/);
    expect(bad({ dataset: { name: 'imagenet' } })).toThrow(/dataset\.name: Invalid enum value\. Expected 'cifar10' \| 'cifar100'/);
    expect(bad({ epochs: 0 })).toThrow('c.json: invalid config:\n  - epochs: Number must be greater than 0');
    expect(bad({ lr: 0.1 })).toThrow(/\(root\): Unrecognized key\(s\) in object: 'lr'/);
    expect(bad({ epochs: 0 })).toThrow(ConfigError);
    // Every problem at once, not only the first.
    expect(bad({ epochs: 0, batchSize: 1.5 })).toThrow(/- epochs: .*\n {2}- batchSize: Expected integer, received float/);
  });

  it('names a missing config file', () => {
    expect(() => readRunConfig('/nonexistent/run.json')).toThrow('/nonexistent/run.json: invalid config:\n  - no such file');
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
