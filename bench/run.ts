/**
 * `npm run bench`: the performance benchmark. Every figure that has a target is a ratio to a
 * baseline measured in the same run on the same machine, or an absolute bound from the issue.
 * Prints a table and writes bench/results/latest.json (and a time-stamped copy).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { has, startMosquitto } from './env.js';
import { evidence } from './evidence.js';
import { fanOut } from './fanout.js';
import { latencyAt } from './latency.js';
import { memoryWith, seriesQueries } from './memory-queries.js';
import { nodeRedComparison } from './node-red.js';
import { throughputPairs } from './throughput-pairs.js';
import { printReport, type Report } from './report.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const quick = args.quick ?? false;
const wanted = (name: string) => !args.only || args.only.split(',').includes(name);
const BINS = 1_000;

async function main(): Promise<void> {
  if (!has('mosquitto')) {
    process.stderr.write('bench: mosquitto is not installed (apt-get install mosquitto mosquitto-clients)\n');
    process.exit(2);
  }
  const broker = await startMosquitto();
  const report: Report = { at: new Date().toISOString(), machine: machine(), quick, sections: {} };
  // A section that fails is reported and the others still run: one broken peer install must not
  // cost the figures of a 7-minute run.
  const failed: string[] = [];
  const section = async (name: string, label: string, run: () => Promise<void>): Promise<void> => {
    if (!wanted(name)) return;
    process.stderr.write(`bench: ${label} …\n`);
    try {
      await run();
    } catch (error) {
      failed.push(name);
      process.stderr.write(
        `bench: ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
  };
  try {
    await section('ingest', 'raw ceiling and ingest', async () => {
      report.sections.throughput = await throughputPairs(broker.url, broker.pid, quick ? 1 : 3);
    });
    await section('latency', 'end-to-end latency', async () => {
      const max = report.sections.throughput?.ingest_duckdb.per_s;
      const rates = [1000, 5000, ...(max && max > 5000 ? [Math.floor((max * 0.9) / 500) * 500] : [])];
      report.sections.latency = await latencyAt(broker.url, rates, quick ? 5 : 10, BINS);
    });
    await section('fanout', 'WebSocket fan-out to 100 and 500 sockets', async () => {
      report.sections.fanout = await fanOut([100, 500], 2000, quick ? 5 : 10);
    });
    await section('memory', 'memory with 1k, 10k, 50k devices', async () => {
      report.sections.memory = await memoryWith(
        broker.url,
        quick ? [1_000, 10_000] : [1_000, 10_000, 50_000],
      );
    });
    await section('queries', '/api/series over 30 days of 1-minute data', async () => {
      report.sections.queries = await seriesQueries(quick ? 10 : 40);
    });
    const evidenceOptions = {
      cold: quick ? 3 : 5,
      warm: quick ? 10 : 40,
      series: quick ? 10 : 40,
      fresh: args.fresh ?? false,
    };
    await section('evidence', 'effects and series over a year of a city-scale fleet, DuckDB', async () => {
      report.sections.evidence = await evidence({ ...evidenceOptions, store: 'duckdb' });
    });
    await section('evidence-influx', 'the same over InfluxDB 1.x (a private influxd)', async () => {
      if (!has('influxd')) {
        report.sections.evidence_influx = { skipped: 'influxd is not installed' };
        return;
      }
      report.sections.evidence_influx = await evidence({ ...evidenceOptions, store: 'influxdb' });
    });
    await section('node-red', 'Node-RED peer', async () => {
      report.sections.node_red = await nodeRedComparison(broker.url, quick ? 10_000 : 30_000, BINS);
    });
  } finally {
    await broker.stop();
  }
  mkdirSync('bench/results', { recursive: true });
  const json = JSON.stringify(report, null, 2);
  writeFileSync('bench/results/latest.json', json);
  writeFileSync(`bench/results/${report.at.replace(/[:.]/g, '-')}.json`, json);
  printReport(report);
  if (failed.length) {
    process.stderr.write(`bench: sections that failed: ${failed.join(', ')}\n`);
    process.exitCode = 1;
  }
}

function machine(): Record<string, string | number> {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: availableParallelism(),
  };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
