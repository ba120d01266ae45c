import { summarizeThroughput, throughputTable, type ThroughputMeasurement } from './throughput-table';

function m(impl: 'ours' | 'ours-replicas' | 'pytorch', method: string, parallelism: number, round: number, imagesPerSec: number): ThroughputMeasurement {
  return { impl, model: 'resnet-small', method, parallelism, round, imagesPerSec, wallMsPerStep: 128000 / imagesPerSec, cpuMsPerStep: 0 };
}

describe('throughput summary and table', () => {
  it('takes the median and range over rounds per variant', () => {
    const summaries = summarizeThroughput([m('ours', 'sam', 1, 0, 300), m('ours', 'sam', 1, 1, 100), m('ours', 'sam', 1, 2, 200), m('pytorch', 'sam', 1, 0, 500), m('pytorch', 'sam', 1, 1, 700)]);
    expect(summaries).toEqual([
      { impl: 'ours', model: 'resnet-small', method: 'sam', parallelism: 1, median: 200, min: 100, max: 300, rounds: 3 },
      { impl: 'pytorch', model: 'resnet-small', method: 'sam', parallelism: 1, median: 600, min: 500, max: 700, rounds: 2 },
    ]);
  });

  it('prints ratios at each shared thread count, and most threads against most threads', () => {
    const table = throughputTable(
      summarizeThroughput([m('ours', 'sgd', 1, 0, 500), m('ours', 'sam', 1, 0, 250), m('pytorch', 'sgd', 1, 0, 1000), m('pytorch', 'sgd', 2, 0, 2000), m('pytorch', 'sam', 1, 0, 500)]),
    ).split('\n');
    expect(table[0]).toBe('| model | method | ours, 1 thread img/s | PyTorch, 1 thread img/s | PyTorch, 2 threads img/s | ours ÷ PyTorch, 1 thread | ours ×1 ÷ PyTorch ×2 |');
    expect(table[1]).toBe('|---|---|---:|---:|---:|---:|---:|');
    expect(table[2]).toBe('| resnet-small | sgd | 500 | 1000 | 2000 | 0.50× | 0.25× |');
    expect(table[3]).toBe('| resnet-small | sam | 250 | 500 | – | 0.50× | – |');
  });

  it('gives replicas their own columns and their ratio to PyTorch at the same count', () => {
    const table = throughputTable(
      summarizeThroughput([m('ours', 'sam', 2, 0, 200), m('ours-replicas', 'sam', 2, 0, 300), m('pytorch', 'sam', 2, 0, 600)]),
    ).split('\n');
    expect(table[0]).toBe('| model | method | ours, 2 threads img/s | ours, 2 replicas img/s | PyTorch, 2 threads img/s | ours ÷ PyTorch, 2 threads | ours 2 replicas ÷ PyTorch 2 threads |');
    expect(table[2]).toBe('| resnet-small | sam | 200 | 300 | 600 | 0.33× | 0.50× |');
  });

  it('has no ratio columns without PyTorch', () => {
    expect(throughputTable(summarizeThroughput([m('ours', 'sgd', 1, 0, 500)]))).toBe('| model | method | ours, 1 thread img/s |\n|---|---|---:|\n| resnet-small | sgd | 500 |');
  });
});
