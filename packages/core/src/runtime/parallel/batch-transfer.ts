import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../../task/contracts';

/** A tensor as plain data that `postMessage` can carry (its buffer is transferred, not copied). */
interface PackedTensor {
  readonly kind: 'tensor';
  readonly dtype: tf.DataType;
  readonly shape: number[];
  readonly values: Float32Array | Int32Array | Uint8Array;
}

/** A batch as plain data for a replica: each top-level tensor packed, every other field as is. */
export interface PackedBatch {
  readonly ids: Int32Array;
  readonly fields: Record<string, PackedTensor | { readonly kind: 'value'; readonly value: unknown }>;
}

/**
 * `batch` read back into plain data, and the buffers to transfer with it. Only top-level tensors are
 * packed (the task contract puts every per-sample tensor there); other fields must survive
 * structured cloning (numbers, strings, typed arrays, plain objects).
 */
export function packBatch(batch: Batch): { packed: PackedBatch; transfer: ArrayBuffer[] } {
  const fields: PackedBatch['fields'] = {};
  const transfer: ArrayBuffer[] = [];
  for (const [name, value] of Object.entries(batch)) {
    if (name === 'ids') continue;
    if (value instanceof tf.Tensor) {
      if (value.dtype === 'string' || value.dtype === 'complex64') {
        throw new Error(`data-parallel replicas: batch field '${name}' has dtype ${value.dtype}; expected float32, int32 or bool`);
      }
      const values = (value.dataSync() as Float32Array | Int32Array | Uint8Array).slice();
      transfer.push(values.buffer as ArrayBuffer);
      fields[name] = { kind: 'tensor', dtype: value.dtype, shape: value.shape.slice(), values };
    } else {
      if (value !== null && typeof value === 'object' && Object.values(value).some((v) => v instanceof tf.Tensor)) {
        throw new Error(`data-parallel replicas: batch field '${name}' holds tensors below the top level; expected them as top-level fields`);
      }
      fields[name] = { kind: 'value', value };
    }
  }
  const ids = batch.ids.slice();
  transfer.push(ids.buffer as ArrayBuffer);
  return { packed: { ids, fields }, transfer };
}

/** The batch `packed` describes, with fresh tensors (dispose them with the task's `disposeBatch`). */
export function unpackBatch<B extends Batch>(packed: PackedBatch): B {
  const batch: Record<string, unknown> = { ids: packed.ids };
  for (const [name, field] of Object.entries(packed.fields)) {
    batch[name] = field.kind === 'tensor' ? tf.tensor(field.values, field.shape, field.dtype) : field.value;
  }
  return batch as unknown as B;
}
