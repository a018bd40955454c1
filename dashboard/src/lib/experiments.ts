/** /api/experiments and /api/experiments/:id/effects, as the Experiments and Portfolio views read them. */
import type { Text } from './portfolio.svelte.js';

export interface ExperimentSummary {
  id: string;
  pilot: string;
  domain: string;
  question: Text;
  intervention: Text;
  intervention_sites: string[];
  control_sites: string[];
  baseline: { from: string; to: string };
  start: string;
  kpis: string[];
}

export interface EffectNote {
  code: string;
  params?: Record<string, number>;
}

export interface EffectRow {
  kpi: string;
  estimate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  unit: string;
  method: string;
  n: number;
  diagnostics: Record<string, unknown>;
  notes: EffectNote[];
}

export interface EffectsBody {
  experiment: string;
  baseline_dates: { from: string; to: string };
  reporting_dates: { from: string; to: string } | null;
  effects: EffectRow[];
  not_estimated: { kpi: string; reason: string }[];
  /** Energy experiments: the temperature behind the weather normalisation. */
  temperature?: {
    kind: 'station' | 'normals';
    name: string;
    coverage: { station: string; days: number; imported_days: number }[];
  };
  series: Record<string, { dates: string[]; intervention: (number | null)[]; control: (number | null)[] }>;
}

async function json<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export const fetchExperiments = () => json<ExperimentSummary[]>('/api/experiments');
export const fetchEffects = (id: string) =>
  json<EffectsBody>(`/api/experiments/${encodeURIComponent(id)}/effects`);

/** The primary estimate of each KPI, in the experiment's KPI order. */
export function primaryEffects(body: EffectsBody, kpis: readonly string[]): EffectRow[] {
  const primary = body.effects.filter((e) => e.diagnostics.primary === true);
  return kpis.flatMap((k) => primary.filter((e) => e.kpi === k));
}

/** Percent for shares and relative changes, whole kWh for energy, three decimals otherwise. */
export function effectValue(
  value: number | null,
  unit: string,
  number: (v: number | null, digits: number) => string,
): string {
  if (value === null) return '–';
  if (unit === 'relative change' || unit === 'fraction' || unit === 'fraction of bin-days')
    return `${number(value * 100, 1)} %`;
  if (unit === 'kWh') return `${number(value, 0)} kWh`;
  return number(value, 3);
}

/** Midnight of a local date in the city (Asia/Tbilisi is UTC+4 all year). */
export function cityDateMs(date: string): number {
  return Date.parse(`${date}T00:00:00+04:00`);
}
