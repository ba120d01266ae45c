/**
 * The safetensors format (https://huggingface.co/docs/safetensors, "Format"): an 8-byte
 * little-endian unsigned header length N, N bytes of JSON
 * `{ "<name>": { "dtype": "F32", "shape": [..], "data_offsets": [begin, end] }, "__metadata__": {..} }`,
 * then the raw little-endian, C-order tensor bytes; offsets count from the end of the header.
 */

/** Element types this reader converts to float32 (integer tensors are read too, e.g. `num_batches_tracked`). */
const BYTES_PER_ELEMENT: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

/** One tensor of a safetensors file, values as float32 (C order, the file's shape). */
export interface NamedTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
  /** The element type stored in the file; on writing, 'I64' writes integers and anything else F32. */
  readonly dtype?: string;
}

/** A state dict: tensor name → tensor, in file order. */
export type TensorMap = Map<string, NamedTensor>;

/** A malformed safetensors file; `source` names the file (or 'bytes'). */
export class SafetensorsFormatError extends Error {
  constructor(
    readonly source: string,
    detail: string,
  ) {
    super(`${source}: not a valid safetensors file: ${detail}`);
    this.name = 'SafetensorsFormatError';
  }
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** Parses safetensors bytes; every tensor comes back as float32. `source` names the file in errors. */
export function readSafetensors(bytes: Uint8Array, source = 'bytes'): TensorMap {
  if (bytes.byteLength < 8) throw new SafetensorsFormatError(source, `${bytes.byteLength} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.byteLength - 8) {
    throw new SafetensorsFormatError(source, `header length ${headerLength} exceeds the ${bytes.byteLength - 8} bytes that follow`);
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  } catch (error) {
    throw new SafetensorsFormatError(source, `header is not JSON (${(error as Error).message})`);
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.byteLength - dataStart;
  const tensors: TensorMap = new Map();
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const entry = value as HeaderEntry;
    const size = BYTES_PER_ELEMENT[entry?.dtype];
    if (size === undefined) throw new SafetensorsFormatError(source, `tensor '${name}' has unsupported dtype '${entry?.dtype}'`);
    const [begin, end] = entry.data_offsets ?? [];
    const count = (entry.shape ?? []).reduce((p, d) => p * d, 1);
    if (!(Number.isInteger(begin) && Number.isInteger(end) && begin >= 0 && end <= dataLength && end - begin === count * size)) {
      throw new SafetensorsFormatError(
        source,
        `tensor '${name}' (${entry.dtype} [${entry.shape}]) has data_offsets [${begin}, ${end}], expected ${count * size} bytes within ${dataLength}`,
      );
    }
    tensors.set(name, { shape: entry.shape, dtype: entry.dtype, data: decode(bytes.subarray(dataStart + begin, dataStart + end), entry.dtype, count) });
  }
  return tensors;
}

/**
 * Serialises `tensors` as safetensors, float32 unless a tensor's `dtype` is 'I64' (names in map
 * order, `metadata` as `__metadata__`).
 */
export function writeSafetensors(tensors: ReadonlyMap<string, NamedTensor>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, tensor] of tensors) {
    const count = tensor.shape.reduce((p, d) => p * d, 1);
    if (count !== tensor.data.length) {
      throw new RangeError(`writeSafetensors: tensor '${name}' has ${tensor.data.length} values for shape [${tensor.shape}] (${count})`);
    }
    const size = tensor.dtype === 'I64' ? 8 : 4;
    header[name] = { dtype: size === 8 ? 'I64' : 'F32', shape: [...tensor.shape], data_offsets: [offset, offset + size * count] };
    offset += size * count;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned (allowed by the format).
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const tensor of tensors.values()) {
    for (let i = 0; i < tensor.data.length; i++) {
      if (tensor.dtype === 'I64') {
        view.setBigInt64(position, BigInt(Math.round(tensor.data[i])), true);
        position += 8;
      } else {
        view.setFloat32(position, tensor.data[i], true);
        position += 4;
      }
    }
  }
  return out;
}

function decode(raw: Uint8Array, dtype: string, count: number): Float32Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = element(view, dtype, i);
  return out;
}

function element(view: DataView, dtype: string, i: number): number {
  switch (dtype) {
    case 'F64':
      return view.getFloat64(8 * i, true);
    case 'F32':
      return view.getFloat32(4 * i, true);
    case 'F16':
      return halfToFloat(view.getUint16(2 * i, true));
    case 'BF16':
      return bfloat16ToFloat(view.getUint16(2 * i, true));
    case 'I64':
      return Number(view.getBigInt64(8 * i, true));
    case 'I32':
      return view.getInt32(4 * i, true);
    case 'I16':
      return view.getInt16(2 * i, true);
    case 'I8':
      return view.getInt8(i);
    default: // U8, BOOL
      return view.getUint8(i);
  }
}

const scratch = new DataView(new ArrayBuffer(4));

function bfloat16ToFloat(bits: number): number {
  scratch.setUint32(0, bits << 16);
  return scratch.getFloat32(0);
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
