/**
 * `@ausam/core/internal`: pieces core's own packages, tools and tests use, with no stability
 * promise: kernel registration, the replica thread's entry, loss helpers. Users need `@ausam/core`.
 * @packageDocumentation
 */
import './runtime/backend/register-gradients';

export { meanLoss } from './passes/local-passes';
export { globalNorm, disposeAll, notMeasured } from './optim/sharpness/tensor-lists';
export { samUpdate } from './optim/sharpness/sam-update';
export { registerWasmTrainingKernels, displacedWasmKernels, wasmKernelOverrides, wasmTrainingKernels } from './runtime/backend/wasm-kernels';
export { activateThreadedWasm } from './runtime/backend/threaded-wasm';
export { useNativeFilterGradient } from './runtime/backend/wasm-kernels/native/native-filter-gradient';
export { useNativeInputGradient } from './runtime/backend/wasm-kernels/native/native-input-gradient';
export { useNativeConvForward } from './runtime/backend/wasm-kernels/native/native-conv-forward';
export { runReplicaWorker } from './runtime/parallel/replica-worker';
export { buildReplicaTask } from './runtime/parallel/replica-recipe';
