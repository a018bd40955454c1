/** The stored metric names per domain, with units. Readings are stored one row per metric. */
import type { Domain } from './topics.js';
import { DIRECTIONS, TRAVEL_CLASSES } from './payloads.js';

export interface MetricInfo {
  name: string;
  unit: string;
}

const mobilityMetrics: MetricInfo[] = [
  ...TRAVEL_CLASSES.flatMap((cls) => DIRECTIONS.map((dir) => ({ name: `${cls}_${dir}`, unit: 'count' }))),
  { name: 'interval_s', unit: 's' },
];

export const METRICS: Record<Domain, readonly MetricInfo[]> = {
  waste: [
    { name: 'fill', unit: 'fraction' },
    { name: 'distance_mm', unit: 'mm' },
    { name: 'battery_v', unit: 'V' },
    { name: 'temp_c', unit: '°C' },
    { name: 'tilt_deg', unit: '°' },
  ],
  mobility: mobilityMetrics,
  energy: [
    { name: 'energy_kwh', unit: 'kWh' },
    { name: 'power_kw', unit: 'kW' },
    { name: 'export_kwh', unit: 'kWh' },
  ],
  weather: [
    { name: 'temp_c', unit: '°C' },
    { name: 'interval_s', unit: 's' },
    { name: 'humidity_pct', unit: '%' },
    { name: 'rain_mm', unit: 'mm' },
    { name: 'wind_ms', unit: 'm/s' },
  ],
};

export const ALL_METRIC_NAMES: ReadonlySet<string> = new Set(
  Object.values(METRICS).flatMap((list) => list.map((m) => m.name)),
);

export const METRIC_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
