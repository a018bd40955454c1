/**
 * The ingest ratio, measured as alternating pairs (raw ceiling, then ingest) so that a burst of
 * load from elsewhere on a shared machine lands in one pair rather than deciding the figure. The
 * ratio is the median of the pairs' ratios; the CPU ratio (CPU per reading of the whole path,
 * raw ÷ ingest) is what the rate ratio tends to when the machine's cores are the limit and
 * nothing else runs, and moves far less with outside load.
 */
import { ingestRate, rawCeiling, type Rate } from './throughput.js';

const COUNT = 60_000;
const BINS = 1_000;
/** Readings each consumer takes before the throughput is measured (see throughput.ts). */
const WARMUP = 20_000;

export interface ThroughputPair {
  raw_per_s: number;
  ingest_per_s: number;
  ratio: number;
  cpu_ratio: number | null;
}

export interface Throughput {
  /** The pair whose ratio is the median. */
  raw: Rate;
  ingest_duckdb: Rate & { rss_mb: number };
  ratio: number;
  cpu_ratio: number | null;
  warmup_readings: number;
  pairs: ThroughputPair[];
}

const pathCpu = (rate: Rate) =>
  rate.cpu_us_per_reading
    ? rate.cpu_us_per_reading.consumer + rate.cpu_us_per_reading.broker + rate.cpu_us_per_reading.publisher
    : undefined;

export async function throughputPairs(
  brokerUrl: string,
  brokerPid: number,
  pairs: number,
): Promise<Throughput> {
  const count = pairs > 1 ? COUNT : COUNT / 3;
  const warmup = pairs > 1 ? WARMUP : WARMUP / 4;
  const runs: { raw: Rate; ingest: Rate & { rss_mb: number }; pair: ThroughputPair }[] = [];
  for (let i = 0; i < pairs; i += 1) {
    const raw = await rawCeiling(brokerUrl, count, BINS, brokerPid, warmup);
    const ingest = await ingestRate(brokerUrl, count, BINS, {}, brokerPid, warmup);
    const [rawCpu, ingestCpu] = [pathCpu(raw), pathCpu(ingest)];
    const pair = {
      raw_per_s: raw.per_s,
      ingest_per_s: ingest.per_s,
      ratio: round(ingest.per_s / raw.per_s),
      cpu_ratio: rawCpu && ingestCpu ? round(rawCpu / ingestCpu) : null,
    };
    process.stderr.write(`bench: pair ${i + 1}/${pairs}: ${JSON.stringify(pair)}\n`);
    runs.push({ raw, ingest, pair });
  }
  const sorted = [...runs].sort((a, b) => a.pair.ratio - b.pair.ratio);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as (typeof runs)[number];
  const cpuRatios = runs
    .flatMap((r) => (r.pair.cpu_ratio === null ? [] : [r.pair.cpu_ratio]))
    .sort((a, b) => a - b);
  return {
    raw: median.raw,
    ingest_duckdb: median.ingest,
    ratio: median.pair.ratio,
    cpu_ratio: cpuRatios.length ? (cpuRatios[Math.floor((cpuRatios.length - 1) / 2)] as number) : null,
    warmup_readings: warmup,
    pairs: runs.map((r) => r.pair),
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
