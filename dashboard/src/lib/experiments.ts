/** The effects of /api/experiments/:id/effects in words and numbers, as the Experiments and Portfolio views show them. */
import type { MessageKey } from '../i18n/en.js';
import type { Effect, EffectsResponse } from './api-types.js';
import { localDateMs } from './city-time.js';

/** The primary estimate of each KPI, in the experiment's KPI order. */
export function primaryEffects(body: EffectsResponse, kpis: readonly string[]): Effect[] {
  const primary = body.effects.filter((e) => e.diagnostics.primary === true);
  return kpis.flatMap((k) => primary.filter((e) => e.kpi === k));
}

/** Effects in these units are shares or relative changes: shown ×100 as %. */
export const PERCENT_UNITS = new Set(['relative change', 'fraction', 'fraction of bin-days']);

/** How an effect's unit is written: its scale, the text after the number, and decimals. */
export function unitStyle(unit: string): { scale: number; suffix: string; digits: number } {
  if (PERCENT_UNITS.has(unit)) return { scale: 100, suffix: ' %', digits: 1 };
  if (unit === 'kWh') return { scale: 1, suffix: ' kWh', digits: 0 };
  return { scale: 1, suffix: '', digits: 2 };
}

/** Percent for shares and relative changes, whole kWh for energy, two decimals for counts. */
export function effectValue(
  value: number | null,
  unit: string,
  number: (v: number | null, digits: number) => string,
): string {
  if (value === null) return '–';
  const style = unitStyle(unit);
  return `${number(value * style.scale, style.digits)}${style.suffix}`;
}

/**
 * The numbers of a one-line answer: the estimate and the interval's ends with a sign, the unit
 * written once after the upper end ("+49 %", "+44", "+54 %"). Whole percent from 10 % up.
 */
export function answerNumbers(
  effect: Pick<Effect, 'estimate' | 'ci_low' | 'ci_high' | 'unit'>,
  signed: (v: number, digits: number) => string,
): { estimate: string; low: string; high: string } | undefined {
  const { estimate, ci_low: low, ci_high: high } = effect;
  if (estimate === null || low === null || high === null) return undefined;
  const style = unitStyle(effect.unit);
  const digits = style.scale === 100 ? (Math.abs(estimate * 100) >= 10 ? 0 : 1) : style.digits;
  const text = (v: number) => signed(v * style.scale, digits);
  return {
    estimate: `${text(estimate)}${style.suffix}`,
    low: text(low),
    high: `${text(high)}${style.suffix}`,
  };
}

/** Midnight of a local date (YYYY-MM-DD) in the city's zone. */
export function cityDateMs(date: string, timeZone: string): number {
  return localDateMs(date, timeZone);
}

/** The y axis of a KPI's daily series (its level, not the effect): shares in %, counts per counter and day, kWh. */
export function kpiLevelAxis(kpi: string): { unit: MessageKey | '%'; scale: number; digits: number } {
  if (/share|fraction|bin_days|modal_split|fill_at/.test(kpi)) return { unit: '%', scale: 100, digits: 0 };
  if (kpi === 'collections_per_bin_week') return { unit: 'exp.level.collections', scale: 1, digits: 2 };
  if (kpi === 'daily_kwh') return { unit: 'exp.level.kwh_building_day', scale: 1, digits: 0 };
  if (kpi === 'night_base_load_kw') return { unit: 'unit.kw', scale: 1, digits: 1 };
  if (kpi.startsWith('daily_')) return { unit: 'exp.level.per_counter_day', scale: 1, digits: 0 };
  return { unit: 'exp.level.value', scale: 1, digits: 2 };
}
