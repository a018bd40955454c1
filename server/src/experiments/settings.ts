/**
 * Analysis settings with their defaults. Proposed portfolio keys (per
 * experiment, `analysis:`): min_coverage, bootstrap {replicates, block_days,
 * seed}, waste {collection_drop, wasted_trip_fill, overflow_fill}, energy
 * {tariff_gel_per_kwh, co2_kg_per_kwh}. Until the schema has them, routes
 * take overrides as plugin options.
 */
import { DEFAULT_WASTE_OPTIONS, type WasteOptions } from '../domains/waste/collections.js';
import { DEFAULT_ENERGY_TARIFF, type EnergyTariff } from '../domains/energy/energy-kpis.js';
import type { BootstrapOptions } from './stats/block-bootstrap.js';

export interface Gl14Limits {
  /** Daily models are held to the guideline's hourly limits (it sets only monthly and hourly ones). */
  cv_rmse_max: number;
  nmbe_abs_max: number;
  r2_min: number;
}

export interface AnalysisSettings {
  /** Site-days (or bin-days, building-days) covered below this are excluded and reported. */
  min_coverage: number;
  bootstrap: BootstrapOptions;
  waste: WasteOptions;
  energy: EnergyTariff;
  gl14: Gl14Limits;
}

export const DEFAULT_SETTINGS: AnalysisSettings = {
  min_coverage: 0.9,
  bootstrap: { replicates: 999, blockDays: 7, seed: 20_260_901 },
  waste: DEFAULT_WASTE_OPTIONS,
  energy: DEFAULT_ENERGY_TARIFF,
  gl14: { cv_rmse_max: 0.3, nmbe_abs_max: 0.1, r2_min: 0.75 },
};

export function withDefaults(overrides: Partial<AnalysisSettings> = {}): AnalysisSettings {
  return {
    ...DEFAULT_SETTINGS,
    ...overrides,
    bootstrap: { ...DEFAULT_SETTINGS.bootstrap, ...overrides.bootstrap },
    waste: { ...DEFAULT_SETTINGS.waste, ...overrides.waste },
    energy: { ...DEFAULT_SETTINGS.energy, ...overrides.energy },
    gl14: { ...DEFAULT_SETTINGS.gl14, ...overrides.gl14 },
  };
}
