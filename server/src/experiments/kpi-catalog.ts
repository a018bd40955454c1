/**
 * The KPIs an experiment can name, each defined as a ratio num/den per device
 * and date (see did.ts for why ratios), with its unit, scale and primary method.
 * Each domain defines its own (server/src/domains/<domain>/<domain>-experiments.ts).
 */
import { PILOT_DOMAINS } from '../config/portfolio-schema.js';
import { pilotModule } from '../domains/registry.js';
import type { DomainDays } from './experiment-data.js';
import type { Scale } from './did.js';

export interface UnitDay {
  device: string;
  site: string;
  date: string;
  coverage: number;
  num: number;
  den: number;
  parts?: Record<string, number>;
}

export type Method = 'difference_in_differences' | 'ipmvp_option_c';

export interface KpiSpec {
  domain: DomainDays['domain'];
  unit: string;
  scale: Scale;
  definition: string;
  primary: Method;
  /**
   * `realised`: the effect at these sites over this reporting period, with a
   * prediction interval for the counterfactual (did.ts realisedDifferenceInDifferences);
   * otherwise the expected effect at sites like them.
   */
  estimand?: 'realised';
  /**
   * Days per bootstrap block when the default (a week) is too short for this KPI's day-to-day
   * dependence: measured by scripts/coverage-check.ts, not guessed.
   */
  blockDays?: number;
  /** A share of a composition: DiD through per-class counterfactual counts (share-did.ts). */
  composition?: { active: readonly string[] };
  /** Per device-day values; absent for KPIs only Option C defines (avoided energy, savings fraction). */
  rows?: (data: DomainDays) => UnitDay[];
}

/** Every pilot domain's KPIs (each domain module's catalogue, server/src/domains/<domain>/). */
export const KPIS: Record<string, KpiSpec> = Object.assign(
  {},
  ...PILOT_DOMAINS.map((domain) => pilotModule(domain).experiments.kpis),
) as Record<string, KpiSpec>;
