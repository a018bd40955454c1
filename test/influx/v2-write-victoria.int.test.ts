/**
 * The v2 write flavour (org, bucket, token, ms precision through the client's WriteApi)
 * against a real /api/v2/write endpoint: Debian's victoria-metrics, read back through its export API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reading } from '../../server/src/contract/index.js';
import { loadSettings } from '../../server/src/config/settings.js';
import { InfluxStore } from '../../server/src/store/influx/influx-store.js';
import { freePort, waitFor, warnOnce } from '../helpers/brokers.js';
import { binaryAvailable } from '../helpers/influxd.js';
import { stopProcess } from '../helpers/processes.js';

const available = binaryAvailable('victoria-metrics');
if (!available)
  warnOnce('victoria-metrics is not installed: skipping the InfluxDB v2 write-path test (CI installs it).');

describe.skipIf(!available)('InfluxDB v2 write flavour against victoria-metrics', () => {
  let vm: ChildProcess | undefined;
  afterAll(async () => {
    if (vm) await stopProcess(vm, 'SIGTERM');
  });

  it('writes measurement per domain, device and site tags, one field per metric, millisecond times', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    vm = spawn(
      'victoria-metrics',
      [
        `-httpListenAddr=127.0.0.1:${port}`,
        `-storageDataPath=${mkdtempSync(join(tmpdir(), 'kutaisi-vm-'))}`,
        '-loggerLevel=ERROR',
      ],
      { stdio: 'ignore' },
    );
    await waitFor('victoria-metrics to answer', async () =>
      (await fetch(`${url}/ping`)).status === 204 ? true : undefined,
    );

    const settings = loadSettings({
      INFLUX_URL: url,
      INFLUX_API: 'v2',
      INFLUX_ORG: 'kutaisi',
      INFLUX_BUCKET: 'telemetry',
      INFLUX_TOKEN: 'test-token',
    }).influx;
    if (!settings) throw new Error('influx settings missing');
    const store = new InfluxStore(settings);
    await store.open();
    const now = Date.now();
    const readings: Reading[] = Array.from({ length: 50 }, (_, i) => ({
      device: i % 2 ? 'meter-city-hall' : 'meter-school-nikea',
      domain: 'energy',
      site: i % 2 ? 'city-hall' : 'school-nikea',
      ts: now - 60_000 + i * 1000 + 7,
      seq: i,
      metrics: { energy_kwh: 1000 + i, power_kw: 2.5 },
      simulated: false,
      receivedAt: now,
    }));
    await store.write(readings);
    await store.close();

    await fetch(`${url}/internal/force_flush`);
    const exported = await waitFor('the exported series', async () => {
      const body = await (
        await fetch(`${url}/api/v1/export`, {
          method: 'POST',
          body: new URLSearchParams({ 'match[]': '{__name__=~"energy_.*"}' }),
        })
      ).text();
      const lines = body
        .trim()
        .split('\n')
        .filter(Boolean)
        .map(
          (l) => JSON.parse(l) as { metric: Record<string, string>; values: number[]; timestamps: number[] },
        );
      return lines.length === 4 ? lines : undefined;
    });
    const kwh = exported.find(
      (s) => s.metric.__name__ === 'energy_energy_kwh' && s.metric.device === 'meter-city-hall',
    );
    expect(kwh?.metric.site).toBe('city-hall');
    expect(kwh?.timestamps).toEqual(readings.filter((r) => r.device === 'meter-city-hall').map((r) => r.ts));
    expect(kwh?.values).toEqual(
      readings.filter((r) => r.device === 'meter-city-hall').map((r) => r.metrics.energy_kwh),
    );
    expect(exported.map((s) => s.metric.__name__).sort()).toEqual([
      'energy_energy_kwh',
      'energy_energy_kwh',
      'energy_power_kw',
      'energy_power_kw',
    ]);
  });
});
