import type { BenchSuite } from '../suite';
import { classificationSuite } from './classification';
import { poseSuite } from './pose';
import { quantSuite } from './quant';
import { twoMoonsSuite } from './two-moons';

/** Suites by the name given on the command line. */
export const SUITES: Record<string, BenchSuite<any>> = {
  'two-moons': twoMoonsSuite,
  classification: classificationSuite,
  pose: poseSuite,
  quant: quantSuite,
};
