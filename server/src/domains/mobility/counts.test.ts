import { describe, expect, it } from 'vitest';
import { LocalCalendar } from '../../calendar/city-calendar.js';
import {
  averageDailyTraffic,
  dailyCounts,
  hourlyCounts,
  modalSplit,
  peakHourFactor,
  total,
} from './counts.js';

const cal = new LocalCalendar('Asia/Tbilisi');
const Q = 900_000;
const MIDNIGHT = Date.parse('2026-09-06T20:00:00Z'); // 2026-09-07 00:00 in Kutaisi

const iv = (k: number, bike: number, car: number) => ({
  end: MIDNIGHT + (k + 1) * Q,
  intervalMs: Q,
  counts: { bicycle_in: bike, bicycle_out: 1, car_in: car, car_out: 0 },
});

describe('mobility counts', () => {
  const all = Array.from({ length: 96 }, (_, k) => iv(k, 2, 10));

  it('sums hourly and daily by class and direction, with coverage', () => {
    const days = dailyCounts(all, cal);
    const day = days.get('2026-09-07');
    expect(day?.coverage).toBe(1);
    expect(total(day!, ['bicycle'])).toBe(96 * 3);
    expect(total(day!, ['bicycle'], 'in')).toBe(96 * 2);
    expect(hourlyCounts(all, cal).get('2026-09-07 05')?.counts.car_in).toBe(40);
  });

  it('treats missing intervals as missing, not zero', () => {
    const gappy = all.filter((_, k) => k % 2 === 0);
    const day = dailyCounts(gappy, cal).get('2026-09-07')!;
    expect(day.coverage).toBe(0.5);
    expect(averageDailyTraffic([day], ['car'])).toBeNull();
    expect(averageDailyTraffic([day], ['car'], 0.5)).toBe(480);
  });

  it('computes modal split and the peak hour factor', () => {
    const split = modalSplit(dailyCounts(all, cal).values(), ['bicycle', 'car']);
    expect(split.bicycle).toBeCloseTo(3 / 13, 12);
    // 08:00–09:00 has 10, 30, 20, 20 cars: PHF = 80 / (4 × 30)
    const day = all.map((x, k) =>
      k >= 32 && k < 36 ? iv(k, 0, [10, 30, 20, 20][k - 32] as number) : iv(k, 0, 1),
    );
    expect(peakHourFactor(day, cal, ['car'])).toBeCloseTo(80 / 120, 12);
  });
});
