/**
 * Benchmark publisher, run as its own process so that it has a core of its own.
 * Publishes waste readings (QoS 1) round-robin over the given bins, as fast as the
 * broker acknowledges (rate 0) or paced at a fixed rate, and prints one JSON line.
 *
 *   tsx bench/publisher.ts '{"url":"mqtt://127.0.0.1:1883","root":"kutaisi/v1","bins":1000,"count":50000,"rate":0}'
 */
import mqtt from 'mqtt';

interface Options {
  url: string;
  root: string;
  bins: number;
  count: number;
  /** Readings per second; 0 = as fast as the broker acknowledges within the window. */
  rate: number;
  /** `wall`: ts is the publish time (latency runs); `past`: distinct historical times (throughput runs). */
  clock: 'wall' | 'past';
  /** With clock `past`: the first reading's time (default: just far enough back for `count` readings). */
  from?: number;
  window?: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const window = options.window ?? 2000;
const binId = (i: number) => `sim-bin-${String((i % options.bins) + 1).padStart(6, '0')}`;
const base = options.from ?? Date.now() - Math.ceil(options.count / options.bins) * 1000 - 120_000;

const client = await mqtt.connectAsync(options.url, { clientId: `bench-pub-${process.pid}`, clean: true });
let published = 0;
let acked = 0;
const startedAt = Date.now();
const start = performance.now();
const cpuAtStart = process.cpuUsage();
await new Promise<void>((resolve) => {
  const pump = () => {
    const due =
      options.rate > 0
        ? Math.min(options.count, Math.floor((options.rate * (performance.now() - start)) / 1000))
        : options.count;
    while (published < due && published - acked < window) {
      const i = published;
      const seq = Math.floor(i / options.bins);
      const ts = options.clock === 'wall' ? Date.now() : base + seq * 1000;
      // Bins fill slowly between collections (20 % to 70 %), as real ones do: no alert storm distorts the measure.
      const fill = 0.2 + (seq % 500) / 1000;
      const payload = `{"ts":${ts},"seq":${seq},"fill":${fill.toFixed(3)},"battery_v":3.6,"temp_c":12.5,"src":"sim"}`;
      client.publish(`${options.root}/waste/${binId(i)}/telemetry`, payload, { qos: 1 }, () => {
        acked += 1;
        if (acked === options.count) resolve();
        else if (options.rate === 0 && published < options.count) setImmediate(pump);
      });
      published += 1;
    }
    if (options.rate > 0 && published < options.count) setTimeout(pump, 1);
  };
  pump();
});
const finishedAt = Date.now();
const cpu = process.cpuUsage(cpuAtStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(
  `${JSON.stringify({ published, acked, startedAt, finishedAt, rate: acked / ((finishedAt - startedAt) / 1000), cpuMs })}\n`,
);
await client.endAsync();
