import { BitWidthError, MAX_BITS, MIN_BITS } from './errors';

/**
 * The integer grid of a b-bit uniform quantizer, codes in [−Qn, Qp] (Esser et al. 2020, §2):
 * signed Qn = 2^(b−1), Qp = 2^(b−1) − 1; unsigned Qn = 0, Qp = 2^b − 1. Both hold 2^b codes.
 */
export interface IntegerRange {
  readonly bits: number;
  readonly signed: boolean;
  /** Magnitude of the most negative code. */
  readonly qn: number;
  /** Most positive code. */
  readonly qp: number;
}

/** Throws {@link BitWidthError} unless `bits` is an integer in 2..8; `setting` names the option in the message. */
export function validateBitWidth(bits: unknown, setting = 'bits'): number {
  if (typeof bits !== 'number' || !Number.isInteger(bits) || bits < MIN_BITS || bits > MAX_BITS) {
    throw new BitWidthError(setting, bits);
  }
  return bits;
}

/** The grid for `bits` (validated, see {@link validateBitWidth}). */
export function integerRange(bits: number, signed: boolean, setting = 'bits'): IntegerRange {
  validateBitWidth(bits, setting);
  return signed
    ? { bits, signed, qn: 2 ** (bits - 1), qp: 2 ** (bits - 1) - 1 }
    : { bits, signed, qn: 0, qp: 2 ** bits - 1 };
}
