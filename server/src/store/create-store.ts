/** Chooses the store from the settings: InfluxDB when INFLUX_URL is set, else the embedded DuckDB file. */
import { join } from 'node:path';
import type { Settings } from '../config/settings.js';
import { DuckDbStore } from './duckdb/duckdb-store.js';
import { InfluxStore } from './influx/influx-store.js';
import type { TelemetryStore } from './port.js';

export function createStore(settings: Settings, log: (line: string) => void): TelemetryStore {
  if (settings.influx) return new InfluxStore(settings.influx, log);
  return new DuckDbStore(join(settings.dataDir, 'telemetry.duckdb'), settings.duckdbMemoryLimit);
}

/** The setting to name when the store cannot be opened. */
export function storeSettingName(settings: Settings): string {
  return settings.influx ? 'INFLUX_URL' : 'DATA_DIR';
}
