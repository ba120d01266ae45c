import { parseTrainArguments } from './arguments';
import { ConfigError } from '@ausam/core';

describe('parseTrainArguments', () => {
  it('reads the config, bit widths and method', () => {
    expect(
      parseTrainArguments(['train', '--config', 'c.json', '--weight-bits', '2', '--act-bits', '4', '--method', 'ausam', '--resume']),
    ).toEqual({
      config: 'c.json',
      weightBits: 2,
      activationBits: 4,
      method: 'ausam',
      outputDir: undefined,
      epochs: undefined,
      resume: true,
      overwrite: false,
      progress: true,
    });
  });

  it('reads --overwrite', () => {
    expect(parseTrainArguments(['train', '--config', 'c.json', '--overwrite'])).toMatchObject({ resume: false, overwrite: true });
  });

  it.each([
    [['fit', '--config', 'c.json'], /expected the command 'train', found 'fit'/],
    [['train'], /--config <file> is required/],
    [['train', '--config', 'c.json', '--weight-bits', '1'], /--weight-bits: expected an integer in 2\.\.8, found 1/],
    [['train', '--config', 'c.json', '--act-bits', 'four'], /--act-bits: expected an integer in 2\.\.8, found NaN/],
    [['train', '--config', 'c.json', '--method', 'adam'], /--method: expected one of sgd, sam, .*found 'adam'/],
    [['train', '--config', '--weight-bits', '4'], /--config needs a value/],
    [['train', '--config', 'c.json', '--lr', '1'], /unknown argument '--lr'/],
  ])('rejects %p', (argv, message) => {
    expect(() => parseTrainArguments(argv)).toThrow(ConfigError);
    expect(() => parseTrainArguments(argv)).toThrow(message);
  });
});
