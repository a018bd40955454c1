/**
 * What an experiment of the mobility domain reads: its KPIs (daily counts per class and the active
 * modes' share, per counter-day) and the counter-day tables from raw readings or from the rollups.
 */
import type { DeviceConfig } from '../../config/portfolio-schema.js';
import type { TravelClass } from '../../contract/index.js';
import type { DomainDays } from '../../experiments/experiment-data.js';
import type { KpiSpec } from '../../experiments/kpi-catalog.js';
import { contextDays, reportingStep } from '../../experiments/rollup/domain-adapters.js';
import type { DomainExperiments } from '../domain-module.js';
import { ACTIVE_CLASSES, mobilityDays, type CounterDay } from './mobility-kpis.js';

/**
 * Counts of riders follow multi-day weather spells: with weekly blocks the e-scooter interval was a
 * tenth too narrow (mean half-width 0.90 × 1.96 SD of the estimate over 20 seeds) and covered 21 of 24
 * planted effects; fortnightly blocks give 1.09 (bicycle 1.33, pedestrians 1.14).
 */
const MOBILITY_BLOCK_DAYS = 14;

/** Daily count of a class, both directions, scaled up by coverage (missing intervals are not zeros). */
const dailyCount = (cls: TravelClass) => (data: DomainDays) =>
  data.domain === 'mobility'
    ? data.days.flatMap((d) =>
        d.coverage > 0 && d.by_class[cls] !== undefined
          ? [{ ...d, num: (d.by_class[cls] ?? 0) / d.coverage, den: 1 }]
          : [],
      )
    : [];

const classes: TravelClass[] = ['pedestrian', 'bicycle', 'escooter', 'car', 'bus'];

const kpis: Record<string, KpiSpec> = {
  ...Object.fromEntries(
    classes.map((cls) => [
      `daily_${cls}`,
      {
        domain: 'mobility',
        unit: 'relative change',
        scale: 'relative',
        definition: `daily ${cls} count per counter, both directions; effect as a relative change`,
        primary: 'difference_in_differences',
        blockDays: MOBILITY_BLOCK_DAYS,
        rows: dailyCount(cls),
      } satisfies KpiSpec,
    ]),
  ),
  modal_split_active: {
    domain: 'mobility',
    unit: 'fraction',
    scale: 'level',
    definition: `share of ${ACTIVE_CLASSES.join(', ')} in all counted classes; effect in share points`,
    primary: 'difference_in_differences',
    blockDays: MOBILITY_BLOCK_DAYS,
    composition: { active: ACTIVE_CLASSES },
    rows: (data) =>
      data.domain === 'mobility'
        ? data.days.flatMap((d) =>
            d.coverage > 0
              ? [
                  {
                    ...d,
                    num: ACTIVE_CLASSES.reduce((s, c) => s + (d.by_class[c] ?? 0), 0),
                    den: Object.values(d.by_class).reduce((s, v) => s + (v ?? 0), 0),
                    // Per class, scaled up by coverage like the daily counts (missing intervals are not zeros).
                    parts: Object.fromEntries(
                      Object.entries(d.by_class).map(([c, v]) => [c, (v ?? 0) / d.coverage]),
                    ),
                  },
                ]
              : [],
          )
        : [],
  },
};

const counters = (devices: readonly DeviceConfig[]) =>
  devices.flatMap((d) => (d.domain === 'mobility' ? [d] : []));

export const mobilityExperiments: DomainExperiments = {
  kpis,
  days: async (store, devices, calendar, { from, to }) => ({
    domain: 'mobility',
    days: await mobilityDays(store, counters(devices), calendar, from, to),
  }),
  rollup: {
    domain: 'mobility',
    metrics: (d) => (d.domain === 'mobility' ? d.classes.flatMap((c) => [`${c}_in`, `${c}_out`]) : []),
    stepMs: reportingStep,
    contextDays,
    rows: async (store, device, calendar, from, to) =>
      device.domain === 'mobility' ? await mobilityDays(store, [device], calendar, from, to) : [],
    assemble: (_devices, rows) => ({ domain: 'mobility', days: rows as CounterDay[] }),
  },
};
