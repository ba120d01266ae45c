import * as fs from 'fs';
import * as path from 'path';
import { USAGE } from './arguments';
import { main } from './main';
import { runMainCaptured } from '../../../../test-support/cli-run';

const packageVersion = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;

const cli = (...argv: string[]) => runMainCaptured(main, argv);

describe('ausam-quant help and version', () => {
  it('--help, -h and train --help print the usage and exit 0; no arguments exit 2', async () => {
    expect(await cli('--help')).toEqual({ code: 0, out: USAGE, err: '' });
    expect(await cli('-h')).toEqual({ code: 0, out: USAGE, err: '' });
    expect(await cli('train', '--help')).toEqual({ code: 0, out: USAGE, err: '' });
    expect(await cli()).toEqual({ code: 2, out: '', err: USAGE });
    expect(USAGE).toContain('--overwrite');
  });

  it('--version prints the package version', async () => {
    expect(await cli('--version')).toEqual({ code: 0, out: packageVersion, err: '' });
  });

  it('a bad command line exits 1 with the reason', async () => {
    const bad = await cli('train', '--config', 'c.json', '--lr', '1');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^ausam-quant: .*unknown argument '--lr'/s);
  });
});
