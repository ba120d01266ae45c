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
  'quant-w4a4': quantSuite({ weightBits: 4, activationBits: 4 }),
  'quant-w2a2': quantSuite({ weightBits: 2, activationBits: 2 }),
};
