/**
 * (1) the raw ceiling: an MQTT.js subscriber that only counts, and (2) the server's whole
 * ingest path, both fed by the same publisher process through the same Mosquitto.
 * Each rate is readings from the first publish to the last one received (1) or stored (2).
 * Both consumers first take `warmup` readings that are not measured: what is compared is the
 * steady state, not how long V8 takes to compile each side's hot code (a one-time cost that is
 * about 3 µs a reading of the server's CPU over a 60,000-reading run, measured with
 * --no-concurrent-recompilation).
 */
import mqtt from 'mqtt';
import {
  cpuMs,
  mainThreadCpuMs,
  threadGroupCpuMs,
  portfolioWithBins,
  publish,
  startServer,
  type PublishResult,
} from './env.js';

export interface Rate {
  readings: number;
  seconds: number;
  per_s: number;
  /**
   * CPU time per reading of each process on the path (µs), when measured: the consumer (the bare
   * subscriber, or the server), the broker and the publisher. On a 2-core machine their sum bounds
   * the rate: 2 s of CPU per second ÷ the sum.
   */
  cpu_us_per_reading?: { consumer: number; broker: number; publisher: number };
  /** Of the server's CPU per reading, what its main thread spent (the rest: DuckDB's, V8's and libuv's threads). */
  server_main_thread_us_per_reading?: number;
  /** The server's CPU per reading by thread group (see threadGroupCpuMs): main, v8, libuv (DuckDB), other. */
  server_threads_us_per_reading?: Record<string, number>;
}

const perReading = (ms: number, readings: number) => Math.round(((ms * 1000) / readings) * 10) / 10;

const rate = (readings: number, from: number, to: number): Rate => ({
  readings,
  seconds: (to - from) / 1000,
  per_s: Math.round(readings / ((to - from) / 1000)),
});

/** Older than every measured reading, so the warm-up's readings are neither duplicates nor newer. */
const warmupFrom = (count: number, bins: number) => Date.now() - 3_600_000 - Math.ceil(count / bins) * 1000;

export async function rawCeiling(
  brokerUrl: string,
  count: number,
  bins: number,
  brokerPid?: number,
  warmup = 0,
): Promise<Rate> {
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
  if (warmup > 0) {
    await publish({
      url: brokerUrl,
      bins,
      count: warmup,
      rate: 0,
      clock: 'past',
      from: warmupFrom(warmup, bins),
    });
    const until = Date.now() + 60_000;
    while (received < warmup && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    received = 0;
  }
  const [ownCpu, brokerCpu] = [process.cpuUsage(), cpuMs(brokerPid)];
  const result = await publish({ url: brokerUrl, bins, count, rate: 0, clock: 'past' });
  const deadline = Date.now() + 60_000;
  while (received < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const own = process.cpuUsage(ownCpu);
  const cpu = {
    consumer: perReading((own.user + own.system) / 1000, received),
    broker: perReading(cpuMs(brokerPid) - brokerCpu, received),
    publisher: perReading(result.cpuMs, received),
  };
  await subscriber.endAsync();
  return { ...rate(received, result.startedAt, last), ...(brokerPid ? { cpu_us_per_reading: cpu } : {}) };
}

/** Publishes `count` readings and waits until the server has stored them all. */
export async function ingestRate(
  brokerUrl: string,
  count: number,
  bins: number,
  extraEnv: Record<string, string> = {},
  brokerPid?: number,
  warmup = 0,
): Promise<
  Rate & {
    rss_mb: number;
    server_main_thread_us_per_reading: number;
    server_threads_us_per_reading: Record<string, number>;
  }
> {
  const server = await startServer({ MQTT_URL: brokerUrl, PORTFOLIO: portfolioWithBins(bins), ...extraEnv });
  try {
    if (warmup > 0) {
      await publish({
        url: brokerUrl,
        bins,
        count: warmup,
        rate: 0,
        clock: 'past',
        from: warmupFrom(warmup, bins),
      });
      const until = Date.now() + 120_000;
      while ((await server.stats()).stored < warmup && Date.now() < until)
        await new Promise((r) => setTimeout(r, 20));
    }
    const before = (await server.stats()).stored;
    let lastStoredAt = 0;
    let rss = 0;
    const [serverCpu, brokerCpu] = [cpuMs(server.child.pid), cpuMs(brokerPid)];
    const mainCpu = mainThreadCpuMs(server.child.pid);
    const threadsAtStart = threadGroupCpuMs(server.child.pid);
    let threadsAtEnd = threadsAtStart;
    let mainCpuAtEnd = mainCpu;
    let serverCpuAtEnd = serverCpu;
    let brokerCpuAtEnd = brokerCpu;
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
        [serverCpuAtEnd, brokerCpuAtEnd] = [cpuMs(server.child.pid), cpuMs(brokerPid)];
        mainCpuAtEnd = mainThreadCpuMs(server.child.pid);
        threadsAtEnd = threadGroupCpuMs(server.child.pid);
        break;
      }
      if (Date.now() > deadline)
        throw new Error(`ingest stored ${stats.stored - before} of ${count} in time`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const result = await published;
    const cpu = {
      consumer: perReading(serverCpuAtEnd - serverCpu, count),
      broker: perReading(brokerCpuAtEnd - brokerCpu, count),
      publisher: perReading(result.cpuMs, count),
    };
    return {
      ...rate(count, result.startedAt, lastStoredAt),
      ...(brokerPid ? { cpu_us_per_reading: cpu } : {}),
      server_main_thread_us_per_reading: perReading(mainCpuAtEnd - mainCpu, count),
      server_threads_us_per_reading: Object.fromEntries(
        Object.entries(threadsAtEnd).map(([group, ms]) => [
          group,
          perReading(ms - (threadsAtStart[group] ?? 0), count),
        ]),
      ),
      rss_mb: rss,
    };
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
