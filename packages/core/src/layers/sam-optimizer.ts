import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { Perturbation } from '@ausam/core';
import { nonTrainableVariablesOf } from './layers-model-variables';
import { SavedValues } from './moving-statistics';

/** A tensor with the name of the variable it belongs to (tfjs-core's `NamedTensor`, not exported at its top level). */
type NamedTensor = { name: string; tensor: tf.Tensor };

/** Options of {@link sam} and {@link asam}. */
export interface SamOptimizerOptions {
  /** Radius ρ of the neighbourhood (SAM: 0.05 is common; ASAM: 0.5, as Kwon et al. recommend). */
  rho: number;
  /**
   * The model being trained: its non-trainable weights (BatchNorm moving statistics) are put back
   * after the perturbed pass so they move once per step. Without it (an optimizer restored by
   * `tf.loadLayersModel`), every non-trainable variable the engine holds is saved and put back.
   */
  model?: LayersModel;
  /** ASAM (Kwon et al. 2021): ε = ρ·T²g/‖Tg‖ with T = |w| + η, elementwise. */
  adaptive?: boolean;
  /** ASAM's η (default 0.01). */
  eta?: number;
}

/** The serialised form (`getConfig`) of a {@link SamOptimizer}. */
interface SamOptimizerConfig extends tf.serialization.ConfigDict {
  rho: number;
  adaptive: boolean;
  eta: number;
  base: { className: string; config: tf.serialization.ConfigDict };
}

/**
 * SAM (Foret et al. 2021, Algorithm 1) or ASAM as a `tf.Optimizer` for `model.compile`: one
 * `minimize` call is g = ∇L(w) (BatchNorm moving statistics move), ε = ρ·g/‖g‖ (ASAM: the adaptive
 * form of core's `Perturbation`), g̃ = ∇L(w + ε) with the moving statistics put back afterwards,
 * w restored bit for bit, then the wrapped optimizer's `applyGradients(g̃)`. The returned cost is
 * the loss at w, as `model.fit` reports it.
 *
 * tfjs-layers computes the compiled metrics inside the loss function and keeps them
 * (`tf.keep`); the perturbed pass's copies are released here, so no tensor outlives a step.
 */
export class SamOptimizer extends tf.Optimizer {
  /** The name `tf.serialization` knows this class by. */
  static className = 'AusamSamOptimizer';
  private readonly perturbation: Perturbation;

  constructor(
    /** The optimizer that takes the step with g̃ (any `tf.train.*`). */
    readonly base: tf.Optimizer,
    readonly options: SamOptimizerOptions,
  ) {
    super();
    if (base == null || !(base instanceof tf.Optimizer)) {
      throw new TypeError(`sam: baseOptimizer: expected a tf.Optimizer (tf.train.*), found ${describe(base)}`);
    }
    this.perturbation = new Perturbation({ rho: options.rho, adaptive: options.adaptive, eta: options.eta });
  }

  override minimize(f: () => tf.Scalar, returnCost = false, varList?: tf.Variable[]): tf.Scalar | null {
    const variables = varList ?? trainableEngineVariables();
    const first = tf.variableGrads(f, variables);
    const gradients = variables.map((v) => first.grads[v.name]);
    const statistics = new SavedValues(this.statisticsVariables(variables));
    let perturbed: tf.NamedTensorMap | undefined;
    const keptByPerturbedPass: tf.Tensor[] = [];
    let isPerturbed = false;
    try {
      this.perturbation.perturb(variables, gradients);
      isPerturbed = true;
      tf.dispose(first.grads);
      perturbed = tf.variableGrads(() => keepingTrackOfKept(f, keptByPerturbedPass), variables).grads;
    } finally {
      if (isPerturbed) this.perturbation.restore();
      else tf.dispose(first.grads);
      statistics.restore();
      tf.dispose(keptByPerturbedPass);
    }
    this.base.applyGradients(variables.map((v) => ({ name: v.name, tensor: perturbed![v.name] })));
    tf.dispose(perturbed);
    this.incrementIterations();
    if (returnCost) return first.value;
    first.value.dispose();
    return null;
  }

  override computeGradients(f: () => tf.Scalar, varList?: tf.Variable[]): { value: tf.Scalar; grads: tf.NamedTensorMap } {
    return this.base.computeGradients(f, varList);
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    this.base.applyGradients(variableGradients);
  }

  override async getWeights(): Promise<NamedTensor[]> {
    return this.base.getWeights();
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    await this.base.setWeights(weightValues);
  }

  override dispose(): void {
    this.perturbation.dispose();
    this.base.dispose();
    super.dispose();
  }

  override getConfig(): SamOptimizerConfig {
    return {
      rho: this.options.rho,
      adaptive: this.options.adaptive ?? false,
      eta: this.options.eta ?? 0.01,
      base: { className: this.base.getClassName(), config: this.base.getConfig() },
    };
  }

  /** Rebuilds the optimizer `getConfig` described (used by `tf.loadLayersModel` for a model saved with `includeOptimizer`). */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const { rho, adaptive, eta, base } = config as SamOptimizerConfig;
    const baseClass = tf.serialization.SerializationMap.getMap().classNameMap[base.className];
    if (!baseClass) throw new Error(`${SamOptimizer.className}.fromConfig: base optimizer class '${base.className}' is not registered`);
    const baseOptimizer = baseClass[1](baseClass[0], base.config) as tf.Optimizer;
    return new cls(baseOptimizer, { rho, adaptive, eta }) as unknown as T;
  }

  private statisticsVariables(trained: readonly tf.Variable[]): tf.Variable[] {
    if (this.options.model) return nonTrainableVariablesOf(this.options.model);
    const trainedNames = new Set(trained.map((v) => v.name));
    return Object.values(tf.engine().registeredVariables).filter((v) => !v.trainable && !trainedNames.has(v.name));
  }
}

tf.serialization.registerClass(SamOptimizer);

/**
 * SAM around a `tf.train.*` optimizer, for `model.compile({ optimizer: sam(tf.train.momentum(0.05, 0.9), { rho: 0.05, model }) })`.
 */
export function sam(baseOptimizer: tf.Optimizer, options: SamOptimizerOptions): SamOptimizer {
  return new SamOptimizer(baseOptimizer, options);
}

/** ASAM (adaptive SAM, Kwon et al. 2021) around a `tf.train.*` optimizer; ρ defaults to 0.5. */
export function asam(baseOptimizer: tf.Optimizer, options: Omit<SamOptimizerOptions, 'adaptive' | 'rho'> & { rho?: number }): SamOptimizer {
  return new SamOptimizer(baseOptimizer, { ...options, rho: options.rho ?? 0.5, adaptive: true });
}

/** Runs `f` in its own scope and collects the tensors it kept without returning them (tfjs-layers' metric values). */
function keepingTrackOfKept(f: () => tf.Scalar, kept: tf.Tensor[]): tf.Scalar {
  const engine = tf.engine();
  engine.startScope();
  let result: tf.Scalar | undefined;
  try {
    result = f();
    for (const t of engine.state.activeScope.track) if (t.kept && t !== result) kept.push(t);
  } finally {
    engine.endScope(result);
  }
  return result;
}

function trainableEngineVariables(): tf.Variable[] {
  return Object.values(tf.engine().registeredVariables).filter((v) => v.trainable);
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  return `an object of class ${(value as object).constructor?.name ?? 'Object'}`;
}
