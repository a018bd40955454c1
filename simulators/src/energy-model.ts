/**
 * Building electricity meter (schools, kindergartens, city hall): a base load,
 * an occupancy load on days the building is in use, and heating that follows
 * heating degree days (base 18 °C). Retrofitted buildings use the planted
 * fraction less after the start; the counterfactual is the same building unretrofitted.
 */
import type { EnergyDevice } from '../../server/src/config/portfolio-schema.js';
import { isOccupied, type BuildingType } from './calendar.js';
import { dayWeather } from './climate.js';
import { DAY_MS, HOUR_MS, localDay, localHour } from './clock.js';
import { round, treated, type DeviceModel, type ModelContext, type StepResult } from './model.js';
import { Rng } from './prng.js';
import { energySettings } from './scenario.js';

interface Profile {
  /** Always-on load, W per m². */
  baseWm2: number;
  /** Lighting, IT and kitchens while the building is open, W per m². */
  useWm2: number;
  /** Electric heating (heat pumps and heaters), kWh per m² per degree day. */
  heatKwhPerHddM2: number;
  open: [number, number];
}

/** Heat pumps keep low-temperature buildings near set-point over weekends: no setback. */
const UNOCCUPIED_HEAT = 1;
/** Share of the occupancy load (pupils, lights, IT) that ends up as heat the heating need not supply. */
const INTERNAL_GAINS = 0.4;

const PROFILES: Record<BuildingType, Profile> = {
  school: { baseWm2: 0.6, useWm2: 4, heatKwhPerHddM2: 0.016, open: [8, 15] },
  kindergarten: { baseWm2: 0.8, useWm2: 5, heatKwhPerHddM2: 0.018, open: [7, 19] },
  office: { baseWm2: 1.2, useWm2: 6, heatKwhPerHddM2: 0.012, open: [9, 18] },
  other: { baseWm2: 0.8, useWm2: 4, heatKwhPerHddM2: 0.012, open: [9, 18] },
};

/** Heating runs hardest while the building warms up before opening, lowest at night. */
function heatWeight(hour: number, occupied: boolean, open: [number, number]): number {
  if (!occupied) return 1;
  if (hour >= open[0] - 2 && hour < open[0]) return 1.8;
  if (hour >= open[0] && hour < open[1]) return 1.2;
  return 0.6;
}

const weightMeans = new Map<string, number>();
function normalisedHeatWeight(hour: number, occupied: boolean, open: [number, number]): number {
  const key = `${occupied}:${open.join('-')}`;
  let mean = weightMeans.get(key);
  if (mean === undefined) {
    mean = 0;
    for (let i = 0; i < 96; i++) mean += heatWeight((i + 0.5) / 4, occupied, open) / 96;
    weightMeans.set(key, mean);
  }
  return heatWeight(hour, occupied, open) / mean;
}

export class EnergyModel implements DeviceModel {
  private readonly rng: Rng;
  private readonly profile: Profile;
  private readonly scale: number;
  private readonly savings: number;
  private register: number;

  constructor(
    private readonly ctx: ModelContext,
    private readonly device: EnergyDevice,
  ) {
    this.rng = new Rng(ctx.seed, 'energy', device.id);
    this.profile = PROFILES[device.building_type];
    this.scale = this.rng.range(0.9, 1.1);
    this.savings = energySettings(
      ctx.simulation,
      `${ctx.experiment?.id ?? device.pilot}.simulation`,
    ).savings_fraction;
    this.register = Math.round(this.rng.range(5_000, 90_000));
  }

  /** Counterfactual (unretrofitted) power at an instant, kW. */
  power(ms: number): number {
    const day = localDay(ms);
    const hour = localHour(ms);
    const weather = dayWeather(this.ctx.seed, day);
    const occupied = isOccupied(this.device.building_type, day);
    const area = this.device.floor_area_m2;
    const { open } = this.profile;
    let use = 0.05;
    if (occupied && hour >= open[0] && hour < open[1]) use = 1;
    else if (occupied && hour >= open[0] - 1 && hour < open[1] + 1) use = 0.3;
    const heatPerDay = this.profile.heatKwhPerHddM2 * area * weather.hdd * (occupied ? 1 : UNOCCUPIED_HEAT);
    const useKw = (this.profile.useWm2 * use * area) / 1000;
    const demand = (heatPerDay / 24) * normalisedHeatWeight(hour, occupied, open);
    const heat = demand > 0 ? Math.max(0, demand - INTERNAL_GAINS * useKw) : 0;
    const cool = occupied && hour >= 10 && hour < 17 ? 0.0004 * area * Math.max(0, weather.meanC - 22) : 0;
    return ((this.profile.baseWm2 * area) / 1000 + useKw + heat) * this.scale + cool;
  }

  resetRegister(): void {
    this.register = 0;
  }

  resume(latest: Readonly<Record<string, number>>): void {
    if (latest.energy_kwh !== undefined) this.register = latest.energy_kwh;
  }

  step(ms: number): StepResult {
    const intervalMs = this.device.reporting_interval_s * 1000;
    const mid = ms - intervalMs / 2;
    const factor = treated(this.ctx, mid) ? 1 - this.savings : 1;
    const counterfactualKwh =
      this.power(mid) * Math.max(0, 1 + this.rng.normal(0, 0.04)) * (intervalMs / HOUR_MS);
    const kwh = counterfactualKwh * factor;
    this.register += kwh;
    const powerKw = this.power(ms) * factor * Math.max(0, 1 + this.rng.normal(0, 0.03));
    if (this.ctx.truth && treated(this.ctx, mid)) {
      const id = this.ctx.experiment?.id ?? '';
      const days = intervalMs / DAY_MS;
      this.ctx.truth.add(id, 'daily_kwh', 'actual', kwh, days);
      this.ctx.truth.add(id, 'daily_kwh', 'counterfactual', counterfactualKwh, days);
      if (localHour(mid) < 5) {
        this.ctx.truth.add(id, 'night_base_load_kw', 'actual', kwh / (intervalMs / HOUR_MS), 1);
        this.ctx.truth.add(
          id,
          'night_base_load_kw',
          'counterfactual',
          counterfactualKwh / (intervalMs / HOUR_MS),
          1,
        );
      }
    }
    // Rounding the running register (not the increments) keeps the published value monotonic.
    return { fields: { energy_kwh: round(this.register, 2), power_kw: round(powerKw, 2) }, events: [] };
  }
}
