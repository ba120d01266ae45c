/**
 * A quantizer setting is out of range, e.g. `BitWidthError: weightBits: expected an integer in 2..8, found 1`.
 * `setting` names the option at fault so a config error points at its key.
 */
export class BitWidthError extends RangeError {
  override readonly name = 'BitWidthError';

  constructor(
    readonly setting: string,
    readonly value: unknown,
  ) {
    super(`${setting}: expected an integer in ${MIN_BITS}..${MAX_BITS}, found ${String(value)}`);
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** Narrowest bit width the quantizers accept (1-bit needs a sign quantizer, not a uniform grid). */
export const MIN_BITS = 2;
/** Widest bit width the quantizers accept; above 8 bits QAT is not needed in practice. */
export const MAX_BITS = 8;
