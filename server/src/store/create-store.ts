/** Chooses the store from the settings: embedded DuckDB by default. */
import { join } from 'node:path';
import type { Settings } from '../config/settings.js';
import { DuckDbStore } from './duckdb/duckdb-store.js';
import type { TelemetryStore } from './port.js';

export function createStore(settings: Settings): TelemetryStore {
  return new DuckDbStore(join(settings.dataDir, 'telemetry.duckdb'));
}

/** The setting to name when the store cannot be opened. */
export function storeSettingName(_settings: Settings): string {
  return 'DATA_DIR';
}
