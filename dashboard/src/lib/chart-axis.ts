/** Tick labels that never repeat: decimals follow the tick step, dates follow the time step. */
import { DAY_MS } from './city-time.js';

/** Fewest decimals that write every multiple of `step` exactly (0.5 → 1, 0.25 → 2, 20 → 0). */
export function stepDecimals(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  for (let digits = 0; digits < 10; digits++) {
    const scaled = step * 10 ** digits;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return digits;
  }
  return 10;
}

/**
 * Labels for value ticks: `scale` turns a stored value into the shown one (100 for a fraction
 * shown as %). Decimals come from the tick step; should two labels still read the same, one more
 * decimal is added until they differ.
 */
export function valueTickLabels(
  ticks: readonly number[],
  step: number,
  format: (value: number, digits: number) => string,
  scale = 1,
): string[] {
  let digits = stepDecimals(step * scale);
  const label = (t: number, d: number) => {
    const shown = t * scale;
    // -0 would be written "-0".
    return format(Math.abs(shown) < 1e-12 ? 0 : shown, d);
  };
  let labels = ticks.map((t) => label(t, digits));
  while (new Set(labels).size < labels.length && digits < 10) {
    digits++;
    labels = ticks.map((t) => label(t, digits));
  }
  return labels;
}

export interface TimeFormats {
  time(ms: number): string;
  day(ms: number): string;
  month(ms: number): string;
  /** The city's local date of `ms` as YYYY-MM-DD (to tell days apart). */
  dateKey(ms: number): string;
}

/**
 * Labels for time ticks in the city's zone: hours and minutes below a day (the date added under
 * the first tick of each day), days from a day up, months from four weeks up.
 */
export function timeTickLabels(ticks: readonly number[], step: number, f: TimeFormats): string[] {
  if (step >= 28 * DAY_MS) return ticks.map((t) => f.month(t));
  if (step >= DAY_MS) return ticks.map((t) => f.day(t));
  let previousDay = '';
  return ticks.map((t) => {
    const day = f.dateKey(t);
    const first = day !== previousDay;
    previousDay = day;
    return first ? `${f.time(t)}\n${f.day(t)}` : f.time(t);
  });
}
