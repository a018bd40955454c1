/**
 * A source on its own broker: The Things Stack's MQTT integration stands in as a private Mosquitto
 * given as the `ttn` source's `url`. A steady stream of uplinks is published while that broker is
 * stopped (SIGTERM) for a few seconds and started again on its persistence folder: the source must
 * reconnect by itself, health must say degraded (not down) meanwhile, and every uplink the publisher
 * got a PUBACK for must be stored exactly once.
 */
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { uniqueName, waitFor, warnOnce } from '../helpers/brokers.js';
import { binaryAvailable } from '../helpers/influxd.js';
import { createMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { sourcesPortfolio } from '../helpers/portfolios.js';
import { startServerUnderTest, type ServerUnderTest } from '../helpers/server-under-test.js';
import { ttnTopic, ttnUplink } from './fixtures.js';

const RATE = 100; // uplinks per second
const BEFORE_S = 2;
const DOWN_S = 3;
const AFTER_S = 2;
const TOTAL = RATE * (BEFORE_S + DOWN_S + AFTER_S);

const available = binaryAvailable('mosquitto');
if (!available)
  warnOnce(
    'mosquitto is not installed: skipping the source-on-its-own-broker test (CI installs Debian mosquitto).',
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Health {
  status: string;
  sources: Record<string, { state: string; broker: string }>;
}

describe.skipIf(!available)('a source on its own broker (Mosquitto as the network server)', () => {
  let broker: Mosquitto | undefined;
  let server: ServerUnderTest | undefined;
  let publisher: mqtt.MqttClient | undefined;
  afterAll(async () => {
    await publisher?.endAsync(true);
    await server?.runtime.stop();
    await broker?.stop();
  });

  it(
    `stores each of ${TOTAL} confirmed uplinks exactly once across a ${DOWN_S} s outage of that broker`,
    { timeout: 120_000 },
    async () => {
      broker = await createMosquitto();
      await broker.start();
      const url = broker.url;
      const portfolio = sourcesPortfolio((sources) => {
        const ttn = sources.find((s) => s.id === 'ttn');
        if (ttn) ttn.url = url;
      });
      server = await startServerUnderTest(undefined, { LOG_LEVEL: 'error' }, portfolio);
      const sut = server;
      const first = await waitFor('the ttn source subscribed', async () => {
        const h = await sut.get<Health>('/api/health');
        return h.sources.ttn?.state === 'ok' ? h : undefined;
      });
      expect(first.sources.ttn?.broker).toBe(url);

      publisher = await mqtt.connectAsync(url, {
        clientId: uniqueName('network-server'),
        clean: false,
        protocolVersion: 4,
        reconnectPeriod: 250,
      });
      const pub = publisher;
      const ids = {
        deviceId: 'kutaisi-bin-0042',
        devEui: '70B3D57ED0061B42',
        application: 'kutaisi-pilots@ttn',
      };
      const base = Math.floor((Date.now() - TOTAL * 1000 - 60_000) / 1000) * 1000;
      const confirmed = new Set<number>();
      const failed: string[] = [];
      const health: { at: number; status: string; ttn: string }[] = [];
      const watch = setInterval(() => {
        void sut.get<Health>('/api/health').then(
          (h) => health.push({ at: Date.now(), status: h.status, ttn: h.sources.ttn?.state ?? '?' }),
          () => undefined,
        );
      }, 200);

      const started = Date.now();
      const publishing = (async () => {
        const perTick = RATE / 10;
        for (let i = 0; i < TOTAL;) {
          for (let j = 0; j < perTick; j++, i++) {
            const n = i;
            const uplink = ttnUplink({
              ...ids,
              fCnt: n,
              receivedAt: new Date(base + n * 1000).toISOString(),
              decoded: { level_pct: n % 100, battery_mv: 3600, temperature_c: 10 },
            });
            pub.publish(ttnTopic(ids), JSON.stringify(uplink), { qos: 1 }, (error) => {
              if (error) failed.push(`${n}: ${error.message}`);
              else confirmed.add(n);
            });
          }
          await sleep(Math.max(0, started + (i / perTick) * 100 - Date.now()));
        }
      })();

      await sleep(BEFORE_S * 1000);
      await broker.stop('SIGTERM');
      const stoppedAt = Date.now();
      await sleep(DOWN_S * 1000);
      await broker.start();
      const restartedAt = Date.now();
      await publishing;
      await waitFor(
        'a PUBACK for every uplink',
        async () => (confirmed.size + failed.length >= TOTAL ? true : undefined),
        60_000,
      );
      const rows = await waitFor(
        'every confirmed uplink in the store',
        async () => {
          const count = await sut.runtime.store.countRows('bin-nikea-02');
          const stats = await sut.get<{ pending: number }>('/api/ingest/stats');
          return count >= confirmed.size * 3 && stats.pending === 0 ? count : undefined;
        },
        60_000,
        200,
      );
      await waitFor('the ttn source back up', async () =>
        health.some((h) => h.at > restartedAt && h.ttn === 'ok') ? true : undefined,
      );
      clearInterval(watch);
      const stats = await sut.get<{
        sources: Record<string, { received: number; stored: number }>;
        duplicates_ignored: number;
      }>('/api/ingest/stats');
      const whileDown = health.filter((h) => h.at > stoppedAt + 500 && h.at < restartedAt);
      console.log(
        `source broker restart: ${TOTAL} uplinks at ${RATE}/s, ${confirmed.size} confirmed, ${failed.length} failed; ` +
          `ttn received ${stats.sources.ttn?.received}, stored ${stats.sources.ttn?.stored} readings, ` +
          `${stats.duplicates_ignored / 3} re-deliveries ignored; health while down: ${[...new Set(whileDown.map((h) => `${h.status}/${h.ttn}`))].join(', ')}`,
      );
      expect(failed).toEqual([]);
      expect(confirmed.size).toBe(TOTAL);
      expect(rows).toBe(TOTAL * 3); // fill, battery_v, temp_c: each uplink once
      expect(whileDown.length).toBeGreaterThan(0);
      expect(whileDown.every((h) => h.status === 'degraded' && h.ttn === 'down')).toBe(true);
    },
  );
});
