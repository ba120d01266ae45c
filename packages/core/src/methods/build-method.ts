import { AdamW, type AdamWOptions } from '../optim/base/adamw';
import type { BaseOptimizer } from '../optim/base/base-optimizer';
import { Sgd, type SgdOptions } from '../optim/base/sgd';
import { AeSamPolicy } from '../optim/sharpness/ae-sam-policy';
import { Esam } from '../optim/sharpness/esam';
import { LookSam } from '../optim/sharpness/look-sam';
import { PlainStep } from '../optim/sharpness/plain-step';
import { Sam } from '../optim/sharpness/sam';
import type { SharpnessOptimizer } from '../optim/sharpness/sharpness-optimizer';
import { SometimesSam } from '../optim/sharpness/sometimes-sam';
import { SsSamPolicy } from '../optim/sharpness/ss-sam-policy';
import { AusamSampler, type AusamOptions } from '../sampling/ausam-sampler';
import type { DataSampler } from '../sampling/data-sampler';
import { FullDataSampler } from '../sampling/full-data-sampler';
import { InfoBatchSampler } from '../sampling/info-batch-sampler';
import { UniformSubsetSampler } from '../sampling/uniform-subset-sampler';

/** Every training method one harness can compare. */
export const METHOD_NAMES = ['sgd', 'sam', 'asam', 'ausam', 'uniform', 'infobatch', 'esam', 'looksam', 'ae-sam', 'ss-sam'] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

export type BaseOptimizerSpec = ({ kind: 'sgd' } & SgdOptions) | ({ kind: 'adamw' } & AdamWOptions);

/** A method as plain data (what run configs and CLI flags hold). */
export interface MethodSpec {
  method: MethodName;
  /** SAM radius ρ (default 0.05; ASAM 0.5, as Kwon et al. recommend for its scale-invariant ρ). */
  rho?: number;
  /**
   * Subset fraction α for ausam / uniform (default 0.5: floor(α·b) of each batch), SAM-step
   * probability for ss-sam, γ for esam.
   */
  ratio?: number;
  /** ausam / uniform: epochs of SAM on every sample before subsets are drawn (default 1). */
  warmupEpochs?: number;
  base?: BaseOptimizerSpec;
  /** AUSAM's selectivity schedule (docs/algorithm.md): fMin, fMax, startEpoch, transitionEpochs. */
  ausam?: Omit<AusamOptions, 'size' | 'ratio' | 'warmupEpochs'>;
  infobatch?: { pruneProbability?: number; annealFraction?: number };
  looksam?: { interval?: number; alpha?: number };
  aeSam?: { threshold?: number; decay?: number };
  esam?: { weightPerturbationProbability?: number };
}

export interface BuiltMethod {
  optimizer: SharpnessOptimizer;
  sampler: DataSampler;
  /** The spec with every default filled in, for the run record. */
  resolved: MethodSpec;
}

/** SGD with momentum 0.9 and weight decay 5e-4: the paper's (and SAM's) CIFAR base optimizer. */
export const DEFAULT_BASE: BaseOptimizerSpec = { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 };

/**
 * Builds the optimizer and sampler of a method for a dataset of `datasetSize` samples. `base`, when
 * given, is the base optimizer every method wraps instead of the one `spec.base` describes (e.g. a
 * `tf.train.*` optimizer behind `@ausam/core/layers`' adapter).
 */
export function buildMethod(spec: MethodSpec, datasetSize: number, seed: number, base?: BaseOptimizer): BuiltMethod {
  if (!METHOD_NAMES.includes(spec.method)) {
    throw new Error(`method: expected one of ${METHOD_NAMES.join(', ')}; found '${spec.method}'`);
  }
  const baseSpec = spec.base ?? DEFAULT_BASE;
  base ??= buildBase(baseSpec);
  const rho = spec.rho ?? (spec.method === 'asam' ? 0.5 : 0.05);
  const ratio = spec.ratio ?? defaultRatio(spec.method);
  const subsetMethod = spec.method === 'ausam' || spec.method === 'uniform';
  const warmupEpochs = subsetMethod ? (spec.warmupEpochs ?? 1) : undefined;
  const resolved: MethodSpec = { ...spec, base: baseSpec, rho, ratio, warmupEpochs };
  const full = new FullDataSampler(datasetSize);
  switch (spec.method) {
    case 'sgd':
      return { optimizer: new PlainStep(base), sampler: full, resolved: { ...resolved, rho: undefined, ratio: undefined } };
    case 'sam':
      return { optimizer: new Sam(base, { rho }), sampler: full, resolved };
    case 'asam':
      return { optimizer: new Sam(base, { rho, adaptive: true }), sampler: full, resolved };
    case 'ausam':
      return {
        optimizer: new Sam(base, { rho }),
        sampler: new AusamSampler({ ...spec.ausam, size: datasetSize, ratio, warmupEpochs }),
        resolved,
      };
    case 'uniform':
      return { optimizer: new Sam(base, { rho }), sampler: new UniformSubsetSampler(datasetSize, ratio, warmupEpochs), resolved };
    case 'infobatch':
      return { optimizer: new Sam(base, { rho }), sampler: new InfoBatchSampler({ size: datasetSize, ...spec.infobatch }), resolved };
    case 'esam':
      return {
        optimizer: new Esam(base, { rho, selectionRatio: ratio, seed, ...spec.esam }),
        sampler: full,
        resolved,
      };
    case 'looksam':
      return { optimizer: new LookSam(base, { rho, ...spec.looksam }), sampler: full, resolved };
    case 'ae-sam':
      return {
        optimizer: new SometimesSam(base, { rho }, new AeSamPolicy(spec.aeSam?.threshold, spec.aeSam?.decay)),
        sampler: full,
        resolved,
      };
    case 'ss-sam':
      return { optimizer: new SometimesSam(base, { rho }, new SsSamPolicy(ratio ?? 0.5, seed)), sampler: full, resolved };
  }
}

function defaultRatio(method: MethodName): number | undefined {
  if (method === 'ausam' || method === 'uniform') return 0.5;
  if (method === 'ss-sam' || method === 'esam') return 0.5;
  return undefined;
}

function buildBase(spec: BaseOptimizerSpec): BaseOptimizer {
  if (spec.kind === 'sgd') return new Sgd(spec);
  if (spec.kind === 'adamw') return new AdamW(spec);
  throw new Error(`base optimizer: expected kind sgd|adamw, found '${(spec as { kind: string }).kind}'`);
}
