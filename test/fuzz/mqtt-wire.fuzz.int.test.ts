/**
 * End-to-end fuzz over real MQTT: a few hundred fast-check messages (hostile topics and payloads
 * mixed with valid readings, statuses and events) published QoS 1 to the running server (embedded
 * aedes). The server must stay up and log no error, reject exactly what the classifier rejects,
 * with a listed reason in the counters and in every dead letter, and store every valid reading.
 */
import fc from 'fast-check';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import { loadSettings } from '../../server/src/config/settings.js';
import { DOMAINS, REJECT_REASONS } from '../../server/src/contract/index.js';
import { classify, type ClassifyOptions } from '../../server/src/ingest/classify.js';
import { uniqueName, waitFor } from '../helpers/brokers.js';
import { startServerUnderTest, type ServerUnderTest } from '../helpers/server-under-test.js';
import { anyMessage, fuzzRuns, fuzzSeed, validMessage, serialize, type FuzzMessage } from './fuzz-inputs.js';

const SEED = fuzzSeed(20_260_502);
const FUZZED = fuzzRuns(600);
const VALID_READINGS = 150;

interface Stats {
  received: number;
  stored: number;
  rejected: { total: number; by_reason: Record<string, number> };
  pending: number;
  statuses: number;
  events: number;
  duplicates_ignored: number;
}
interface DeadLetter {
  topic: string;
  reason: string;
  detail: string;
}

/** Whether the ingest's subscriptions (`{root}/{domain}/+/+`) deliver a topic at all. */
function routed(root: string, topic: string): boolean {
  if (!topic.startsWith(`${root}/`)) return false;
  const levels = topic.slice(root.length + 1).split('/');
  return levels.length === 3 && (DOMAINS as readonly string[]).includes(levels[0] ?? '');
}

describe(`MQTT wire fuzz (seed ${SEED}, embedded aedes)`, () => {
  let server: ServerUnderTest;
  let publisher: mqtt.MqttClient;
  const registry = loadRegistry('config/portfolio.yaml');
  const defaults = loadSettings({});

  beforeAll(async () => {
    server = await startServerUnderTest(undefined);
    publisher = await mqtt.connectAsync(server.runtime.mqttUrl, { clientId: uniqueName('fuzz-pub') });
  });
  afterAll(async () => {
    await publisher?.endAsync();
    await server?.runtime.stop();
  });

  it(
    `survives ${FUZZED} fuzzed messages mixed with ${VALID_READINGS} valid readings`,
    { timeout: 120_000 },
    async () => {
      const errors = vi.spyOn(server.runtime.app.log, 'error');
      const now = Date.now();
      const ctx = { registry, topicRoot: server.topicRoot, now };
      const options: ClassifyOptions = {
        topicRoot: server.topicRoot,
        maxAgeMs: defaults.ingest.maxAgeDays * 86_400_000,
        maxFutureMs: defaults.ingest.maxFutureMs,
      };
      const fuzzed = fc.sample(anyMessage(ctx, { publishable: true }), { seed: SEED, numRuns: FUZZED });
      const valid: FuzzMessage[] = fc
        .sample(validMessage(ctx, ['telemetry']), { seed: SEED + 1, numRuns: VALID_READINGS })
        .map(({ device, payload }) => ({
          topic: `${server.topicRoot}/${device.domain}/${device.id}/telemetry`,
          payload: Buffer.from(serialize(payload)),
          label: 'valid reading',
        }));
      // Interleaved, so that bad input arrives between good readings of the same devices.
      const messages = fuzzed.flatMap((m, i) =>
        i % 4 === 0 && valid[i / 4] ? [m, valid[i / 4] as FuzzMessage] : [m],
      );
      messages.push(...valid.slice(Math.ceil(fuzzed.length / 4)));

      // What the server must do with each message that reaches it, decided by the same pure classifier.
      const expected = {
        routed: 0,
        readings: 0,
        statuses: 0,
        events: 0,
        rejected: {} as Record<string, number>,
      };
      const rows = new Set<string>();
      let metricRows = 0;
      const deadTopics: string[] = [];
      for (const m of messages) {
        if (!routed(server.topicRoot, m.topic)) continue;
        expected.routed += 1;
        const outcome = classify(registry, options, m.topic, m.payload, Date.now());
        if (outcome.kind === 'reading') {
          expected.readings += 1;
          for (const metric of Object.keys(outcome.reading.metrics)) {
            metricRows += 1;
            rows.add(`${outcome.reading.device}|${metric}|${outcome.reading.ts}`);
          }
        } else if (outcome.kind === 'status') expected.statuses += 1;
        else if (outcome.kind === 'event') expected.events += 1;
        else {
          expected.rejected[outcome.reason] = (expected.rejected[outcome.reason] ?? 0) + 1;
          deadTopics.push(`${outcome.reason} ${m.topic.slice(0, 256)}`);
        }
      }

      await Promise.all(messages.map((m) => publisher.publishAsync(m.topic, m.payload, { qos: 1 })));
      const stats = await waitFor(
        'the ingest to take every routed message',
        async () => {
          const s = await server.get<Stats>('/api/ingest/stats');
          return s.received >= expected.routed && s.pending === 0 ? s : undefined;
        },
        60_000,
      );
      const health = await server.get<{ status: string; broker: string }>('/api/health');
      const letters = await server.get<DeadLetter[]>('/api/ingest/dead-letters?limit=1000');
      const storedRows = await server.runtime.store.countRows();
      const rejectedTotal = Object.values(expected.rejected).reduce((a, b) => a + b, 0);

      console.log(
        `fuzz mqtt wire (seed ${SEED}): published ${messages.length} (${fuzzed.length} fuzzed + ${valid.length} valid readings), ` +
          `routed to the ingest ${expected.routed}, received ${stats.received}; stored ${stats.stored} readings / ${storedRows} rows ` +
          `(expected ${expected.readings} / ${rows.size}), duplicate rows ignored ${stats.duplicates_ignored} (expected ${metricRows - rows.size}), statuses ${stats.statuses}, events ${stats.events}; ` +
          `rejected ${stats.rejected.total} (expected ${rejectedTotal}) by reason ${JSON.stringify(stats.rejected.by_reason)}; ` +
          `dead letters ${letters.length}; server errors logged ${errors.mock.calls.length}; health ${health.status}`,
      );
      expect(health).toMatchObject({ status: 'ok', broker: 'ok' });
      expect(errors.mock.calls.map((c) => String(c[1] ?? c[0]))).toEqual([]);
      expect(stats.received).toBe(expected.routed);
      expect(stats.rejected.by_reason).toEqual(expected.rejected);
      expect(stats.rejected.total).toBe(rejectedTotal);
      expect(stats.statuses).toBe(expected.statuses);
      expect(stats.events).toBe(expected.events);
      expect(stats.stored).toBe(expected.readings);
      expect(storedRows).toBe(rows.size);
      expect(stats.duplicates_ignored).toBe(metricRows - rows.size);
      expect(expected.readings).toBeGreaterThanOrEqual(VALID_READINGS);
      expect(rejectedTotal).toBeGreaterThan(FUZZED / 5);
      // Every dead letter names a listed reason and says what was wrong; together they are the rejections.
      for (const letter of letters) {
        expect(REJECT_REASONS).toContain(letter.reason);
        expect(letter.detail.length).toBeGreaterThan(0);
      }
      // The API lists the newest 1,000 at most.
      expect(letters.length).toBe(Math.min(1000, deadTopics.length));
      expect(letters.map((l) => `${l.reason} ${l.topic}`).sort()).toEqual(
        deadTopics.slice(-letters.length).sort(),
      );
    },
  );
});
