import { startEpochProgress } from './progress';

/** A non-terminal stream and a clock the test moves. */
function pipe() {
  const writes: string[] = [];
  let now = 0;
  return {
    writes,
    stream: { isTTY: false, write: (text: string) => writes.push(text) },
    clock: () => now,
    advance: (seconds: number) => (now += seconds * 1000),
  };
}

describe('epoch progress on a pipe', () => {
  it('prints a whole line per tenth of a slow epoch, not a line per step or redraw', () => {
    const { writes, stream, clock, advance } = pipe();
    const progress = startEpochProgress('epoch 1/2', 1000, true, stream, clock);
    for (let step = 0; step < 100; step++) {
      advance(1); // 100 s epoch, 100 steps
      progress.tick(10, 0.5);
    }
    progress.stop();
    expect(writes).toHaveLength(10);
    for (const line of writes) {
      expect(line).toMatch(/^epoch 1\/2: \d+% \d+\/1000 samples, \d+ samples\/s, loss 0\.5000, ETA \d+s\n$/);
      expect(line).not.toContain('\r');
    }
    expect(writes[0]).toBe('epoch 1/2: 10% 100/1000 samples, 10 samples/s, loss 0.5000, ETA 90s\n');
    expect(writes[9]).toMatch(/^epoch 1\/2: 100% 1000\/1000 samples/);
  });

  it('prints nothing for an epoch of a few seconds, and at least a line a minute for a very slow one', () => {
    const fast = pipe();
    const quick = startEpochProgress('epoch 1/1', 100, true, fast.stream, fast.clock);
    for (let step = 0; step < 10; step++) {
      fast.advance(0.2);
      quick.tick(10, 1);
    }
    expect(fast.writes).toEqual([]);
    const slow = pipe();
    const crawl = startEpochProgress('epoch 1/1', 1000, true, slow.stream, slow.clock);
    slow.advance(61);
    crawl.tick(1, 1);
    expect(slow.writes).toEqual(['epoch 1/1: 0% 1/1000 samples, 0 samples/s, loss 1.0000, ETA -\n']);
  });

  it('prints nothing when disabled', () => {
    const silent = pipe();
    const disabled = startEpochProgress('epoch 1/1', 10, false, silent.stream, silent.clock);
    silent.advance(100);
    disabled.tick(10, 1);
    disabled.stop();
    expect(silent.writes).toEqual([]);
  });
});
