/**
 * Kutaisi weather, shared by every device so that bins, counters and meters
 * see the same cold snaps and rainy days. Each day is a random-access function
 * of (seed, day), so live mode can start on any date without replaying history.
 */
import { hashNormal, hashUnit } from './prng.js';
import { dateOf, localDay, localHour, monthDay } from './clock.js';

/** Monthly mean air temperature, °C (Kutaisi climate normals). */
export const MONTHLY_MEAN_C = [3, 4.5, 8, 13, 18, 21, 23, 23, 19.5, 14.5, 9.5, 5.5] as const;
/** Probability that a day in the month is rainy (≥ 1 mm); Kutaisi is wet all year, wettest in winter. */
const RAIN_PROBABILITY = [0.45, 0.45, 0.45, 0.4, 0.4, 0.35, 0.3, 0.3, 0.35, 0.4, 0.45, 0.5] as const;
export const HDD_BASE_C = 18;

const ANOMALY_WEIGHTS = [0.5, 0.4, 0.3, 0.2, 0.1];
const ANOMALY_SD_C = 3;
const anomalyScale = ANOMALY_SD_C / Math.sqrt(ANOMALY_WEIGHTS.reduce((s, w) => s + w * w, 0));

function at<T>(list: readonly T[], index: number): T {
  const value = list[((index % list.length) + list.length) % list.length];
  if (value === undefined) throw new Error('empty list');
  return value;
}

/** Climate normal for a local day, interpolated between mid-month anchors. */
export function normalTemp(day: number): number {
  const { month, dom } = monthDay(day);
  const here = at(MONTHLY_MEAN_C, month - 1);
  const other = dom >= 15 ? at(MONTHLY_MEAN_C, month) : at(MONTHLY_MEAN_C, month - 2);
  const fraction = Math.abs(dom - 15) / 30.4;
  return here + (other - here) * fraction;
}

export interface DayWeather {
  date: string;
  meanC: number;
  hdd: number;
  rain: boolean;
}

const cache = new Map<string, DayWeather>();

/** Weather of a local day: the normal plus a smooth (multi-day) anomaly, and a rain flag. */
export function dayWeather(seed: number, day: number): DayWeather {
  const key = `${seed}:${day}`;
  const hit = cache.get(key);
  if (hit) return hit;
  // A moving sum of daily shocks gives warm and cold spells lasting several days.
  let anomaly = 0;
  ANOMALY_WEIGHTS.forEach((w, k) => (anomaly += w * hashNormal(seed, 'weather', day - k)));
  const rain = hashUnit(seed, 'rain', day) < at(RAIN_PROBABILITY, monthDay(day).month - 1);
  const meanC = Math.round((normalTemp(day) + anomalyScale * anomaly - (rain ? 1 : 0)) * 100) / 100;
  const weather = { date: dateOf(day), meanC, hdd: Math.max(0, HDD_BASE_C - meanC), rain };
  if (cache.size > 20_000) cache.clear();
  cache.set(key, weather);
  return weather;
}

/** Air temperature at an instant: daily mean plus a diurnal swing peaking mid-afternoon. */
export function airTemp(seed: number, ms: number): number {
  const weather = dayWeather(seed, localDay(ms));
  const amplitude = weather.rain ? 2 : 4.5;
  return weather.meanC + amplitude * Math.cos((2 * Math.PI * (localHour(ms) - 15)) / 24);
}
