import { describe, expect, it } from 'vitest';
import {
  LocalCalendar,
  addDays,
  dateOfDay,
  datesBetween,
  dayOfDate,
  localDayStart,
  localHour,
  localHourStart,
  nextDate,
  partsOfDay,
  weekdayOfDay,
} from './city-calendar.js';

describe('the city calendar', () => {
  const tbilisi = new LocalCalendar('Asia/Tbilisi');

  it('maps instants to Kutaisi dates and hours (UTC+4, no DST)', () => {
    expect(tbilisi.dateOf(Date.parse('2026-09-01T19:59:00Z'))).toBe('2026-09-01');
    expect(tbilisi.dateOf(Date.parse('2026-09-01T20:00:00Z'))).toBe('2026-09-02');
    expect(tbilisi.hourOf(Date.parse('2026-01-15T01:30:00Z'))).toBeCloseTo(5.5, 12);
    expect(tbilisi.startOf('2026-09-02')).toBe(Date.parse('2026-09-01T20:00:00Z'));
    const at = Date.parse('2026-09-02T03:17:00+04:00');
    expect(localDayStart(at, 'Asia/Tbilisi')).toBe(Date.parse('2026-09-02T00:00:00+04:00'));
    expect(localHourStart(at, 'Asia/Tbilisi')).toBe(Date.parse('2026-09-02T03:00:00+04:00'));
    expect(localHour(at, 'Asia/Tbilisi')).toBe(3);
    expect(tbilisi.dayNumber(at)).toBe(dayOfDate('2026-09-02'));
    expect(tbilisi.startOfDay(tbilisi.dayNumber(at))).toBe(tbilisi.startOf('2026-09-02'));
  });

  it('follows DST where the zone has it, and half-hour offsets', () => {
    const berlin = new LocalCalendar('Europe/Berlin');
    expect(berlin.startOf('2026-07-01')).toBe(Date.parse('2026-06-30T22:00:00Z'));
    expect(berlin.startOf('2026-01-01')).toBe(Date.parse('2025-12-31T23:00:00Z'));
    // The day the clocks go forward has 23 hours; its midnight is still at +01:00.
    expect(berlin.dayStart(Date.parse('2026-03-29T12:00:00+02:00'))).toBe(
      Date.parse('2026-03-29T00:00:00+01:00'),
    );
    const kolkata = new LocalCalendar('Asia/Kolkata');
    expect(kolkata.hourStart(Date.parse('2026-05-01T10:45:00+05:30'))).toBe(
      Date.parse('2026-05-01T10:00:00+05:30'),
    );
  });

  it('lists and shifts dates and day numbers without a zone', () => {
    expect(datesBetween('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(datesBetween('2026-03-02', '2026-02-27')).toEqual([]);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(nextDate('2028-02-28')).toBe('2028-02-29');
    expect(dateOfDay(dayOfDate('2026-09-01'))).toBe('2026-09-01');
    // 2026-09-01 is a Tuesday.
    expect(weekdayOfDay(dayOfDate('2026-09-01'))).toBe(2);
    expect(partsOfDay(dayOfDate('2027-01-07'))).toEqual({ year: 2027, month: 1, dom: 7 });
  });
});
