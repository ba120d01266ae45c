import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { z } from 'zod';
import { ConfigError, parseConfig, readJsonFile, trainingSectionSchema } from './training-config';

const schema = z.object({ ...trainingSectionSchema }).strict();
const valid = {
  name: 'demo',
  method: { method: 'ausam', rho: 0.05, ratio: 0.5, warmupEpochs: 1, ausam: { fMin: 0.1, fMax: 0.5, transitionEpochs: 0.6 } },
  learningRate: { kind: 'cosine', lr: 0.05 },
  epochs: 3,
  batchSize: 128,
  seed: 1,
};

describe('run configs', () => {
  it('accepts a valid config', () => {
    expect(parseConfig(schema, valid, 'demo.json').method.method).toBe('ausam');
  });

  it('lists every bad field by path', () => {
    const bad = { ...valid, epochs: 0, method: { method: 'adam', ratio: 2 }, extra: true };
    let error: ConfigError | undefined;
    try {
      parseConfig(schema, bad, 'bad.json');
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/^bad.json: invalid config/);
    expect(error!.message).toMatch(/epochs: Number must be greater than 0/);
    expect(error!.message).toMatch(/method.method: Invalid enum value. Expected 'sgd' \| 'sam'/);
    expect(error!.message).toMatch(/method.ratio: Number must be less than or equal to 1/);
    expect(error!.message).toMatch(/Unrecognized key\(s\) in object: 'extra'/);
  });

  it('rejects an AUSAM floor above its ceiling and a fractional warm-up', () => {
    const bad = { ...valid, method: { method: 'ausam', warmupEpochs: 0.5, ausam: { fMin: 0.6, fMax: 0.5 } } };
    expect(() => parseConfig(schema, bad, 'bad.json')).toThrow(/method.warmupEpochs: Expected integer[\s\S]*method.ausam: fMin must be ≤ fMax/);
  });

  it('names the file when it is missing or not JSON', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-config-'));
    expect(() => readJsonFile(path.join(dir, 'none.json'))).toThrow(/none.json: invalid config:\n {2}- no such file/);
    fs.writeFileSync(path.join(dir, 'broken.json'), '{ "name": ');
    expect(() => readJsonFile(path.join(dir, 'broken.json'))).toThrow(/broken.json: invalid config:\n {2}- not valid JSON/);
  });
});

describe('run configs that are not objects, and flags', () => {
  it('refuses anything but a JSON object with one line, in the file and in parseConfig', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ausam-config-'));
    const cases: Array<[string, string]> = [
      ['[1, 2, 3]', 'an array (3 items)'],
      ['"train"', 'a string ("train")'],
      ['null', 'null'],
      ['42', 'a number (42)'],
    ];
    for (const [text, found] of cases) {
      const file = path.join(dir, 'config.json');
      fs.writeFileSync(file, text);
      expect(() => readJsonFile(file)).toThrow(`${file}: invalid config:\n  - expected a JSON object, found ${found}`);
      expect(() => parseConfig(schema, JSON.parse(text), 'inline')).toThrow(`inline: invalid config:\n  - expected a JSON object, found ${found}`);
    }
  });

  it('names the flag, its value and the key for a bad value given on the command line', () => {
    const flags = { 'learningRate.lr': '--lr', 'method.method': '--method' };
    const byFlag = { ...valid, learningRate: { kind: 'cosine', lr: -1 }, method: { method: 'adam' } };
    expect(() => parseConfig(schema, byFlag, 'demo.json', flags)).toThrow(/^command line: invalid config:\n {2}- --method: Invalid enum value\. .*, found "adam" \(method\.method\)\n {2}- --lr: Number must be greater than 0, found -1 \(learningRate\.lr\)$/);
    const mixed = { ...byFlag, method: valid.method, epochs: 0 };
    expect(() => parseConfig(schema, mixed, 'demo.json', flags)).toThrow(/^demo\.json and command line: invalid config:\n {2}- --lr: Number must be greater than 0, found -1 \(learningRate\.lr\)\n {2}- epochs: Number must be greater than 0$/);
  });
});
