/** Metric names per domain (mirrors server/src/contract/metrics.ts, which pulls in TypeBox) with labels and units. */
import type { MessageKey } from '../i18n/en.js';
import type { I18n } from '../i18n/i18n.svelte.js';
import type { Domain } from './contract.js';

export const CLASSES = ['pedestrian', 'bicycle', 'escooter', 'car', 'bus'] as const;
export type TravelClass = (typeof CLASSES)[number];

export const DOMAIN_METRICS: Record<Domain, string[]> = {
  waste: ['fill', 'battery_v', 'temp_c', 'distance_mm', 'tilt_deg'],
  mobility: [...CLASSES.flatMap((c) => [`${c}_in`, `${c}_out`]), 'interval_s'],
  energy: ['power_kw', 'energy_kwh', 'export_kwh'],
  weather: ['temp_c', 'humidity_pct', 'rain_mm', 'wind_ms'],
};

const UNITS: Record<string, MessageKey> = {
  battery_v: 'unit.v',
  temp_c: 'unit.c',
  distance_mm: 'unit.mm',
  tilt_deg: 'unit.deg',
  power_kw: 'unit.kw',
  energy_kwh: 'unit.kwh',
  export_kwh: 'unit.kwh',
  interval_s: 'unit.s',
  humidity_pct: 'unit.pct',
  rain_mm: 'unit.mm',
  wind_ms: 'unit.ms',
};

export function metricLabel(i18n: I18n, metric: string): string {
  const counts = /^(\w+)_(in|out)$/.exec(metric);
  if (counts && (CLASSES as readonly string[]).includes(counts[1] ?? '')) {
    return i18n.t('metric.counts', {
      class: i18n.t(`class.${counts[1] as TravelClass}`),
      direction: i18n.t(`dir.${counts[2] as 'in' | 'out'}`),
    });
  }
  return i18n.t(`metric.${metric}` as MessageKey);
}

export interface MetricAxis {
  unit: string;
  scale: number;
  digits: number;
}

/** How a metric's chart names and scales its y axis; counts are per reading, so per the device's interval. */
export function metricAxis(i18n: I18n, metric: string, intervalMs: number): MetricAxis {
  if (metric === 'fill') return { unit: '%', scale: 100, digits: 0 };
  if (/_(in|out)$/.test(metric))
    return {
      unit: i18n.t('unit.passages_per', { interval: i18n.duration(intervalMs) }),
      scale: 1,
      digits: 1,
    };
  const unit = UNITS[metric];
  const digits = metric === 'battery_v' ? 2 : metric === 'energy_kwh' || metric === 'distance_mm' ? 0 : 1;
  return { unit: unit ? i18n.t(unit) : '', scale: 1, digits };
}

export function metricFormat(i18n: I18n, metric: string): (value: number | null | undefined) => string {
  if (metric === 'fill') return (v) => i18n.percent(v);
  const unit = UNITS[metric];
  const digits = metric === 'energy_kwh' || metric.endsWith('_in') || metric.endsWith('_out') ? 0 : 1;
  return (v) =>
    v === null || v === undefined ? '–' : `${i18n.number(v, digits)}${unit ? ` ${i18n.t(unit)}` : ''}`;
}
