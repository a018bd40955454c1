/** Small pure helpers over the live entities, shared by views. */
import type { ClassCounts } from './contract.js';

export function totalCounts(counts: ClassCounts | null | undefined): number | null {
  if (!counts) return null;
  let total = 0;
  for (const c of Object.values(counts)) total += c.in + c.out;
  return total;
}

/** Shortest reporting interval among some devices, in ms (15 min when unknown). */
export function shortestInterval(devices: { reporting_interval_s: number }[]): number {
  const seconds = Math.min(...devices.map((d) => d.reporting_interval_s));
  return Number.isFinite(seconds) ? seconds * 1000 : 900_000;
}
