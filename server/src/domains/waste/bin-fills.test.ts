import { describe, expect, it } from 'vitest';
import { PointsStore } from '../../experiments/rollup/points-store.js';
import { seededRandom } from '../../experiments/stats/seeded-random.js';
import { points, readDeviceSeries } from '../device-series.js';
import { lastPerBucket } from './bin-fills.js';

describe('fill readings bucketed from raw points', () => {
  it('equal readDeviceSeries over the same points: irregular times, gaps, nulls, several per bucket', async () => {
    const random = seededRandom(4);
    for (let trial = 0; trial < 10; trial++) {
      const step = 900_000;
      const t: number[] = [];
      const fill: (number | null)[] = [];
      let ts = Date.UTC(2026, 5, 1) + Math.floor(random() * step);
      for (let i = 0; i < 3000; i++) {
        // Mostly on time, sometimes early (two in a bucket), sometimes a gap of hours.
        ts += random() < 0.1 ? Math.floor(random() * 300_000) + 1 : random() < 0.02 ? 6 * step : step;
        t.push(ts);
        fill.push(random() < 0.05 ? null : Math.round(random() * 1000) / 1000);
      }
      const loaded = new Map([['bin', { t, values: { fill } }]]);
      const from = (t[0] as number) + Math.floor(random() * 50 * step);
      const to = (t[2500] as number) + 1;
      const series = await readDeviceSeries(new PointsStore(loaded), {
        devices: ['bin'],
        metric: 'fill',
        from,
        to,
        stepMs: step,
      });
      const bucketed = lastPerBucket(loaded.get('bin'), 'fill', from, to, step);
      const expected = points(series.get('bin') ?? { t: [], values: [] });
      expect(Array.from(bucketed.t)).toEqual(expected.map((p) => p.t));
      expect(Array.from(bucketed.fill)).toEqual(expected.map((p) => p.v));
    }
  });
});
