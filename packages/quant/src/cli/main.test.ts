import * as fs from 'fs';
import * as path from 'path';
import { USAGE } from './arguments';
import { main, type CliOutput } from './main';

const packageVersion = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliOutput = { out: (line) => out.push(line), err: (line) => err.push(line) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

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
