/**
 * kill -9 of the server in the middle of a 20,000-reading QoS 1 stream, then a
 * restart: every reading must be stored exactly once. The broker runs in its own
 * process (Mosquitto when MQTT_URL is set, otherwise a stand-alone aedes) so that
 * it outlives the server and re-delivers what was never acknowledged.
 */
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, uniqueName, waitFor } from './helpers/brokers.js';
import { spawnServer, startAedesProcess, stopProcess, waitForHealthy } from './helpers/processes.js';
import { validWaste } from './helpers/readings.js';
import { login, TEST_ADMIN_PASSWORD } from './helpers/server-under-test.js';

const TOTAL = 20_000;

describe('crash recovery', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it(
    `stores each of ${TOTAL} QoS 1 readings exactly once across a SIGKILL of the server`,
    { timeout: 180_000 },
    async () => {
      let brokerUrl = process.env.MQTT_URL;
      if (!brokerUrl) {
        const aedes = await startAedesProcess();
        cleanups.push(() => aedes.stop());
        brokerUrl = aedes.url;
      }
      const port = await freePort();
      const httpUrl = `http://127.0.0.1:${port}`;
      const dataDir = mkdtempSync(join(tmpdir(), 'kutaisi-crash-'));
      const topicRoot = `${uniqueName('crash')}/v1`;
      const env = {
        PORT: String(port),
        DATA_DIR: dataDir,
        MQTT_URL: brokerUrl,
        MQTT_CLIENT_ID: uniqueName('ingest'),
        MQTT_TOPIC_ROOT: topicRoot,
        LOG_LEVEL: 'warn',
        ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      };

      let server = spawnServer(env);
      cleanups.push(() => stopProcess(server, 'SIGKILL'));
      await waitForHealthy(httpUrl);
      // Sessions are kept in DATA_DIR: the same token still works after the crash and restart.
      const token = await login(httpUrl, 'admin', TEST_ADMIN_PASSWORD);
      const get = async <T>(path: string) =>
        (await (
          await fetch(`${httpUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as T;

      const publisher = await mqtt.connectAsync(brokerUrl, { clientId: uniqueName('crash-pub') });
      cleanups.push(() => publisher.endAsync());
      const base = Date.now() - TOTAL * 1000 - 60_000;
      const published = Promise.all(
        Array.from({ length: TOTAL }, (_, i) => {
          const m = validWaste(topicRoot, i, base);
          return publisher.publishAsync(m.topic, m.payload, { qos: 1 });
        }),
      );

      const storedAtKill = await waitFor(
        'some readings stored before the kill',
        async () => {
          const stats = await get<{ stored: number }>('/api/ingest/stats');
          return stats.stored >= TOTAL / 5 ? stats.stored : undefined;
        },
        60_000,
        10,
      );
      await stopProcess(server, 'SIGKILL');

      server = spawnServer(env);
      await waitForHealthy(httpUrl);
      await published;
      console.log('crash recovery: every publish acknowledged by the broker');

      const countQuery = `/api/series?pilot=smart-waste&metric=fill&agg=count&from=${base}&to=${base + TOTAL * 1000}&step=${TOTAL * 1000}`;
      const counted = await waitFor(
        `all ${TOTAL} readings in the store `,
        async () => {
          const body = await get<{ series: { values: (number | null)[] }[] }>(countQuery);
          // The range can straddle two epoch-aligned buckets: add them up.
          const n = (body.series[0]?.values ?? []).reduce<number>((sum, v) => sum + (v ?? 0), 0);
          return n >= TOTAL ? n : undefined;
        },
        120_000,
        200,
      );
      const stats = await get<{ duplicates_ignored: number; rejected: { total: number } }>(
        '/api/ingest/stats',
      );
      expect(await stopProcess(server, 'SIGTERM')).toBe(0);

      const db = await DuckDBInstance.create(join(dataDir, 'telemetry.duckdb'));
      const connection = await db.connect();
      const rows = (
        await connection.runAndReadAll(
          `SELECT count(*) AS rows, count(DISTINCT (device, ts)) AS readings, count(*) FILTER (WHERE metric = 'fill') AS fills FROM readings`,
        )
      ).getRowObjectsJS()[0];
      connection.closeSync();
      db.closeSync();

      // Counters are saved every second, so after the SIGKILL the duplicate count is a lower bound.
      console.log(
        `crash recovery figures: published ${TOTAL}, stored ${Number(rows?.readings)} distinct readings ` +
          `(${Number(rows?.rows)} rows; ${storedAtKill} before SIGKILL, ${counted} counted after restart), ` +
          `duplicated ${stats.duplicates_ignored / 3} re-deliveries ignored by the store, rejected ${stats.rejected.total}`,
      );
      expect(counted).toBe(TOTAL);
      expect(Number(rows?.readings)).toBe(TOTAL);
      expect(Number(rows?.fills)).toBe(TOTAL);
      expect(Number(rows?.rows)).toBe(TOTAL * 3);
      expect(stats.rejected.total).toBe(0);
    },
  );
});
