import { describe, expect, it } from 'vitest';
import { answerNumbers, cityDateMs, effectValue } from './experiments.js';

const number = (v: number | null, digits: number) =>
  v === null
    ? '–'
    : new Intl.NumberFormat('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
const signed = (v: number, digits: number) => `${v < 0 ? '−' : '+'}${number(Math.abs(v), digits)}`;

describe('effects as words', () => {
  it('writes the one-line answer from the effect’s unit', () => {
    // The bike lane: a relative change, shown in whole percent from 10 % up.
    expect(
      answerNumbers({ estimate: 0.494, ci_low: 0.44, ci_high: 0.541, unit: 'relative change' }, signed),
    ).toEqual({
      estimate: '+49 %',
      low: '+44',
      high: '+54 %',
    });
    // A small share change keeps one decimal; kWh and counts are plain numbers.
    expect(
      answerNumbers({ estimate: -0.031, ci_low: -0.05, ci_high: -0.012, unit: 'fraction' }, signed)?.estimate,
    ).toBe('−3.1 %');
    expect(answerNumbers({ estimate: 41_234, ci_low: 35_900, ci_high: 46_800, unit: 'kWh' }, signed)).toEqual(
      {
        estimate: '+41,234 kWh',
        low: '+35,900',
        high: '+46,800 kWh',
      },
    );
    expect(
      answerNumbers({ estimate: -1.1, ci_low: -1.6, ci_high: -0.6, unit: 'collections/bin/week' }, signed)
        ?.estimate,
    ).toBe('−1.10');
    expect(
      answerNumbers({ estimate: null, ci_low: null, ci_high: null, unit: 'kWh' }, signed),
    ).toBeUndefined();
  });

  it('formats table values by unit', () => {
    expect(effectValue(0.123, 'relative change', number)).toBe('12.3 %');
    expect(effectValue(0.2, 'fraction of bin-days', number)).toBe('20.0 %');
    expect(effectValue(1234.4, 'kWh', number)).toBe('1,234 kWh');
    expect(effectValue(null, 'kWh', number)).toBe('–');
  });

  it('puts a local date at the city’s midnight, whatever the zone', () => {
    expect(cityDateMs('2026-09-01', 'Asia/Tbilisi')).toBe(Date.parse('2026-09-01T00:00:00+04:00'));
    expect(cityDateMs('2026-09-01', 'Europe/Berlin')).toBe(Date.parse('2026-09-01T00:00:00+02:00'));
    expect(cityDateMs('2026-01-15', 'America/New_York')).toBe(Date.parse('2026-01-15T00:00:00-05:00'));
  });
});
