import { describe, expect, it } from 'vitest';
import { LocalCalendar } from '../../calendar/city-calendar.js';
import { arrivals, learnRound, replayRound } from './round-replay.js';
import { fillColumns, type FillPoint } from './collections.js';

const calendar = new LocalCalendar('Asia/Tbilisi');
const QUARTER = 900_000;
const options = { collectionDrop: 0.1, wastedTripFill: 0.5, overflowFill: 0.995 };

/**
 * A bin filling at `rate` a day, read every quarter hour, emptied (to 0.02) at the first reading at or
 * after 07:00 on the given weekdays, or whenever `threshold` is reached at 07:00 or 14:00.
 */
function bin(from: string, days: number, rate: number, policy: { weekdays?: number[]; threshold?: number }) {
  const start = calendar.startOf(from);
  const out: FillPoint[] = [];
  let fill = 0.3;
  for (let t = start; t < start + days * 86_400_000; t += QUARTER) {
    const date = calendar.dateOf(t);
    const minute = Math.round((t - calendar.startOf(date)) / 60_000);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    fill += (rate * QUARTER) / 86_400_000;
    const round = policy.weekdays?.includes(weekday) && minute === 420;
    const smart =
      policy.threshold !== undefined && (minute === 420 || minute === 840) && fill >= policy.threshold;
    if (round || smart) fill = 0.02;
    out.push({ t, fill: Math.min(1, fill) });
  }
  return fillColumns(out);
}

describe('the old round replayed on a bin’s own readings', () => {
  it('learns a Monday/Thursday round at 07:00 from the baseline', () => {
    const round = learnRound(bin('2026-06-01', 91, 0.2, { weekdays: [1, 4] }), calendar, options);
    expect(round.slots).toEqual(
      expect.arrayContaining([
        { weekday: 1, minute: 420 },
        { weekday: 4, minute: 420 },
      ]),
    );
    expect(round.slots).toHaveLength(2);
    expect(round.explained).toBe(1);
    expect(round.residual).toBeCloseTo(0.02, 9);
  });

  it('reproduces the round itself exactly where nothing changed', () => {
    const round = learnRound(bin('2026-06-01', 91, 0.2, { weekdays: [1, 4] }), calendar, options);
    const same = bin('2026-09-01', 91, 0.2, { weekdays: [1, 4] });
    const replayed = replayRound(same, round, calendar, options);
    const collections = replayed.reduce((s, d) => s + d.collections, 0);
    expect(collections).toBe(26);
    const wasted = replayed.reduce((s, d) => s + d.wasted_trips, 0);
    // Monday's visits follow four days of filling (0.8+), Thursday's three (0.6+): none wasted at 0.2/day.
    expect(wasted).toBe(0);
  });

  it('finds the fixed round’s wasted trips and overflows in the waste a smart round collected', () => {
    const round = learnRound(bin('2026-06-01', 91, 0.1, { weekdays: [1, 4] }), calendar, options);
    const smart = bin('2026-09-01', 91, 0.1, { threshold: 0.8 });
    const replayed = replayRound(smart, round, calendar, options);
    const collections = replayed.reduce((s, d) => s + d.collections, 0);
    const wasted = replayed.reduce((s, d) => s + d.wasted_trips, 0);
    // At 0.1 a day a Thursday visit finds 0.32 (wasted), a Monday one 0.42 (wasted): every visit but the
    // first, which finds the bin's starting fill (0.3) plus two days.
    expect(collections).toBe(26);
    expect(wasted).toBe(25);
    const fast = replayRound(bin('2026-09-01', 91, 0.35, { threshold: 0.8 }), round, calendar, options);
    expect(fast.filter((d) => d.overflow).length).toBeGreaterThan(20);
  });

  it('takes the rise between readings, and the neighbours’ rise across a collection', () => {
    const series = [0.5, 0.52, 0.54, 0.02, 0.04, 0.06].map((fill, i) => ({ t: i * QUARTER, fill }));
    expect(Array.from(arrivals(fillColumns(series), 0.1), (x) => Math.round(x * 1000) / 1000)).toEqual([
      0, 0.02, 0.02, 0.02, 0.02, 0.02,
    ]);
  });

  it('gives every arrival as the definition does: drops and gaps unknown, the neighbours’ mean across them', () => {
    // The definition, written the slow way.
    const reference = (series: FillPoint[], minDrop: number) => {
      const rise = series.map((p, i) => {
        const prev = series[i - 1];
        if (!prev) return 0;
        return prev.fill - p.fill > minDrop || p.t - prev.t > 6 * 3_600_000 ? null : p.fill - prev.fill;
      });
      return rise.map((r, i) => {
        if (r !== null) return r;
        const near = [rise[i - 2], rise[i - 1], rise[i + 1], rise[i + 2]].filter(
          (x): x is number => typeof x === 'number',
        );
        return near.length ? near.reduce((a, x) => a + x, 0) / near.length : 0;
      });
    };
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let trial = 0; trial < 20; trial++) {
      let t = 0;
      let fill = 0.2;
      const series: FillPoint[] = Array.from({ length: 400 }, () => {
        t += random() < 0.03 ? 8 * 3_600_000 : 900_000;
        fill = random() < 0.05 ? random() * 0.1 : Math.min(1, fill + 0.02 * random());
        return { t, fill };
      });
      expect(Array.from(arrivals(fillColumns(series), 0.1))).toEqual(reference(series, 0.1));
    }
  });
});
