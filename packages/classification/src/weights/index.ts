export { readSafetensors, writeSafetensors, SafetensorsFormatError } from './safetensors';
export type { NamedTensor, TensorMap } from './safetensors';
export { pytorchKey } from './pytorch-layout';
export type { TensorLayout } from './pytorch-layout';
export {
  loadPyTorchStateDict,
  loadPyTorchWeightsFile,
  pytorchStateDict,
  savePyTorchWeightsFile,
} from './pytorch-state-dict';
export type { LoadPyTorchOptions } from './pytorch-state-dict';
export { WeightImportError } from './weight-import-error';
export type { WeightImportProblem } from './weight-import-error';
