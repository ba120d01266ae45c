import type { BenchSuite } from '../suite';
import { twoMoonsSuite } from './two-moons';

/** Suites by the name given on the command line. */
export const SUITES: Record<string, BenchSuite<any>> = {
  'two-moons': twoMoonsSuite,
};
