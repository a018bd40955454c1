/** Turns the recorder into the `--truth` JSON: planted effects per experiment and KPI, faults, counts, weather. */
import { writeFileSync } from 'node:fs';
import type { Registry } from '../../server/src/config/registry.js';
import type { Experiment } from '../../server/src/config/portfolio-schema.js';
import { dayWeather } from './climate.js';
import type { FaultRates } from './faults.js';
import {
  EMPTY_SCENARIO,
  energySettings,
  mobilitySettings,
  simulationOf,
  wasteSettings,
  type Scenario,
} from './scenario.js';
import type { Side, Truth } from './truth.js';

export interface TruthMeta {
  seed: number;
  mode: string;
  from: number;
  to: number;
  fleet: Record<string, number>;
  faults: FaultRates;
}

interface KpiSpec {
  unit: string;
  definition: string;
  planted: number | null;
  /** Realised value on one side, or null when the run has no post-start data for it. */
  value: (side: Side) => number | null;
  /** `difference` = actual − counterfactual; `avoided` = counterfactual − actual. */
  effect?: 'difference' | 'avoided';
}

const POST = 'at intervention sites after the start date';

function kpiSpecs(
  experiment: Experiment,
  domain: string,
  sim: Record<string, unknown>,
  truth: Truth,
): Record<string, KpiSpec> {
  const id = experiment.id;
  const where = `${id}.simulation`;
  const mean = (name: string) => (side: Side) => {
    const r = truth.ratio(id, name, side);
    return r.den > 0 ? r.num / r.den : null;
  };
  if (domain === 'waste') {
    const s = wasteSettings(sim, where);
    const cf = `counterfactual = the same bins with the same waste on the fixed round (weekdays ${s.control_schedule.join(', ')} at ${s.schedule_hour} h)`;
    return {
      wasted_trip_share: {
        unit: 'fraction',
        definition: `share of collections ${POST} with fill below ${s.wasted_trip_fill}; ${cf}`,
        planted: null,
        value: mean('wasted_trip_share'),
      },
      overflow_bin_days: {
        unit: 'fraction of bin-days',
        definition: `share of bin-days ${POST} on which the bin reached 100 % fill; ${cf}`,
        planted: null,
        value: mean('overflow_bin_days'),
      },
      collections_per_bin_week: {
        unit: 'collections/bin/week',
        definition: `collections per bin per week ${POST}; ${cf}`,
        planted: null,
        value: mean('collections_per_bin_week'),
      },
      fill_at_collection: {
        unit: 'fraction',
        definition: `mean true fill when a bin is emptied ${POST}; ${cf}`,
        planted: null,
        value: mean('fill_at_collection'),
      },
    };
  }
  if (domain === 'mobility') {
    const s = mobilitySettings(sim, where);
    const daily = (cls: string, planted: number): KpiSpec => ({
      unit: 'count/device/day',
      definition: `expected (noise-free) daily ${cls} count, both directions, per counter ${POST}; counterfactual = no intervention`,
      planted,
      value: mean(`daily_${cls}`),
    });
    return {
      daily_bicycle: daily('bicycle', s.bicycle_uplift),
      daily_escooter: daily('escooter', s.escooter_uplift),
      daily_pedestrian: daily('pedestrian', s.pedestrian_uplift),
      modal_split_active: {
        unit: 'fraction',
        definition: `share of pedestrians, cyclists and e-scooters in all expected counts ${POST}`,
        planted: null,
        value: mean('modal_split_active'),
      },
    };
  }
  const s = energySettings(sim, where);
  const total = (side: Side) => {
    const r = truth.ratio(id, 'daily_kwh', side);
    return r.den > 0 ? r.num : null;
  };
  return {
    daily_kwh: {
      unit: 'kWh/building/day',
      definition: `mean daily consumption per building ${POST}; counterfactual = the same building, same weather, not retrofitted`,
      planted: -s.savings_fraction,
      value: mean('daily_kwh'),
    },
    avoided_kwh: {
      unit: 'kWh',
      definition: `counterfactual − actual consumption summed over intervention buildings after the start`,
      planted: null,
      value: total,
      effect: 'avoided',
    },
    savings_fraction: {
      unit: 'fraction',
      definition:
        '1 − actual / counterfactual consumption of intervention buildings after the start (actual side reports actual/counterfactual)',
      planted: s.savings_fraction,
      value: (side) => {
        const a = total('actual');
        const c = total('counterfactual');
        if (a === null || c === null || c === 0) return null;
        return side === 'actual' ? a / c : 1;
      },
      effect: 'avoided',
    },
    night_base_load_kw: {
      unit: 'kW',
      definition: `mean power 00–05 h local per building ${POST}`,
      planted: -s.savings_fraction,
      value: mean('night_base_load_kw'),
    },
  };
}

function resolvedSettings(domain: string, sim: Record<string, unknown>, where: string): object {
  if (domain === 'waste') return wasteSettings(sim, where);
  if (domain === 'mobility') return mobilitySettings(sim, where);
  return energySettings(sim, where);
}

const r6 = (v: number | null) => (v === null ? null : Math.round(v * 1e6) / 1e6);

export function truthReport(
  truth: Truth,
  registry: Registry,
  scenario: Scenario = EMPTY_SCENARIO,
  meta: TruthMeta,
): object {
  const experiments = registry.portfolio.pilots.flatMap((pilot) =>
    pilot.experiments.map((experiment, index) => {
      const sim = simulationOf(experiment, scenario);
      const specs = kpiSpecs(experiment, pilot.domain, sim, truth);
      return {
        id: experiment.id,
        pilot: pilot.id,
        domain: pilot.domain,
        simulated: index === 0,
        start: experiment.start,
        intervention_sites: experiment.intervention_sites,
        control_sites: experiment.control_sites,
        settings: resolvedSettings(pilot.domain, sim, `${experiment.id}.simulation`),
        kpis: experiment.kpis.map((kpi) => {
          const spec = specs[kpi];
          if (!spec || index !== 0)
            return { kpi, definition: 'not modelled by the simulators', planted_relative_effect: null };
          const actual = spec.value('actual');
          const counterfactual = spec.value('counterfactual');
          const diff = actual !== null && counterfactual !== null ? actual - counterfactual : null;
          const effect = spec.effect === 'avoided' && diff !== null ? -diff : diff;
          return {
            kpi,
            unit: spec.unit,
            definition: spec.definition,
            planted_relative_effect: spec.planted,
            actual: r6(actual),
            counterfactual: r6(counterfactual),
            effect: r6(effect),
            relative_effect: r6(diff !== null && counterfactual ? diff / counterfactual : null),
          };
        }),
      };
    }),
  );
  const days = [...truth.days].sort((a, b) => a - b);
  return {
    generator: 'kutaisi-simulators',
    seed: meta.seed,
    mode: meta.mode,
    from: new Date(meta.from).toISOString(),
    to: new Date(meta.to).toISOString(),
    fleet: meta.fleet,
    scenario: scenario.source ?? null,
    experiments,
    faults: {
      rates: meta.faults,
      counts: truth.faultCounts,
      log: truth.faultLog,
      log_truncated: truth.faultLogTruncated,
    },
    published: truth.published,
    weather: days.map((day) => {
      const w = dayWeather(meta.seed, day);
      return { date: w.date, mean_temp_c: w.meanC, hdd: Math.round(w.hdd * 100) / 100, rain: w.rain };
    }),
  };
}

export function writeTruth(path: string, report: object): void {
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
