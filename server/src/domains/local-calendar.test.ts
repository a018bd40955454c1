import { describe, expect, it } from 'vitest';
import { LocalCalendar, addDays, datesBetween } from './local-calendar.js';

describe('LocalCalendar', () => {
  const tbilisi = new LocalCalendar('Asia/Tbilisi');

  it('maps instants to Kutaisi dates and hours (UTC+4, no DST)', () => {
    expect(tbilisi.dateOf(Date.parse('2026-09-01T19:59:00Z'))).toBe('2026-09-01');
    expect(tbilisi.dateOf(Date.parse('2026-09-01T20:00:00Z'))).toBe('2026-09-02');
    expect(tbilisi.hourOf(Date.parse('2026-01-15T01:30:00Z'))).toBeCloseTo(5.5, 12);
    expect(tbilisi.startOf('2026-09-02')).toBe(Date.parse('2026-09-01T20:00:00Z'));
  });

  it('follows DST where the zone has it', () => {
    const berlin = new LocalCalendar('Europe/Berlin');
    expect(berlin.startOf('2026-07-01')).toBe(Date.parse('2026-06-30T22:00:00Z'));
    expect(berlin.startOf('2026-01-01')).toBe(Date.parse('2025-12-31T23:00:00Z'));
  });

  it('lists and shifts dates', () => {
    expect(datesBetween('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
