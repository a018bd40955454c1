import { describe, expect, it } from 'vitest';
import { axisPercent, forestGroups, niceStep, type ForestRow } from './forest.js';

const row = (kpi: string, unit: string, estimate: number, low: number, high: number): ForestRow => ({
  kpi,
  label: kpi,
  unit,
  estimate,
  low,
  high,
  text: '',
});

describe('forest plot groups', () => {
  // The school retrofit's primary effects: relative changes, kWh and a share, interleaved.
  const rows = [
    row('daily_kwh', 'relative change', -0.23, -0.27, -0.19),
    row('avoided_kwh', 'kWh', 41_200, 35_900, 46_800),
    row('savings_fraction', 'fraction', 0.24, 0.2, 0.28),
    row('night_base_load_kw', 'relative change', -0.12, -0.2, -0.04),
    row('collections_per_bin_week', 'collections/bin/week', -1.1, -1.6, -0.6),
  ];

  it('never puts two units on one axis', () => {
    const groups = forestGroups(rows);
    expect(groups.map((g) => g.unit)).toEqual(['relative change', 'kWh', 'fraction', 'collections/bin/week']);
    for (const group of groups) expect(new Set(group.rows.map((r) => r.unit))).toEqual(new Set([group.unit]));
    // Every effect is drawn, each exactly once.
    expect(groups.flatMap((g) => g.rows.map((r) => r.kpi)).sort()).toEqual(rows.map((r) => r.kpi).sort());
  });

  it('gives each axis a scale holding zero and every interval of its group', () => {
    for (const group of forestGroups(rows)) {
      expect(group.min).toBeLessThanOrEqual(0);
      expect(group.max).toBeGreaterThanOrEqual(0);
      for (const r of group.rows) {
        expect(axisPercent(group, r.low)).toBeGreaterThanOrEqual(0);
        expect(axisPercent(group, r.high)).toBeLessThanOrEqual(100);
      }
      expect(group.ticks[0]).toBeCloseTo(group.min);
      expect(group.ticks[group.ticks.length - 1]).toBeCloseTo(group.max);
    }
    const kwh = forestGroups(rows).find((g) => g.unit === 'kWh');
    expect(kwh).toMatchObject({ min: 0, max: 60_000, step: 20_000, scale: 1 });
    expect(forestGroups(rows).find((g) => g.unit === 'relative change')?.scale).toBe(100);
  });

  it('steps 1–2–5', () => {
    expect(niceStep(0.27)).toBeCloseTo(0.1);
    expect(niceStep(46_800)).toBe(20_000);
    expect(niceStep(0)).toBe(1);
  });
});
