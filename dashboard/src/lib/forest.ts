/**
 * A forest plot's layout: effects grouped by unit, one axis per unit. Relative changes, shares,
 * counts and kWh never share an axis: each group has its own scale, which holds zero and every
 * interval of the group, with ticks at a 1–2–5 step.
 */
import { PERCENT_UNITS } from './experiments.js';

export interface ForestRow {
  kpi: string;
  label: string;
  unit: string;
  estimate: number;
  low: number;
  high: number;
  /** Estimate and interval as text, for the row's label and its accessible description. */
  text: string;
}

export interface ForestGroup {
  unit: string;
  rows: ForestRow[];
  min: number;
  max: number;
  step: number;
  ticks: number[];
  /** Shown value = value × scale (100 for shares and relative changes, shown as %). */
  scale: number;
}

/** A 1–2–5 step that cuts `span` into about `parts` pieces. */
export function niceStep(span: number, parts = 4): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / parts;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return step;
}

export function forestGroups(rows: readonly ForestRow[]): ForestGroup[] {
  const byUnit = new Map<string, ForestRow[]>();
  for (const row of rows) byUnit.set(row.unit, [...(byUnit.get(row.unit) ?? []), row]);
  return [...byUnit].map(([unit, members]) => {
    const lo = Math.min(0, ...members.map((r) => Math.min(r.low, r.estimate)));
    const hi = Math.max(0, ...members.map((r) => Math.max(r.high, r.estimate)));
    const step = niceStep(hi - lo || Math.abs(hi) || 1);
    const min = Math.floor(lo / step + 1e-9) * step;
    const max = Math.ceil(hi / step - 1e-9) * step;
    const ticks: number[] = [];
    for (let k = 0; min + k * step <= max + step / 1e6; k++) ticks.push(min + k * step);
    return {
      unit,
      rows: members,
      min,
      max: max > min ? max : min + step,
      step,
      ticks,
      scale: PERCENT_UNITS.has(unit) ? 100 : 1,
    };
  });
}

/** Position of a value on its group's axis, 0..100 (%). */
export function axisPercent(group: Pick<ForestGroup, 'min' | 'max'>, value: number): number {
  return ((value - group.min) / (group.max - group.min)) * 100;
}
