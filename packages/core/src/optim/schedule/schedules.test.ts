import { buildSchedule, cosineSchedule, multiStepSchedule, stepSchedule, withLinearWarmup } from './schedules';

describe('learning-rate schedules', () => {
  it('step and multi-step decay by γ at their boundaries', () => {
    const step = stepSchedule(0.1, 30, 0.1);
    expect(step.at(29.9)).toBeCloseTo(0.1);
    expect(step.at(30)).toBeCloseTo(0.01);
    const multi = multiStepSchedule(0.1, [60, 120, 160], 0.2);
    expect(multi.at(59)).toBeCloseTo(0.1);
    expect(multi.at(60)).toBeCloseTo(0.02);
    expect(multi.at(170)).toBeCloseTo(0.1 * 0.2 ** 3);
  });

  it('cosine goes from base to minimum through the midpoint', () => {
    const cosine = cosineSchedule(0.1, 200, 0);
    expect(cosine.at(0)).toBeCloseTo(0.1);
    expect(cosine.at(100)).toBeCloseTo(0.05);
    expect(cosine.at(200)).toBeCloseTo(0);
  });

  it('warm-up ramps linearly then hands over', () => {
    const warm = withLinearWarmup({ at: () => 0.4 }, 2);
    expect(warm.at(0)).toBe(0);
    expect(warm.at(1)).toBeCloseTo(0.2);
    expect(warm.at(3)).toBeCloseTo(0.4);
  });

  it('builds from config data and rejects unknown kinds', () => {
    expect(buildSchedule({ kind: 'cosine', lr: 0.1, warmupEpochs: 1 }, 10).at(0.5)).toBeCloseTo(0.5 * 0.05 * (1 + Math.cos(Math.PI * 0.05)), 6);
    expect(() => buildSchedule({ kind: 'poly' } as never, 10)).toThrow(/expected kind constant\|step\|multistep\|cosine, found 'poly'/);
  });
});
