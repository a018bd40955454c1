/** The store contract suite against a real InfluxDB, whenever INFLUX_URL is set (CI runs Debian's influxdb 1.6.7, flavour v1). */
import { describe, it } from 'vitest';
import { loadSettings, type InfluxSettings } from '../../config/settings.js';
import { describeStoreContract } from '../store-contract.js';
import { InfluxStore } from './influx-store.js';

export function influxTestSettings(database: string): InfluxSettings | undefined {
  if (!process.env.INFLUX_URL) return undefined;
  const env = { ...process.env };
  if (env.INFLUX_API === 'v1' || env.INFLUX_API === undefined) env.INFLUX_DATABASE = database;
  return loadSettings(env).influx;
}

const settings = influxTestSettings(`kutaisi_contract_${process.pid}`);
if (settings) {
  describeStoreContract(
    `InfluxDB (${settings.api}) at ${settings.url}`,
    async () => new InfluxStore(settings),
  );
} else {
  console.warn(
    '\n[SKIP] INFLUX_URL is not set: the store contract suite runs against DuckDB only (CI sets it).\n',
  );
  describe.skip('TelemetryStore contract: InfluxDB (INFLUX_URL not set)', () => {
    it('needs INFLUX_URL', () => undefined);
  });
}
