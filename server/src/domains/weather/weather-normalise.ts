/** A weather station's payload as stored metrics: the fields it sent, nothing invented. */
import type { WeatherTelemetry } from '../../contract/index.js';

const OPTIONAL = ['interval_s', 'humidity_pct', 'rain_mm', 'wind_ms'] as const;

export function weatherMetrics(payload: WeatherTelemetry): Record<string, number> {
  const metrics: Record<string, number> = { temp_c: payload.temp_c };
  for (const name of OPTIONAL) {
    const value = payload[name];
    if (value !== undefined) metrics[name] = value;
  }
  return metrics;
}
