export * from './data';
export * from './models';
export * from './task';
export * from './weights';
