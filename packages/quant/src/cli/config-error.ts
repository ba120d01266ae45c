/**
 * A run config or command line is invalid, e.g.
 * `ConfigError: configs/x.json: quantization.weightBits: expected an integer in 2..8, found 1`.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly source: string,
    readonly detail: string,
  ) {
    super(`${source}: ${detail}`);
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
