export * from './data';
export * from './models';
export * from './task';
export * from './weights';
// TF.js model files on disk (tfjs-core only; the tfjs-layers parts load lazily in the CLI)
export { modelFileLoader, modelFileSaver, ModelFileError, WEIGHTS_FILE } from './interop/model-files';
export { exportRun, EXPORT_FORMATS, type ExportFormat } from './cli/export-command';
