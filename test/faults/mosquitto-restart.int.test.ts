/**
 * Mosquitto stopped (SIGTERM) for a few seconds in the middle of a steady QoS 1 stream, then started
 * again on the same persistence folder. The ingest must reconnect on its own and store every reading
 * the publisher got a PUBACK for exactly once: re-deliveries of what was in flight are ignored by the
 * idempotent store, and what the publisher queued while the broker was down is sent on reconnect.
 */
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { uniqueName, waitFor, warnOnce } from '../helpers/brokers.js';
import { binaryAvailable } from '../helpers/influxd.js';
import { createMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { validWaste } from '../helpers/readings.js';
import { startServerUnderTest, type ServerUnderTest } from '../helpers/server-under-test.js';

const RATE = 400; // readings per second
const BEFORE_S = 3;
const DOWN_S = 5;
const AFTER_S = 4;
const TOTAL = RATE * (BEFORE_S + DOWN_S + AFTER_S);

const available = binaryAvailable('mosquitto');
if (!available)
  warnOnce(
    'mosquitto is not installed: skipping the Mosquitto restart fault test (CI installs Debian mosquitto).',
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!available)('Mosquitto restart during QoS 1 ingest', () => {
  let broker: Mosquitto | undefined;
  let server: ServerUnderTest | undefined;
  let publisher: mqtt.MqttClient | undefined;
  afterAll(async () => {
    await publisher?.endAsync(true);
    await server?.runtime.stop();
    await broker?.stop();
  });

  it(
    `stores each of ${TOTAL} confirmed readings exactly once across a ${DOWN_S} s broker outage`,
    { timeout: 120_000 },
    async () => {
      broker = await createMosquitto();
      await broker.start();
      server = await startServerUnderTest(broker.url, { LOG_LEVEL: 'error' });
      const sut = server;
      const root = sut.topicRoot;
      // A persistent session: what the publisher queued or had in flight is resent after the restart.
      publisher = await mqtt.connectAsync(broker.url, {
        clientId: uniqueName('restart-pub'),
        clean: false,
        protocolVersion: 4,
        reconnectPeriod: 250,
      });
      const pub = publisher;

      const confirmed = new Set<number>();
      const failed: string[] = [];
      let attempted = 0;
      let sentWhileDown = 0;
      let brokerDown = false;
      const base = Date.now() - TOTAL * 1000 - 60_000;
      const health: { at: number; broker: string }[] = [];
      const watch = setInterval(() => {
        void sut.get<{ broker: string }>('/api/health').then(
          (h) => health.push({ at: Date.now(), broker: h.broker }),
          () => undefined,
        );
      }, 200);

      const started = Date.now();
      const publishing = (async () => {
        const perTick = RATE / 10;
        for (let tick = 0; tick < TOTAL / perTick; tick += 1) {
          for (let j = 0; j < perTick; j += 1) {
            const i = attempted;
            const m = validWaste(root, i, base);
            attempted += 1;
            if (brokerDown) sentWhileDown += 1;
            pub.publish(m.topic, m.payload, { qos: 1 }, (error) => {
              if (error) failed.push(`${i}: ${error.message}`);
              else confirmed.add(i);
            });
          }
          await sleep(Math.max(0, started + (tick + 1) * 100 - Date.now()));
        }
      })();

      await sleep(BEFORE_S * 1000);
      const storedBeforeStop = (await sut.get<{ stored: number }>('/api/ingest/stats')).stored;
      await broker.stop('SIGTERM');
      brokerDown = true;
      const stoppedAt = Date.now();
      await sleep(DOWN_S * 1000);
      await broker.start();
      brokerDown = false;
      const restartedAt = Date.now();
      const reconnectedAt = await waitFor(
        'the ingest to reconnect to the restarted broker',
        async () => health.find((h) => h.at > restartedAt && h.broker === 'ok')?.at,
        30_000,
      );
      await publishing;
      await waitFor(
        'a PUBACK for every publish',
        async () => (confirmed.size + failed.length >= attempted ? true : undefined),
        60_000,
      );
      const rowsPerReading = 3; // fill, battery_v, temp_c
      const storedRows = await waitFor(
        'every confirmed reading in the store',
        async () => {
          const rows = await sut.runtime.store.countRows();
          const stats = await sut.get<{ pending: number }>('/api/ingest/stats');
          return rows >= confirmed.size * rowsPerReading && stats.pending === 0 ? rows : undefined;
        },
        60_000,
        200,
      );
      // Anything still in flight settles before the final count.
      await sleep(500);
      clearInterval(watch);
      const stats = await sut.get<{
        received: number;
        stored: number;
        duplicates_ignored: number;
        rejected: { total: number };
      }>('/api/ingest/stats');
      const counted = await sut.get<{ series: { values: (number | null)[] }[] }>(
        `/api/series?pilot=smart-waste&metric=fill&agg=count&from=${base}&to=${base + TOTAL * 1000}&step=${TOTAL * 1000}`,
      );
      const distinct = (counted.series[0]?.values ?? []).reduce<number>((sum, v) => sum + (v ?? 0), 0);
      const finalRows = await sut.runtime.store.countRows();
      const downStates = health.filter((h) => h.at > stoppedAt && h.at < restartedAt).map((h) => h.broker);

      console.log(
        `mosquitto restart figures: published ${attempted} at ${RATE}/s (confirmed by PUBACK ${confirmed.size}, failed ${failed.length}, ` +
          `${sentWhileDown} queued by the publisher while the broker was down ${((restartedAt - stoppedAt) / 1000).toFixed(1)} s), ` +
          `stored ${distinct} distinct readings (${finalRows} rows; ${storedBeforeStop} before the stop), ` +
          `duplicated ${stats.duplicates_ignored / rowsPerReading} re-deliveries ignored by the store, rejected ${stats.rejected.total}; ` +
          `ingest reconnected ${((reconnectedAt - restartedAt) / 1000).toFixed(1)} s after the restart; ` +
          `received ${stats.received}, health while down: ${[...new Set(downStates)].join(', ')}`,
      );
      expect(failed).toEqual([]);
      expect(confirmed.size).toBe(attempted);
      expect(attempted).toBe(TOTAL);
      expect(sentWhileDown).toBeGreaterThan(0);
      expect(downStates).toContain('down');
      expect(distinct).toBe(confirmed.size);
      expect(finalRows).toBe(confirmed.size * rowsPerReading);
      expect(storedRows).toBe(finalRows);
      expect(stats.rejected.total).toBe(0);
      // Every reading arrived at least once; the surplus is exactly what the store ignored.
      expect(stats.stored - stats.duplicates_ignored / rowsPerReading).toBe(confirmed.size);
    },
  );
});
