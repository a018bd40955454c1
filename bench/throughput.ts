/**
 * (1) the raw ceiling: an MQTT.js subscriber that only counts, and (2) the server's whole
 * ingest path, both fed by the same publisher process through the same Mosquitto.
 * Each rate is readings from the first publish to the last one received (1) or stored (2).
 */
import mqtt from 'mqtt';
import { portfolioWithBins, publish, startServer, type PublishResult } from './env.js';

export interface Rate {
  readings: number;
  seconds: number;
  per_s: number;
}

const rate = (readings: number, from: number, to: number): Rate => ({
  readings,
  seconds: (to - from) / 1000,
  per_s: Math.round(readings / ((to - from) / 1000)),
});

export async function rawCeiling(brokerUrl: string, count: number, bins: number): Promise<Rate> {
  const subscriber = await mqtt.connectAsync(brokerUrl, {
    clientId: `bench-raw-${process.pid}`,
    clean: true,
  });
  let received = 0;
  let last = 0;
  subscriber.on('message', () => {
    received += 1;
    last = Date.now();
  });
  await subscriber.subscribeAsync('kutaisi/v1/waste/+/telemetry', { qos: 1 });
  const result = await publish({ url: brokerUrl, bins, count, rate: 0, clock: 'past' });
  const deadline = Date.now() + 60_000;
  while (received < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await subscriber.endAsync();
  return rate(received, result.startedAt, last);
}

/** Publishes `count` readings and waits until the server has stored them all. */
export async function ingestRate(
  brokerUrl: string,
  count: number,
  bins: number,
  extraEnv: Record<string, string> = {},
): Promise<Rate & { rss_mb: number }> {
  const server = await startServer({ MQTT_URL: brokerUrl, PORTFOLIO: portfolioWithBins(bins), ...extraEnv });
  try {
    const before = (await server.stats()).stored;
    let lastStoredAt = 0;
    let rss = 0;
    const published: Promise<PublishResult> = publish({
      url: brokerUrl,
      bins,
      count,
      rate: 0,
      clock: 'past',
    });
    const deadline = Date.now() + 180_000;
    for (;;) {
      const stats = await server.stats();
      rss = Math.max(rss, server.rssMb());
      if (stats.stored - before >= count) {
        lastStoredAt = Date.now();
        break;
      }
      if (Date.now() > deadline)
        throw new Error(`ingest stored ${stats.stored - before} of ${count} in time`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const result = await published;
    return { ...rate(count, result.startedAt, lastStoredAt), rss_mb: rss };
  } finally {
    await server.stop();
    await clearSession(brokerUrl, server.clientId);
  }
}

/** A stopped server's persistent session would keep collecting copies of later runs' messages: end it. */
export async function clearSession(brokerUrl: string, clientId: string): Promise<void> {
  const client = await mqtt.connectAsync(brokerUrl, { clientId, clean: true });
  await client.endAsync();
}
