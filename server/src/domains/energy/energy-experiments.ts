/**
 * What an experiment of the energy domain reads and estimates: its KPIs (daily kWh and night base
 * load per building-day; avoided kWh and the savings fraction, which only Option C defines), the
 * building-day tables from raw readings or from the rollups, the sites' outdoor temperatures, and
 * the weather-normalised estimates (energy-effects.ts) as its primary method.
 */
import type { Registry } from '../../config/registry.js';
import type { DeviceConfig } from '../../config/portfolio-schema.js';
import type { ExperimentRef } from '../../experiments/experiment-data.js';
import type { KpiSpec } from '../../experiments/kpi-catalog.js';
import { contextDays, reportingStep } from '../../experiments/rollup/domain-adapters.js';
import { weatherModule } from '../weather/index.js';
import type { DomainExperiments } from '../domain-module.js';
import {
  energyEffect,
  energyEstimates,
  energyModelRows,
  type EnergyEstimates,
  type EnergyOutcome,
} from './energy-effects.js';
import { energyDays, type BuildingDay } from './energy-kpis.js';

const kpis: Record<string, KpiSpec> = {
  daily_kwh: {
    domain: 'energy',
    unit: 'relative change',
    scale: 'relative',
    definition: 'daily kWh per building from the import register; effect as a relative change',
    primary: 'ipmvp_option_c',
    rows: (data) => (data.domain === 'energy' ? data.days.map((d) => ({ ...d, num: d.kwh, den: 1 })) : []),
  },
  night_base_load_kw: {
    domain: 'energy',
    unit: 'relative change',
    scale: 'relative',
    definition: 'mean kW 00–05 h local from the register; effect as a relative change',
    primary: 'ipmvp_option_c',
    rows: (data) =>
      data.domain === 'energy'
        ? data.days.flatMap((d) =>
            d.night_kw === null ? [] : [{ ...d, coverage: d.night_coverage, num: d.night_kw, den: 1 }],
          )
        : [],
  },
  avoided_kwh: {
    domain: 'energy',
    unit: 'kWh',
    scale: 'level',
    definition:
      'adjusted baseline − measured kWh over the reporting period, summed over intervention buildings',
    primary: 'ipmvp_option_c',
  },
  savings_fraction: {
    domain: 'energy',
    unit: 'fraction',
    scale: 'level',
    definition: 'avoided kWh / adjusted baseline kWh over the reporting period',
    primary: 'ipmvp_option_c',
  },
};

const meters = (devices: readonly DeviceConfig[]) =>
  devices.flatMap((d) => (d.domain === 'energy' ? [d] : []));

const sitesOf = (ref: ExperimentRef) => [
  ...ref.experiment.intervention_sites,
  ...ref.experiment.control_sites,
];

export const energyExperiments: DomainExperiments = {
  kpis,
  days: async (store, devices, calendar, { from, to }) => ({
    domain: 'energy',
    days: await energyDays(store, meters(devices), calendar, from, to),
  }),
  rollup: {
    domain: 'energy',
    metrics: () => ['energy_kwh'],
    stepMs: reportingStep,
    contextDays,
    rows: async (store, device, calendar, from, to) =>
      device.domain === 'energy' ? await energyDays(store, [device], calendar, from, to) : [],
    assemble: (_devices, rows) => ({ domain: 'energy', days: rows as BuildingDay[] }),
  },
  /** The analysis normalises with the temperature of its sites' stations: their readings change it too. */
  inputsFrom: (registry: Registry, ref) => weatherModule.dailyInputs.devicesFor(registry, sitesOf(ref)),
  analysis: async (input, ref, window, data) => {
    const weather = await weatherModule.dailyInputs.load(
      input.store,
      input.registry,
      input.calendar,
      ref.experiment.intervention_sites.concat(ref.experiment.control_sites),
      window,
      input.settings.min_coverage,
    );
    const cache = new Map<EnergyOutcome, EnergyEstimates>();
    return {
      temperature: { kind: weather.kind, name: weather.name, coverage: weather.coverage },
      own: (kpi, spec) => {
        if (spec.primary !== 'ipmvp_option_c' || data.domain !== 'energy') return undefined;
        const y: EnergyOutcome = kpi === 'night_base_load_kw' ? 'night' : 'kwh';
        let estimates = cache.get(y);
        if (!estimates) {
          const rows = energyModelRows(
            data,
            ref,
            window,
            input.registry,
            weather,
            input.settings.min_coverage,
            y,
          );
          cache.set(y, (estimates = energyEstimates(rows, weather, input.settings)));
        }
        const made = (['ipmvp_option_c', 'comparison_group'] as const).flatMap(
          (method) => energyEffect(kpi, spec, method, estimates, input, weather) ?? [],
        );
        return {
          effects: made,
          reason: 'the weather-normalised models need baseline and reporting days with temperature data',
        };
      },
    };
  },
};
