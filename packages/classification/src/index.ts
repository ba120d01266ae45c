export * from './data';
export * from './models';
export * from './task';
