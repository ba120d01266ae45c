import { startEpochProgress } from './progress';

function pipe() {
  const writes: string[] = [];
  return { writes, stream: { isTTY: false, write: (text: string) => writes.push(text) } };
}

describe('epoch progress', () => {
  it('prints whole lines at every 10% when stderr is not a terminal, not a line per step', () => {
    const { writes, stream } = pipe();
    const progress = startEpochProgress('epoch 1/2', 1000, true, stream);
    for (let step = 0; step < 100; step++) progress.tick(10, 0.5);
    progress.stop();
    expect(writes).toHaveLength(10);
    for (const line of writes) {
      expect(line).toMatch(/^epoch 1\/2: \d+% \d+\/1000 samples, (\d+|-) samples\/s, loss 0\.5000, ETA (\d+s|-)\n$/);
      expect(line).not.toContain('\r');
    }
    expect(writes[0]).toMatch(/^epoch 1\/2: 10% 100\/1000 samples/);
    expect(writes[9]).toMatch(/^epoch 1\/2: 100% 1000\/1000 samples/);
  });

  it('prints one line for a step that crosses several tenths, and nothing when disabled', () => {
    const { writes, stream } = pipe();
    const progress = startEpochProgress('epoch 1/1', 10, true, stream);
    progress.tick(4, 1);
    progress.tick(6, 1);
    expect(writes.map((line) => line.split(' ')[2])).toEqual(['40%', '100%']);
    const silent = pipe();
    const disabled = startEpochProgress('epoch 1/1', 10, false, silent.stream);
    disabled.tick(10, 1);
    disabled.stop();
    expect(silent.writes).toEqual([]);
  });
});
