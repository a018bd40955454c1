import { describe, expect, it } from 'vitest';
import { LocalCalendar } from '../../calendar/city-calendar.js';
import { dailyEnergy, dailyPeakKw, intervalConsumption, nightBaseLoadKw } from './register.js';

const cal = new LocalCalendar('Asia/Tbilisi');
const Q = 900_000;
// Local midnight of 2026-10-05 in Kutaisi.
const T0 = Date.parse('2026-10-04T20:00:00Z');

describe('register → consumption', () => {
  it('handles a reset, duplicates and out-of-order readings (hand-checked)', () => {
    const points = [
      { t: T0, kwh: 1000 },
      { t: T0 + 2 * Q, kwh: 1003 }, // arrives before the reading it follows
      { t: T0 + Q, kwh: 1001 },
      { t: T0 + Q, kwh: 1001 }, // duplicate
      { t: T0 + 3 * Q, kwh: 1.5 }, // reset to zero, then 1.5 kWh
      { t: T0 + 4 * Q, kwh: 2.5 },
    ];
    const uses = intervalConsumption(points, { maxGapMs: 3_600_000 });
    expect(uses.map((u) => u.kwh)).toEqual([1, 2, 1.5, 1]);
    expect(uses.map((u) => u.reset)).toEqual([false, false, true, false]);
    const day = dailyEnergy(uses, cal).get('2026-10-05');
    expect(day?.kwh).toBeCloseTo(5.5, 12);
    expect(day?.coverage).toBeCloseTo(1 / 24, 12);
    expect(dailyPeakKw(uses, cal).get('2026-10-05')).toBeCloseTo(8, 12);
  });

  it('never turns a long gap into consumption or zeros, and drops impossible jumps', () => {
    const points = [
      { t: T0, kwh: 10 },
      { t: T0 + Q, kwh: 11 },
      { t: T0 + 40 * Q, kwh: 50 }, // 10 h gap: unknown
      { t: T0 + 41 * Q, kwh: 5050 }, // 20 MW for 15 min: corrupt
      { t: T0 + 42 * Q, kwh: 5051 },
    ];
    const uses = intervalConsumption(points, { maxGapMs: 3_600_000, maxKw: 1000 });
    expect(uses.map((u) => u.kwh)).toEqual([1, 1]);
  });

  it('splits an interval that spans midnight by time', () => {
    const uses = [{ from: T0 - Q, to: T0 + Q, kwh: 4, reset: false }];
    const days = dailyEnergy(uses, cal);
    expect(days.get('2026-10-04')?.kwh).toBeCloseTo(2, 12);
    expect(days.get('2026-10-05')?.kwh).toBeCloseTo(2, 12);
  });

  it('averages the night window 00–05 h into a base load', () => {
    const uses = Array.from({ length: 24 }, (_, i) => ({
      from: T0 + i * Q,
      to: T0 + (i + 1) * Q,
      kwh: i < 20 ? 2 : 9,
      reset: false,
    }));
    const night = nightBaseLoadKw(uses, cal).get('2026-10-05');
    expect(night?.kw).toBeCloseTo(8, 12); // 20 intervals of 2 kWh per 15 min = 8 kW; 05:00–06:00 excluded
    expect(night?.coverage).toBeCloseTo(1, 12);
  });
});
