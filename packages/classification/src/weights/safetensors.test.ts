import { readSafetensors, SafetensorsFormatError, writeSafetensors } from './safetensors';

function file(header: object, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips float32 and int64 tensors, with 8-byte-aligned data and metadata', () => {
    const bytes = writeSafetensors(
      new Map([
        ['a.weight', { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 1e-8, 0, 7]) }],
        ['a.count', { shape: [], data: Float32Array.from([12]), dtype: 'I64' }],
      ]),
      { format: 'pt' },
    );
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const back = readSafetensors(bytes);
    expect([...back.keys()]).toEqual(['a.weight', 'a.count']);
    expect(back.get('a.weight')).toEqual({ shape: [2, 3], dtype: 'F32', data: Float32Array.from([1, -2, 3.5, 1e-8, 0, 7]) });
    expect(back.get('a.count')).toEqual({ shape: [], dtype: 'I64', data: Float32Array.from([12]) });
  });

  it('reads F16, BF16 and F64 as float32', () => {
    const data = new Uint8Array(2 + 2 + 8 + 2);
    const view = new DataView(data.buffer);
    view.setUint16(0, 0x3e00, true); // F16 1.5
    view.setUint16(2, 0xc040, true); // BF16 −3
    view.setFloat64(4, 0.25, true);
    view.setUint16(12, 0x0001, true); // smallest F16 subnormal, 2^-24
    const tensors = readSafetensors(
      file(
        {
          h: { dtype: 'F16', shape: [1], data_offsets: [0, 2] },
          b: { dtype: 'BF16', shape: [1], data_offsets: [2, 4] },
          d: { dtype: 'F64', shape: [1], data_offsets: [4, 12] },
          s: { dtype: 'F16', shape: [1], data_offsets: [12, 14] },
        },
        data,
      ),
    );
    expect([tensors.get('h')!.data[0], tensors.get('b')!.data[0], tensors.get('d')!.data[0]]).toEqual([1.5, -3, 0.25]);
    expect(tensors.get('s')!.data[0]).toBeCloseTo(2 ** -24, 12);
  });

  it('names the file and the tensor when offsets do not match the shape', () => {
    const bytes = file({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(12));
    expect(() => readSafetensors(bytes, 'model.safetensors')).toThrow(SafetensorsFormatError);
    expect(() => readSafetensors(bytes, 'model.safetensors')).toThrow(
      "model.safetensors: not a valid safetensors file: tensor 'w' (F32 [3]) has data_offsets [0, 8], expected 12 bytes within 12",
    );
  });

  it('rejects truncated files and unknown dtypes', () => {
    expect(() => readSafetensors(new Uint8Array(4))).toThrow(/shorter than the 8-byte header length/);
    expect(() => readSafetensors(file({ w: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)))).toThrow(
      /unsupported dtype 'C64'/,
    );
  });
});
