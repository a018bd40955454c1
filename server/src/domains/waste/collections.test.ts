import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WASTE_OPTIONS,
  detectCollections,
  fillColumns,
  fillRatePerDay,
  timeToFullDays,
  type Collection,
  type FillPoint,
} from './collections.js';

const H = 3_600_000;

/** The batch rule as the experiments first had it: the streaming watch must find exactly these. */
function referenceCollections(series: readonly FillPoint[], minDrop: number): Collection[] {
  const out: Collection[] = [];
  for (let i = 1; i < series.length; i++) {
    const before = series[i - 1] as FillPoint;
    const after = series[i] as FillPoint;
    const next = series[i + 1];
    if (before.fill - after.fill <= minDrop) continue;
    if (next && before.fill - next.fill <= minDrop) continue;
    out.push({ at: after.t, fillBefore: before.fill, fillAfter: after.fill });
  }
  return out;
}

describe('collections from fill drops', () => {
  it('finds the same collections as the batch rule the experiments were validated with', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 60 }),
        fc.constantFrom(0.1, 0.3),
        (fills, minDrop) => {
          const series = fills.map((fill, i) => ({ t: i * H, fill }));
          expect(detectCollections(fillColumns(series), minDrop)).toEqual(
            referenceCollections(series, minDrop),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('detects drops of more than 30 points and keeps the fill before', () => {
    const fill = [0.5, 0.6, 0.85, 0.03, 0.1, 0.4, 0.12, 0.15, 0.9, 0.61];
    const series = fill.map((f, i) => ({ t: i * H, fill: f }));
    const found = detectCollections(fillColumns(series), 0.3);
    expect(found).toEqual([{ at: 3 * H, fillBefore: 0.85, fillAfter: 0.03 }]);
    // 0.4 → 0.12 (28 points) and 0.9 → 0.61 (29 points) are not collections
  });

  it('measures the fill rate between collections, ignoring saturated readings', () => {
    // 0.1 per 6 h = 0.4 per day; then a collection; then saturated at 1.0
    const fill = [0.2, 0.3, 0.4, 0.5, 0.02, 0.12, 0.22, 0.96, 1, 1];
    const series = fill.map((f, i) => ({ t: i * 6 * H, fill: f }));
    const rate = fillRatePerDay(series, DEFAULT_WASTE_OPTIONS);
    expect(rate).toBeCloseTo(0.4, 12);
    expect(timeToFullDays(0.6, rate)).toBeCloseTo(1, 12);
    expect(timeToFullDays(1.2, rate)).toBe(0);
    expect(timeToFullDays(0.5, null)).toBeNull();
  });
});
