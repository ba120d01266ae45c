/**
 * An annotation or image file does not have the shape a loader expects. The message names the file,
 * the place inside it and what was expected, e.g.
 * `PoseDatasetFormatError: annot/train.json: entry 3: joints: expected 16 [x, y] pairs, found 15`.
 */
export class PoseDatasetFormatError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'PoseDatasetFormatError';
  }
}
