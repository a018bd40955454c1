import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COLLECTION_MIN_DROP } from '../domains/waste/fill-thresholds.js';
import { FillRate, type FillPoint } from './fill-rate.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 9, 5, 8, 0);

/**
 * The window written plainly, one object per point: the compact FillRate must keep exactly the
 * same points (and so give the same forecasts) for any sequence of readings and collections. A
 * drop of more than COLLECTION_MIN_DROP waits for the next reading: still down, the window starts
 * at the drop; back up, the low reading was a glitch and leaves the window.
 */
class ReferenceWindow {
  points: FillPoint[] = [];
  private pending: { point: FillPoint; before: number } | undefined;
  constructor(private readonly windowMs: number) {}
  add(ts: number, fill: number): void {
    const last = this.points[this.points.length - 1];
    if (last && ts <= last.ts) return;
    const pending = this.pending;
    this.pending = undefined;
    if (pending && pending.before - fill > COLLECTION_MIN_DROP)
      this.points = this.points.filter((p) => p.ts >= pending.point.ts);
    else if (pending) this.points = this.points.filter((p) => p !== pending.point);
    const point = { ts, fill };
    if (last && last.fill - fill > COLLECTION_MIN_DROP) this.pending = { point, before: last.fill };
    this.points.push(point);
    const cutoff = ts - this.windowMs;
    let drop = 0;
    while (drop < this.points.length - 3 && (this.points[drop]?.ts ?? ts) < cutoff) drop++;
    if (drop > 0) this.points.splice(0, drop);
  }
  collected(ts: number): void {
    this.points = this.points.filter((p) => p.ts > ts);
    this.pending = undefined;
  }
}

type Step = { kind: 'reading'; dt: number; fill: number } | { kind: 'collection'; back: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.record({
      kind: fc.constant('reading' as const),
      // Mostly forward in time, sometimes a duplicate or a late (older) reading.
      dt: fc.integer({ min: -2 * HOUR, max: 3 * HOUR }),
      fill: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('collection' as const),
      back: fc.integer({ min: 0, max: 6 * HOUR }),
    }),
  },
);

describe('fill rate window', () => {
  it('keeps the same points as the one-object-per-point window for any readings and collections', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), fc.integer({ min: 1, max: 24 }), (steps, windowH) => {
        const compact = new FillRate(windowH * HOUR);
        const reference = new ReferenceWindow(windowH * HOUR);
        let now = T0;
        for (const s of steps) {
          if (s.kind === 'reading') {
            now += s.dt;
            compact.add(now, s.fill);
            reference.add(now, s.fill);
          } else {
            compact.collected(now - s.back);
            reference.collected(now - s.back);
          }
          expect(compact.points()).toEqual(reference.points);
          expect(compact.size).toBe(reference.points.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('forecasts the slope of a steady rise and when the bin will be full', () => {
    const rate = new FillRate(12 * HOUR);
    expect(rate.forecast()).toBeUndefined();
    // 2 % an hour from 40 %, one reading every 15 minutes for 6 hours.
    for (let i = 0; i <= 24; i++) rate.add(T0 + i * 900_000, 0.4 + 0.005 * i);
    const forecast = rate.forecast();
    expect(forecast?.ratePerHour).toBeCloseTo(0.02, 10);
    expect(forecast?.fill).toBeCloseTo(0.52, 10);
    // 48 % to go at 2 % an hour: 24 h after the last reading.
    expect(((forecast?.fullAt ?? 0) - (T0 + 24 * 900_000)) / HOUR).toBeCloseTo(24, 6);
  });

  it('drops points older than the window but keeps at least three', () => {
    const rate = new FillRate(2 * HOUR);
    for (let i = 0; i < 40; i++) rate.add(T0 + i * 900_000, 0.1 + 0.01 * i);
    // 2 h at 15 minutes: the points at or after the cutoff (9 of them) remain.
    expect(rate.size).toBe(9);
    const sparse = new FillRate(HOUR);
    for (let i = 0; i < 5; i++) sparse.add(T0 + i * 10 * HOUR, 0.2 + 0.01 * i);
    expect(sparse.size).toBe(3);
  });

  it('starts over at a drop the next reading confirms, and forgets a drop the next reading refutes', () => {
    const at = (i: number) => T0 + i * 900_000;
    const rate = new FillRate(12 * HOUR);
    for (let i = 0; i < 12; i++) rate.add(at(i), 0.2 + 0.01 * i);
    // A glitch: 0.31 → 0.12 → 0.32. The low reading leaves the trend.
    rate.add(at(12), 0.12);
    rate.add(at(13), 0.32);
    expect(rate.size).toBe(13);
    expect(rate.points().some((p) => p.fill === 0.12)).toBe(false);
    // A collection of a bin a third full (0.33 → 0.05, then 0.06): the window starts at the drop.
    rate.add(at(14), 0.33);
    rate.add(at(15), 0.05);
    rate.add(at(16), 0.06);
    expect(rate.points()).toEqual([
      { ts: at(15), fill: 0.05 },
      { ts: at(16), fill: 0.06 },
    ]);
  });
});
