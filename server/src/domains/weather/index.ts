/**
 * The weather domain: a station serving the whole city (no pilot, no sites of its own, no
 * experiments). Live, its device entity carries the latest readings: temp_c is the outdoor
 * temperature now. In experiments it is an input of others: the energy analysis normalises with
 * its daily means (station-days.ts, site-temperatures.ts; imported daily CSVs in weather-csv.ts).
 */
import type { WeatherTelemetry } from '../../contract/index.js';
import type { DailyInputs, DomainModule } from '../domain-module.js';
import { loadSiteTemperatures, stationFor } from './site-temperatures.js';
import { weatherMetrics } from './weather-normalise.js';

export const weatherModule: DomainModule & { domain: 'weather'; dailyInputs: DailyInputs } = {
  domain: 'weather',
  normalise: (_device, payload) => ({ ok: true, metrics: weatherMetrics(payload as WeatherTelemetry) }),
  // A station keeps no rolling state: its entity's values are its latest readings.
  live: null,
  // The rules every device has (battery, stuck values, sequence gaps, offline); none of its own.
  alerts: { rules: () => ({ onReading: () => [] }), zerosAreNotStuck: false },
  dailyInputs: {
    devicesFor: (registry, sites) => sites.flatMap((site) => stationFor(registry, site) ?? []),
    load: loadSiteTemperatures,
  },
};
