/** `train()` was pointed at a folder that already holds a run, without saying to resume or replace it. */
export class RunFolderInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly files: readonly string[],
  ) {
    super(
      `${dir} already holds a run (${files.join(', ')}): continue it with --resume (train option resume: true), ` +
        'or delete it and start over with --overwrite (train option overwrite: true)',
    );
    this.name = 'RunFolderInUseError';
  }
}
