/**
 * Energy KPIs per building and date, from the stored register (read through
 * the store port), plus the period summaries: energy use intensity, cost and
 * CO2. Tariff and emission factor are configuration; the defaults below are
 * placeholders to be confirmed by the city (proposed portfolio keys:
 * `energy.tariff_gel_per_kwh`, `energy.co2_kg_per_kwh`).
 */
import type { EnergyDevice } from '../../config/portfolio-schema.js';
import type { TelemetryStore } from '../../store/port.js';
import { readDeviceSeries, points } from '../device-series.js';
import type { LocalCalendar } from '../../calendar/city-calendar.js';
import { dailyEnergy, dailyPeakKw, intervalConsumption, nightBaseLoadKw } from './register.js';

export interface EnergyTariff {
  tariff_gel_per_kwh: number;
  co2_kg_per_kwh: number;
}

export const DEFAULT_ENERGY_TARIFF: EnergyTariff = { tariff_gel_per_kwh: 0.3, co2_kg_per_kwh: 0.1 };

export interface BuildingDay {
  device: string;
  site: string;
  date: string;
  kwh: number;
  coverage: number;
  peak_kw: number | null;
  night_kw: number | null;
  night_coverage: number;
}

/** Daily energy KPIs of each meter over [from, to). Days without any reading are absent. */
export async function energyDays(
  store: TelemetryStore,
  meters: readonly EnergyDevice[],
  calendar: LocalCalendar,
  from: number,
  to: number,
): Promise<BuildingDay[]> {
  const out: BuildingDay[] = [];
  for (const meter of meters) {
    const step = meter.reporting_interval_s * 1000;
    const series = await readDeviceSeries(store, {
      devices: [meter.id],
      metric: 'energy_kwh',
      from,
      to,
      stepMs: step,
    });
    const register = points(series.get(meter.id) ?? { t: [], values: [] }).map((p) => ({ t: p.t, kwh: p.v }));
    // A gap of more than two hours is unknown consumption (see register.ts).
    const uses = intervalConsumption(register, { maxGapMs: Math.max(2 * 3_600_000, 2 * step) });
    const peaks = dailyPeakKw(uses, calendar);
    const nights = nightBaseLoadKw(uses, calendar);
    for (const [date, day] of dailyEnergy(uses, calendar)) {
      const night = nights.get(date);
      out.push({
        device: meter.id,
        site: meter.site,
        date,
        kwh: day.kwh,
        coverage: Math.min(1, day.coverage),
        peak_kw: peaks.get(date) ?? null,
        night_kw: night?.kw ?? null,
        night_coverage: night?.coverage ?? 0,
      });
    }
  }
  return out;
}

export interface EnergySummary {
  kwh: number;
  days: number;
  /** kWh per m² of floor area over the period, and scaled to a year. */
  eui_kwh_m2: number;
  eui_kwh_m2_year: number;
  cost_gel: number;
  co2_kg: number;
  peak_kw: number | null;
}

/** Period summary of one building from its complete days (coverage ≥ minCoverage). */
export function summariseBuilding(
  days: readonly BuildingDay[],
  meter: EnergyDevice,
  tariff: EnergyTariff = DEFAULT_ENERGY_TARIFF,
  minCoverage = 0.9,
): EnergySummary {
  const kept = days.filter((d) => d.device === meter.id && d.coverage >= minCoverage);
  const kwh = kept.reduce((s, d) => s + d.kwh, 0);
  const eui = kwh / meter.floor_area_m2;
  const peaks = kept.map((d) => d.peak_kw).filter((v): v is number => v !== null);
  return {
    kwh,
    days: kept.length,
    eui_kwh_m2: eui,
    eui_kwh_m2_year: kept.length > 0 ? (eui * 365) / kept.length : 0,
    cost_gel: kwh * tariff.tariff_gel_per_kwh,
    co2_kg: kwh * tariff.co2_kg_per_kwh,
    peak_kw: peaks.length > 0 ? Math.max(...peaks) : null,
  };
}
