/** Training produced a NaN or infinite loss: stop rather than silently train on garbage. */
export class NonFiniteLossError extends Error {
  constructor(
    /** 0-based; the message counts epochs and steps from 1, as the epoch lines do. */
    readonly epoch: number,
    readonly step: number,
    readonly sampleIds: number[],
    readonly learningRate: number,
  ) {
    super(
      `non-finite loss at epoch ${epoch + 1}, step ${step + 1} (learning rate ${learningRate}) for sample ids ` +
        `[${sampleIds.slice(0, 10).join(', ')}${sampleIds.length > 10 ? ', …' : ''}]: ` +
        'lower the learning rate or rho, or check the inputs of those samples',
    );
    this.name = 'NonFiniteLossError';
  }
}
