export * from './data';
export * from './models';
export * from './task';
export * from './weights';
// The CLI's dataset loading from a run config's `dataset` section (the bench suites reuse it).
export { loadDatasets } from './cli/load-datasets';
export type { LoadedDatasets } from './cli/load-datasets';
