/** Why a dataset could not be read. */
export type DatasetErrorKind = 'missing' | 'malformed';

/**
 * A dataset file or folder is missing or does not have the expected format.
 *
 * The message always starts with the offending path, followed by what was expected and what was
 * found, e.g. `/data/cifar-10-batches-bin/data_batch_1.bin: expected a multiple of 3073 bytes, found 1200`.
 */
export class DatasetFormatError extends Error {
  override readonly name = 'DatasetFormatError';

  /**
   * @param path - The file or folder at fault.
   * @param detail - What was expected and what was found.
   * @param kind - `'missing'` when the path does not exist, `'malformed'` otherwise.
   */
  constructor(
    readonly path: string,
    readonly detail: string,
    readonly kind: DatasetErrorKind = 'malformed',
  ) {
    super(`${path}: ${detail}`);
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
