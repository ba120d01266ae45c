export * from './data';
export * from './models';
export * from './task';
export * from './weights';
// The CLI's dataset loading from a run config's `dataset` section (the bench suites reuse it).
export { loadDatasets } from './cli/load-datasets';
export type { LoadedDatasets } from './cli/load-datasets';
// TF.js model files on disk (tfjs-core only; the tfjs-layers parts load lazily in the CLI)
export { modelFileLoader, modelFileSaver, ModelFileError, WEIGHTS_FILE } from './interop/model-files';
export { exportRun, EXPORT_FORMATS, type ExportFormat } from './cli/export-command';
