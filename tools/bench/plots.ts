import * as fs from 'fs';
import * as path from 'path';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { MethodRun } from './run-methods';

type VegaLiteSpec = Record<string, unknown>;

async function writeSvg(spec: VegaLiteSpec, file: string): Promise<void> {
  const compiled = vegaLite.compile({ $schema: 'https://vega.github.io/schema/vega-lite/v5.json', ...spec } as never).spec;
  const svg = await new vega.View(vega.parse(compiled), { renderer: 'none' }).toSVG();
  fs.writeFileSync(file, svg);
}

/** Renders the suite's plots as SVG files into `dir`; returns their paths. */
export async function writePlots(runs: MethodRun[], dir: string, headline: string): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const curve = runs.flatMap((r) => r.curve.map((p) => ({ method: r.label, seed: r.seed, seconds: p.seconds, value: p.value })));
  if (curve.length > 0) {
    const file = path.join(dir, 'metric-vs-time.svg');
    await writeSvg(
      {
        title: `${headline} vs training time`,
        width: 480,
        height: 300,
        data: { values: curve },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'seconds', type: 'quantitative', title: 'training time (s)' },
          y: { field: 'value', type: 'quantitative', title: headline, scale: { zero: false } },
          color: { field: 'method', type: 'nominal' },
          detail: { field: 'seed', type: 'nominal' },
        },
      },
      file,
    );
    written.push(file);
  }
  const ausam = runs.find((r) => r.probabilityRatios);
  if (ausam?.probabilityRatios) {
    const histogram = ausam.probabilityRatios.flatMap(({ epoch, values }) => {
      const bins = new Map<number, number>();
      for (const v of values) {
        const bin = Math.round(v * 10) / 10;
        bins.set(bin, (bins.get(bin) ?? 0) + 1);
      }
      return [...bins].map(([ratio, count]) => ({ epoch, ratio, count }));
    });
    const file = path.join(dir, 'ausam-probability-histogram.svg');
    await writeSvg(
      {
        title: `AUSAM selection probability within each batch, p·b, per epoch (${ausam.label}, seed ${ausam.seed}); 1 = uniform`,
        data: { values: histogram },
        facet: { row: { field: 'epoch', type: 'ordinal', title: 'epoch' } },
        spec: {
          width: 480,
          height: 60,
          mark: { type: 'bar' },
          encoding: {
            x: { field: 'ratio', type: 'quantitative', title: 'p_j · b (bins of 0.1)' },
            y: { field: 'count', type: 'quantitative', title: 'batch positions' },
          },
        },
      },
      file,
    );
    written.push(file);
    const schedule = ausam.probabilityRatios.flatMap(({ epoch, fMaxCeiling, values }) => {
      let max = 0;
      let min = Infinity;
      for (const v of values) {
        if (v > max) max = v;
        if (v < min) min = v;
      }
      return [
        { epoch, series: 'f_max(e) / f_min (the ceiling of p_max/p_min)', value: fMaxCeiling / (ausam.spec.ausam?.fMin ?? 0.1) },
        { epoch, series: 'p_max / p_min observed', value: min > 0 ? max / min : 0 },
      ];
    });
    const scheduleFile = path.join(dir, 'ausam-schedule.svg');
    await writeSvg(
      {
        title: 'AUSAM selectivity per epoch after the warm-up',
        width: 480,
        height: 240,
        data: { values: schedule },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative' },
          y: { field: 'value', type: 'quantitative' },
          color: { field: 'series', type: 'nominal' },
        },
      },
      scheduleFile,
    );
    written.push(scheduleFile);
  }
  return written;
}
