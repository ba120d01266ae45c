import { BitWidthError } from './errors';
import { integerRange, validateBitWidth } from './integer-range';

describe('integerRange', () => {
  it('gives LSQ grids: signed [−2^(b−1), 2^(b−1)−1], unsigned [0, 2^b−1]', () => {
    expect(integerRange(2, true)).toEqual({ bits: 2, signed: true, qn: 2, qp: 1 });
    expect(integerRange(4, true)).toEqual({ bits: 4, signed: true, qn: 8, qp: 7 });
    expect(integerRange(2, false)).toEqual({ bits: 2, signed: false, qn: 0, qp: 3 });
    expect(integerRange(8, false)).toEqual({ bits: 8, signed: false, qn: 0, qp: 255 });
  });

  it.each([1, 9, 0, 2.5, Number.NaN, '4'])('rejects bit width %p with a BitWidthError naming the setting', (bits) => {
    expect(() => validateBitWidth(bits, 'weightBits')).toThrow(BitWidthError);
    expect(() => validateBitWidth(bits, 'weightBits')).toThrow(/^weightBits: expected an integer in 2\.\.8, found /);
  });
});
