import { describe, expect, it } from 'vitest';
import { BaselineResampler, drawCounts } from './baseline-resample.js';
import { fitBaseline, predictDay, type ModelDay } from './option-c.js';
import { seededRandom } from './stats/seeded-random.js';

const limits = { cv_rmse_max: 0.3, nmbe_abs_max: 0.1, r2_min: 0.75 };

/** A school's winter: heating below a balance temperature, more on school days, some days missing. */
function baseline(seed: number): { dates: string[]; days: ModelDay[] } {
  const random = seededRandom(seed);
  const dates = Array.from({ length: 150 }, (_, i) =>
    new Date(Date.UTC(2025, 10, 1 + i)).toISOString().slice(0, 10),
  );
  const days = dates.flatMap((date, i) => {
    if (random() < 0.05) return [];
    const temp = Math.round((7 + 7 * Math.cos(i / 25) + 4 * (random() - 0.5)) * 10) / 10;
    const occupied = i % 7 < 5;
    const y = 90 + 12 * Math.max(0, 14 - temp) + (occupied ? 70 : 0) + 15 * (random() - 0.5);
    return [{ site: 's', date, period: 'pre' as const, y, hdd: Math.max(0, 18 - temp), temp, occupied }];
  });
  return { dates, days };
}

describe('baseline refits by weight', () => {
  it('predict as fitBaseline does on the resampled days, for every variant', () => {
    for (const seed of [1, 2, 3, 4]) {
      const { dates, days } = baseline(seed);
      const index = new Map(dates.map((d, i) => [d, i]));
      const resampler = new BaselineResampler(days, (d) => index.get(d) as number);
      const random = seededRandom(100 + seed);
      const probe = [-6, 0, 5, 11, 16, 22].flatMap((temp) =>
        [true, false].map((occupied) => ({ ...(days[0] as ModelDay), temp, occupied })),
      );
      for (let replicate = 0; replicate < 30; replicate++) {
        // Blocks of 7 dates, as the bootstrap draws them; some replicates draw few dates.
        const drawn: number[] = [];
        const wanted = replicate % 10 === 0 ? 7 : dates.length;
        while (drawn.length < wanted) {
          const start = Math.floor(random() * (dates.length - 6));
          for (let k = 0; k < 7 && drawn.length < wanted; k++) drawn.push(start + k);
        }
        const byDate = new Map(days.map((d) => [d.date, d]));
        const resampled = drawn.flatMap((i) => byDate.get(dates[i] as string) ?? []);
        const slow = fitBaseline(resampled, limits);
        const fast = resampler.fit(drawCounts(drawn, dates.length));
        expect(fast === null, `seed ${seed} replicate ${replicate}`).toBe(slow === null);
        if (!slow || !fast) continue;
        for (const day of probe)
          for (const variant of ['estimate', 'low', 'high'] as const) {
            const want = predictDay(slow, day, variant);
            expect(Math.abs(predictDay(fast, day, variant) - want) / Math.abs(want)).toBeLessThan(1e-9);
          }
      }
    }
  });
});
