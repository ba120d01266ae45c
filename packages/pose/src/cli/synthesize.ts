import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { writeSyntheticDataset } from '../synthetic/write-synthetic-dataset';

/** `ausam-pose synthesize --help`. */
export const SYNTHESIZE_USAGE = `usage: ausam-pose synthesize --out <dir> [--people N] [--valid-people N] [--size PX] [--seed S] [--overwrite] [--no-progress]

Writes a synthetic MPII-format pose set (stick figures, one person per image) that
configs/synthetic-cpu.json trains on with --data <dir>: <dir>/images/*.png,
<dir>/annot/train.json and annot/valid.json (HRNet's MPII JSON, with head sizes for PCKh).
Same options and seed → the same bytes.

  --out DIR           folder to write (refused if it holds files, unless --overwrite)
  --people N          training people (default 2000)
  --valid-people N    validation people (default ⌈N / 10⌉)
  --size PX           square image side in pixels, at least 32 (default 128)
  --seed S            random seed, a non-negative integer (default 0)
  --overwrite         replace a synthetic set already in DIR (its images/ and annot/)
  --no-progress       no progress lines on stderr`;

/** What `ausam-pose synthesize` was asked to write. */
export interface SynthesizeArguments {
  readonly outDir: string;
  readonly trainPeople: number;
  readonly validPeople: number;
  /** Square image side in pixels. */
  readonly imageSize: number;
  readonly seed: number;
  readonly overwrite: boolean;
  readonly progress: boolean;
}

/** A bad `synthesize` command line or output folder: names the flag or path, what was expected and what was found. */
export class SynthesizeArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthesizeArgumentError';
  }
}

/** Entries `synthesize` writes into its output folder, and the only ones `--overwrite` removes. */
const WRITTEN_ENTRIES = ['images', 'annot', '.gitignore'];

function integerFlag(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value) || value < min) {
    throw new SynthesizeArgumentError(`--${flag}: expected an integer ≥ ${min}, found '${text}'`);
  }
  return value;
}

/** Parses the arguments after `synthesize`; throws {@link SynthesizeArgumentError} on anything unexpected. */
export function parseSynthesizeArguments(argv: readonly string[]): SynthesizeArguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        out: { type: 'string' },
        people: { type: 'string' },
        'valid-people': { type: 'string' },
        size: { type: 'string' },
        seed: { type: 'string' },
        overwrite: { type: 'boolean', default: false },
        'no-progress': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new SynthesizeArgumentError(`${(error as Error).message}\n${SYNTHESIZE_USAGE}`);
  }
  if (!values.out) throw new SynthesizeArgumentError(`--out <dir> is required\n${SYNTHESIZE_USAGE}`);
  const trainPeople = integerFlag('people', values.people, 2000, 1);
  return {
    outDir: values.out,
    trainPeople,
    validPeople: integerFlag('valid-people', values['valid-people'], Math.ceil(trainPeople / 10), 1),
    imageSize: integerFlag('size', values.size, 128, 32),
    seed: integerFlag('seed', values.seed, 0, 0),
    overwrite: values.overwrite ?? false,
    progress: !values['no-progress'],
  };
}

/**
 * Makes `outDir` ready to receive a set: creates nothing, but refuses a file, and a folder holding
 * anything unless `overwrite`; with `overwrite` it removes a previous set's entries and refuses
 * entries it did not write (so a mistyped --out never deletes a user's files).
 */
function clearOutputFolder(outDir: string, overwrite: boolean): void {
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory()) throw new SynthesizeArgumentError(`--out ${outDir}: expected a folder, found a file`);
  const entries = readdirSync(outDir);
  if (entries.length === 0) return;
  if (!overwrite) {
    throw new SynthesizeArgumentError(
      `--out ${outDir}: expected an empty or new folder, found ${entries.length} entries (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); ` +
        'pass --overwrite to replace a synthetic set there, or choose another folder',
    );
  }
  const foreign = entries.filter((entry) => !WRITTEN_ENTRIES.includes(entry));
  if (foreign.length > 0) {
    throw new SynthesizeArgumentError(
      `--out ${outDir}: --overwrite replaces only a synthetic set (${WRITTEN_ENTRIES.join(', ')}), found other entries too: ${foreign.join(', ')}`,
    );
  }
  for (const entry of entries) rmSync(path.join(outDir, entry), { recursive: true, force: true });
}

/**
 * `ausam-pose synthesize`: writes the set with {@link writeSyntheticDataset}, a progress line on
 * stderr at every tenth of the images, and a `.gitignore` of `*` so the generated files stay out of
 * version control. Returns the line to print when done.
 */
export async function runSynthesize(args: SynthesizeArguments, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<string> {
  clearOutputFolder(args.outDir, args.overwrite);
  const started = Date.now();
  const total = args.trainPeople + args.validPeople;
  const every = Math.max(1, Math.ceil(total / 10));
  await writeSyntheticDataset({
    outDir: args.outDir,
    trainCount: args.trainPeople,
    validCount: args.validPeople,
    imageSize: args.imageSize,
    seed: args.seed,
    onImage: (done) => {
      if (args.progress && (done % every === 0 || done === total)) {
        log(`[ausam-pose] synthesize: ${done}/${total} images (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      }
    },
  });
  writeFileSync(path.join(args.outDir, '.gitignore'), '# generated by ausam-pose synthesize\n*\n');
  return (
    `wrote ${args.trainPeople} train + ${args.validPeople} valid people (${args.imageSize} px, seed ${args.seed}) to ${args.outDir} ` +
    `in ${((Date.now() - started) / 1000).toFixed(1)} s`
  );
}
