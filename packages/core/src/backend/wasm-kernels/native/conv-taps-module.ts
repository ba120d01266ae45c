import { WASM_BASE64 } from './conv-taps-wasm';
import { instantiateNative, type NativeModule } from './native-module';

let kernel: NativeModule | null | undefined;

/** The compiled `conv-taps.c`, or null where this runtime cannot run wasm SIMD. */
export function convTapsModule(): NativeModule | null {
  if (kernel === undefined) kernel = instantiateNative(WASM_BASE64);
  return kernel;
}
