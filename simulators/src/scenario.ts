/**
 * Planted truth: each experiment's `simulation` record in the portfolio, overlaid
 * by an optional scenario file, so a different truth can be planted without code.
 * Missing keys fall back to the defaults below; a planted effect of zero is valid.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Experiment } from '../../server/src/config/portfolio-schema.js';

export interface Scenario {
  /** Per experiment id, keys that replace the portfolio's `simulation` settings. */
  experiments: Record<string, Record<string, unknown>>;
  /** Optional fault rates, as in `--faults` (the CLI flag wins). */
  faults?: string;
  source?: string;
}

export const EMPTY_SCENARIO: Scenario = { experiments: {} };

export class ScenarioError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a YAML or JSON scenario file (YAML is a superset of JSON, so one parser serves both). */
export function loadScenario(path: string): Scenario {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new ScenarioError(`scenario ${path}: ${message}`);
  }
  if (!isRecord(data)) throw new ScenarioError(`scenario ${path}: expected a mapping at the top level`);
  const experiments = data.experiments ?? {};
  if (!isRecord(experiments))
    throw new ScenarioError(`scenario ${path}: "experiments" must map experiment ids to settings`);
  for (const [id, settings] of Object.entries(experiments)) {
    if (!isRecord(settings)) throw new ScenarioError(`scenario ${path}: experiments.${id} must be a mapping`);
  }
  let faults: string | undefined;
  if (isRecord(data.faults))
    faults = Object.entries(data.faults)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(',');
  else if (typeof data.faults === 'string') faults = data.faults;
  else if (data.faults !== undefined)
    throw new ScenarioError(`scenario ${path}: "faults" must be a mapping or a string`);
  return { experiments: experiments as Record<string, Record<string, unknown>>, faults, source: path };
}

export function simulationOf(experiment: Experiment, scenario: Scenario): Record<string, unknown> {
  return { ...(experiment.simulation ?? {}), ...(scenario.experiments[experiment.id] ?? {}) };
}

function num(
  record: Record<string, unknown>,
  key: string,
  fallback: number,
  min: number,
  max: number,
  where: string,
) {
  const value = record[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ScenarioError(
      `${where}.${key}: expected a number in [${min}, ${max}], got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function hours(
  record: Record<string, unknown>,
  key: string,
  fallback: number[],
  min: number,
  max: number,
  where: string,
) {
  const value = record[key] ?? fallback;
  if (
    !Array.isArray(value) ||
    value.some((v) => !Number.isInteger(v) || (v as number) < min || (v as number) > max)
  ) {
    throw new ScenarioError(`${where}.${key}: expected a list of integers in [${min}, ${max}]`);
  }
  return value as number[];
}

export interface WasteSettings {
  /** `threshold` = smart collection at intervention sites after the start; `schedule` plants no effect. */
  intervention_policy: 'threshold' | 'schedule';
  collection_threshold: number;
  /** Weekdays of the fixed round, 0 = Sunday … 6 = Saturday (1, 4 = Monday and Thursday). */
  control_schedule: number[];
  /** Local hour of the fixed round. */
  schedule_hour: number;
  /** Local hours at which the smart round checks the bins. */
  smart_round_hours: number[];
  /** A collection below this fill counts as a wasted trip (KPI definition). */
  wasted_trip_fill: number;
}

export function wasteSettings(record: Record<string, unknown>, where: string): WasteSettings {
  const policy = record.intervention_policy ?? 'threshold';
  if (policy !== 'threshold' && policy !== 'schedule') {
    throw new ScenarioError(`${where}.intervention_policy: expected "threshold" or "schedule"`);
  }
  return {
    intervention_policy: policy,
    collection_threshold: num(record, 'collection_threshold', 0.8, 0.05, 1, where),
    control_schedule: hours(record, 'control_schedule', [1, 4], 0, 6, where),
    schedule_hour: num(record, 'schedule_hour', 7, 0, 23, where),
    smart_round_hours: hours(record, 'smart_round_hours', [7, 14], 0, 23, where),
    wasted_trip_fill: num(record, 'wasted_trip_fill', 0.5, 0, 1, where),
  };
}

export interface MobilitySettings {
  bicycle_uplift: number;
  escooter_uplift: number;
  pedestrian_uplift: number;
  car_uplift: number;
}

export function mobilitySettings(record: Record<string, unknown>, where: string): MobilitySettings {
  return {
    bicycle_uplift: num(record, 'bicycle_uplift', 0, -1, 10, where),
    escooter_uplift: num(record, 'escooter_uplift', 0, -1, 10, where),
    pedestrian_uplift: num(record, 'pedestrian_uplift', 0, -1, 10, where),
    car_uplift: num(record, 'car_uplift', 0, -1, 10, where),
  };
}

export interface EnergySettings {
  /** Fraction of the counterfactual consumption a retrofitted building avoids after the start. */
  savings_fraction: number;
}

export function energySettings(record: Record<string, unknown>, where: string): EnergySettings {
  return { savings_fraction: num(record, 'savings_fraction', 0, 0, 0.95, where) };
}
