import { describe, expect, it } from 'vitest';
import type { EnergyDevice } from '../../config/portfolio-schema.js';
import { summariseBuilding, type BuildingDay } from './energy-kpis.js';

const meter: EnergyDevice = {
  id: 'm',
  site: 's',
  pilot: 'p',
  domain: 'energy',
  reporting_interval_s: 900,
  building_type: 'school',
  floor_area_m2: 1000,
};
const day = (date: string, kwh: number, coverage = 1, peak: number | null = 10): BuildingDay => ({
  device: 'm',
  site: 's',
  date,
  kwh,
  coverage,
  peak_kw: peak,
  night_kw: 2,
  night_coverage: 1,
});

describe('energy summary', () => {
  it('computes EUI, cost, CO2 and peak from complete days only', () => {
    const s = summariseBuilding(
      [day('2026-01-01', 500), day('2026-01-02', 300, 1, 40), day('2026-01-03', 50, 0.2, 99)],
      meter,
      { tariff_gel_per_kwh: 0.3, co2_kg_per_kwh: 0.1 },
    );
    expect(s.kwh).toBe(800);
    expect(s.days).toBe(2);
    expect(s.eui_kwh_m2).toBeCloseTo(0.8, 12);
    expect(s.eui_kwh_m2_year).toBeCloseTo(0.8 * 182.5, 9);
    expect(s.cost_gel).toBeCloseTo(240, 9);
    expect(s.co2_kg).toBeCloseTo(80, 9);
    expect(s.peak_kw).toBe(40);
  });
});
