import { describe, expect, it } from 'vitest';
import { LocalCalendar } from '../../calendar/city-calendar.js';
import { stationDays, type StationPoint } from './station-days.js';

const calendar = new LocalCalendar('Asia/Tbilisi');
const midnight = calendar.startOf('2026-01-10');
const QUARTER = 900_000;

/** A day of quarter-hourly readings swinging ±4.5 °C around `mean`. */
function day(mean: number, start = midnight): StationPoint[] {
  return Array.from({ length: 96 }, (_, k) => ({
    t: start + k * QUARTER,
    temp: mean + 4.5 * Math.cos((2 * Math.PI * (k / 4 - 15)) / 24),
    intervalS: 0,
  }));
}

describe('daily mean temperature of a station', () => {
  it('is the mean of the hours, which cancels the daily swing', () => {
    const days = stationDays(day(6.3), calendar, 0.9);
    expect(days.get('2026-01-10')?.mean_c).toBeCloseTo(6.3, 9);
    expect(days.get('2026-01-10')?.coverage).toBe(1);
  });

  it('shrugs off one wrong reading in an hour (the hour takes its median)', () => {
    const points = day(6.3);
    (points[56] as StationPoint).temp += 22; // a sun-heated sensor at 14:00
    expect(stationDays(points, calendar, 0.9).get('2026-01-10')?.mean_c).toBeCloseTo(6.3, 1);
  });

  it('leaves out a day missing more hours than the coverage rule allows', () => {
    const afternoonLost = day(6.3).filter((p) => p.t < midnight + 20 * 3_600_000);
    expect(stationDays(afternoonLost, calendar, 0.9).has('2026-01-10')).toBe(false);
    expect(stationDays(afternoonLost, calendar, 0.8).get('2026-01-10')?.coverage).toBeCloseTo(20 / 24, 9);
  });

  it('takes an imported daily mean where the station has no such day, and its own readings where it has', () => {
    const imported: StationPoint[] = [
      { t: calendar.startOf('2026-01-09') + 43_200_000, temp: 2.5, intervalS: 86_400 },
      { t: midnight + 43_200_000, temp: 99, intervalS: 86_400 },
    ];
    const days = stationDays([...imported, ...day(6.3)], calendar, 0.9);
    expect(days.get('2026-01-09')).toMatchObject({ mean_c: 2.5, origin: 'daily_mean' });
    expect(days.get('2026-01-10')).toMatchObject({ origin: 'readings' });
    expect(days.get('2026-01-10')?.mean_c).toBeCloseTo(6.3, 9);
  });
});
