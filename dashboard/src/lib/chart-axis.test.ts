import { describe, expect, it } from 'vitest';
import { stepDecimals, timeTickLabels, valueTickLabels } from './chart-axis.js';

const en = (v: number, digits: number) =>
  new Intl.NumberFormat('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);

/** Ticks from min to max at step, as uPlot lays them (with its floating-point noise). */
const ticks = (min: number, max: number, step: number) => {
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step / 1e6; v += step) out.push(v);
  return out;
};

describe('value tick labels', () => {
  it('never repeat a label for a narrow range shown as %', () => {
    // A bin's fill between 35.5 % and 38.5 %: ticks every 0.5 % (0.005 as a fraction).
    for (const step of [0.005, 0.0025, 0.002, 0.001]) {
      const labels = valueTickLabels(ticks(0.355, 0.385, step), step, en, 100);
      expect(new Set(labels).size, labels.join(' ')).toBe(labels.length);
    }
    expect(valueTickLabels(ticks(0.355, 0.385, 0.005), 0.005, en, 100)).toEqual([
      '35.5',
      '36.0',
      '36.5',
      '37.0',
      '37.5',
      '38.0',
      '38.5',
    ]);
  });

  it('takes decimals from the step: none for whole steps, as many as a fractional step needs', () => {
    expect(stepDecimals(20)).toBe(0);
    expect(stepDecimals(0.5)).toBe(1);
    expect(stepDecimals(0.25)).toBe(2);
    expect(stepDecimals(0.005 * 100)).toBe(1);
    expect(valueTickLabels([0, 20, 40], 20, en)).toEqual(['0', '20', '40']);
    expect(valueTickLabels([3.58, 3.6, 3.62], 0.02, en)).toEqual(['3.58', '3.60', '3.62']);
  });

  it('adds decimals should a coarse step still give equal labels', () => {
    const labels = valueTickLabels([1.0001, 1.0002, 1.0003], 0, en);
    expect(new Set(labels).size).toBe(3);
  });

  it('never writes minus zero', () => {
    expect(valueTickLabels([-0.1, -1e-17, 0.1], 0.1, en)).toEqual(['-0.1', '0.0', '0.1']);
  });
});

describe('time tick labels', () => {
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  const f = {
    time: (ms: number) => new Date(ms).toISOString().slice(11, 16),
    day: (ms: number) => new Date(ms).toISOString().slice(5, 10),
    month: (ms: number) => new Date(ms).toISOString().slice(0, 7),
    dateKey: (ms: number) => new Date(ms).toISOString().slice(0, 10),
  };
  it('shows hours below a day, with the date under the first tick of each day: no day is named twice', () => {
    const t = [16, 20, 24, 28].map((h) => Date.UTC(2026, 10, 28) + h * HOUR);
    expect(timeTickLabels(t, 4 * HOUR, f)).toEqual(['16:00\n11-28', '20:00', '00:00\n11-29', '04:00']);
    const week = Array.from({ length: 21 }, (_, i) => Date.UTC(2026, 10, 28) + i * 8 * HOUR);
    const labels = timeTickLabels(week, 8 * HOUR, f);
    const days = labels.flatMap((l) => l.split('\n').slice(1));
    expect(days).toEqual(['11-28', '11-29', '11-30', '12-01', '12-02', '12-03', '12-04']);
    // Two ticks read the same only on different days, each under its own date.
    for (let i = 1; i < labels.length; i++) expect(labels[i]).not.toBe(labels[i - 1]);
  });
  it('shows days for daily steps and months for monthly ones', () => {
    expect(timeTickLabels([0, DAY], DAY, f)).toEqual(['01-01', '01-02']);
    expect(timeTickLabels([0, 31 * DAY], 30 * DAY, f)).toEqual(['1970-01', '1970-02']);
  });
});
