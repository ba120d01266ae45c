/**
 * Keys of a run config that `resume` may change: they decide where records go and how often the run
 * evaluates and saves, never the training trajectory. `epochs` may only grow (see {@link compareRunConfigs}).
 */
export const RESUME_MAY_CHANGE: readonly string[] = ['outputDir', 'description', 'evaluateEvery', 'checkpointEvery', 'evalBatchSize'];

/** One key whose value differs between the checkpoint's config and the resumed run's. */
export interface ConfigMismatch {
  /** Flattened path, e.g. `method.method`, `learningRate.lr`, `quantization.weightBits`. */
  readonly key: string;
  /** JSON of the checkpoint's value, or `(absent)`. */
  readonly saved: string;
  /** JSON of the new value, or `(absent)`. */
  readonly current: string;
}

/** `resume` was asked to continue a run with settings that change its trajectory: names every key. */
export class ResumeMismatchError extends Error {
  constructor(
    readonly dir: string,
    readonly source: string,
    readonly mismatches: readonly ConfigMismatch[],
  ) {
    super(
      `${dir}: cannot resume: the config differs from the one ${source} was trained with, in what changes the run:\n` +
        mismatches.map((m) => `  - ${m.key}: ${m.saved} in the run, ${m.current} now`).join('\n') +
        '\nresume with the run\'s settings, or start a new run in another folder (or replace this one with --overwrite)',
    );
    this.name = 'ResumeMismatchError';
  }
}

/** `resume` found nothing to resume: names the folder. */
export class NothingToResumeError extends Error {
  constructor(
    readonly dir: string,
    detail: string,
  ) {
    super(`${dir}: nothing to resume (${detail}); check the output folder, or start the run without --resume (train option resume)`);
    this.name = 'NothingToResumeError';
  }
}

/** `value` as a map from dotted paths (`method.base.momentum`, `milestones.1`) to JSON leaves. */
export function flattenConfig(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0)) {
    for (const [key, child] of Object.entries(value)) flattenConfig(child, prefix ? `${prefix}.${key}` : key, out);
  } else if (value !== undefined) {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

/**
 * Every key whose value differs between `saved` (the config a checkpoint was trained with) and
 * `current` (the resumed run's), both compared as JSON, except {@link RESUME_MAY_CHANGE}. `epochs` may
 * grow: the run then follows its schedule for the new length from the checkpoint on; it may not
 * shrink. Keys derived from `epochs` (`learningRatePerEpoch`, which `train()` records when given no
 * config) are compared only when `epochs` is unchanged.
 */
export function compareRunConfigs(saved: unknown, current: unknown): ConfigMismatch[] {
  const before = flattenConfig(saved);
  const after = flattenConfig(current);
  const epochsBefore = Number(before.get('epochs'));
  const epochsAfter = Number(after.get('epochs'));
  const extended = Number.isFinite(epochsBefore) && Number.isFinite(epochsAfter) && epochsAfter > epochsBefore;
  const mayChange = (key: string) =>
    RESUME_MAY_CHANGE.some((allowed) => key === allowed || key.startsWith(`${allowed}.`)) ||
    (extended && (key === 'epochs' || key.startsWith('learningRatePerEpoch.')));
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  return keys
    .filter((key) => before.get(key) !== after.get(key) && !mayChange(key))
    .map((key) => ({ key, saved: before.get(key) ?? '(absent)', current: after.get(key) ?? '(absent)' }));
}
