import type { BenchSuite } from '../suite';
import { fashionMnistLongSuite, fashionMnistSuite } from './classification';
import { labelNoiseSuite } from './label-noise';
import { poseSimccSuite, poseSuite } from './pose';
import { quantSuite } from './quant';
import { runE2eThroughputSuite } from './e2e-throughput';
import { twoMoonsSuite } from './two-moons';

/** Suites by the name given on the command line. */
export const SUITES: Record<string, BenchSuite<any>> = {
  'two-moons': twoMoonsSuite,
  classification: fashionMnistSuite,
  'classification-long': fashionMnistLongSuite,
  /** 40% symmetric label noise; `--noise 0` is the clean control. */
  'label-noise': labelNoiseSuite(0.4),
  pose: poseSuite,
  'pose-simcc': poseSimccSuite,
  'quant-w4a4': quantSuite({ weightBits: 4, activationBits: 4 }),
  'quant-w2a2': quantSuite({ weightBits: 2, activationBits: 2 }),
};

/** Suites that are their own script, not methods trained side by side: name → entry point (argv after the name). */
export const SCRIPT_SUITES: Record<string, (argv: readonly string[]) => Promise<void>> = {
  'e2e-throughput': runE2eThroughputSuite,
};
