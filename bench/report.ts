/** The benchmark's table: each target as stated in the issue, with the measured figure and a verdict. */
import type { EvidenceResult } from './evidence.js';
import type { FanOut } from './fanout.js';
import type { Latency } from './latency.js';
import type { Memory, QueryTimes } from './memory-queries.js';
import type { NodeRedComparison } from './node-red.js';
import type { Throughput } from './throughput-pairs.js';

export interface Report {
  at: string;
  machine: Record<string, string | number>;
  quick: boolean;
  sections: {
    throughput?: Throughput;
    latency?: Latency[];
    fanout?: FanOut[];
    memory?: Memory[];
    queries?: { readings: number; results: QueryTimes[] };
    node_red?: NodeRedComparison | { skipped: string };
    evidence?: EvidenceResult;
    evidence_influx?: EvidenceResult | { skipped: string };
  };
}

const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

export function printReport(report: Report): void {
  const rows: [string, string, string, string][] = [];
  const s = report.sections;
  if (s.throughput) {
    rows.push([
      'raw ceiling (MQTT.js subscriber that only counts)',
      `${fmt(s.throughput.raw.per_s)} readings/s`,
      'baseline',
      '',
    ]);
    rows.push([
      'ingest into DuckDB',
      `${fmt(s.throughput.ingest_duckdb.per_s)} readings/s`,
      '≥ 0.8 × raw',
      `${fmt(s.throughput.ratio)} × — ${verdict(s.throughput.ratio >= 0.8)}`,
    ]);
    if (s.throughput.pairs.length > 1)
      rows.push([
        `  … ratio of each of ${s.throughput.pairs.length} pairs (the median above)`,
        s.throughput.pairs.map((p) => fmt(p.ratio)).join(' / '),
        '',
        '',
      ]);
    if (s.throughput.cpu_ratio !== null)
      rows.push([
        '  … CPU per reading of the whole path, raw ÷ ingest (median)',
        `${fmt(s.throughput.cpu_ratio)} ×`,
        '',
        '',
      ]);
    const [raw, ours] = [s.throughput.raw.cpu_us_per_reading, s.throughput.ingest_duckdb.cpu_us_per_reading];
    if (raw && ours) {
      const cell = (c: typeof raw) => `${c.consumer} / ${c.broker} / ${c.publisher}`;
      rows.push(['CPU µs per reading, consumer / Mosquitto / publisher: raw', cell(raw), '', '']);
      rows.push(['  … the same for the server ingest', cell(ours), '', '']);
      const main = s.throughput.ingest_duckdb.server_main_thread_us_per_reading;
      if (main !== undefined)
        rows.push([
          "  … of the server's, main thread / other threads",
          `${main} / ${Math.round((ours.consumer - main) * 10) / 10}`,
          '',
          '',
        ]);
      const threads = s.throughput.ingest_duckdb.server_threads_us_per_reading;
      if (threads)
        rows.push([
          '  … by thread: main / V8 workers / libuv+DuckDB / other',
          `${threads.main} / ${threads.v8} / ${threads.libuv} / ${threads.other}`,
          '',
          '',
        ]);
    }
  }
  for (const l of s.latency ?? []) {
    const target = l.rate === 5000;
    rows.push([
      `latency publish → WS frame at ${fmt(l.rate)}/s, frames every ${l.frame_ms} ms`,
      `p50 ${l.p50_ms} / p95 ${l.p95_ms} / p99 ${l.p99_ms} ms`,
      target ? 'p99 ≤ 100 ms' : '',
      target ? verdict(l.p99_ms <= 100) : '',
    ]);
  }
  for (const f of s.fanout ?? []) {
    const target = f.clients === 500;
    const healthy = f.starved_clients === 0 && f.closed_clients === 0;
    rows.push([
      `WS fan-out, ${fmt(f.clients)} sockets at ${fmt(f.rate)} readings/s`,
      `frame delay p50 ${f.p50_ms} / p99 ${f.p99_ms} ms; ${healthy ? 'none starved' : `${f.starved_clients} starved, ${f.closed_clients} closed`}; server ${f.server_cpu_percent_of_one_core} % of a core`,
      target ? 'p99 ≤ 250 ms, none starved' : '',
      target ? verdict(f.p99_ms <= 250 && healthy) : '',
    ]);
  }
  for (const m of s.memory ?? []) {
    rows.push([
      `server RSS, ${fmt(m.devices)} devices`,
      `${m.rss_mb} MB`,
      m.devices === 50_000 ? '≤ 400 MB' : '',
      m.devices === 50_000 ? verdict(m.rss_mb <= 400) : '',
    ]);
  }
  for (const q of s.queries?.results ?? []) {
    rows.push([
      `/api/series 30 d: ${q.scope} (${q.buckets} buckets)`,
      `p50 ${q.p50_ms} / p99 ${q.p99_ms} ms`,
      '',
      '',
    ]);
  }
  for (const e of [s.evidence, s.evidence_influx]) {
    if (!e) continue;
    if ('skipped' in e) {
      rows.push(['evidence on InfluxDB', 'skipped', e.skipped, '']);
      continue;
    }
    const fleet = Object.entries(e.fleet)
      .map(([domain, n]) => `${n} ${domain}`)
      .join(', ');
    rows.push([
      `evidence (${e.store}): ${fleet}, ${e.from} to ${e.to}`,
      `${fmt(e.seed.readings)} readings written in ${e.seed.seconds} s${e.seed.cached ? ' (an earlier run, cached)' : ''}; rolled up in ${e.seed.rollups_s} s${e.seed.aggregates_s === null ? '' : `, series aggregates ${e.seed.aggregates_s} s`}; server start ${e.startup_s} s`,
      '',
      '',
    ]);
    for (const x of e.effects) {
      rows.push([
        `  effects ${x.experiment}, cold (${x.cold.requests} windows)`,
        `p50 ${fmt(x.cold.p50_ms)} / p99 ${fmt(x.cold.p99_ms)} ms`,
        'p50 ≤ 2,000 ms',
        verdict(x.cold.p50_ms <= 2000),
      ]);
      rows.push([
        `  effects ${x.experiment}, warm (${x.warm.requests})`,
        `p50 ${fmt(x.warm.p50_ms)} / p99 ${fmt(x.warm.p99_ms)} ms`,
        'p99 ≤ 50 ms',
        verdict(x.warm.p99_ms <= 50),
      ]);
    }
    for (const x of e.series) {
      rows.push([
        `  series: pilot ${x.pilot} (${x.devices} devices) ${x.metric} ${x.agg}, daily, ${x.buckets} days`,
        `p50 ${fmt(x.timing.p50_ms)} / p99 ${fmt(x.timing.p99_ms)} ms`,
        'p99 ≤ 250 ms',
        verdict(x.timing.p99_ms <= 250),
      ]);
    }
  }
  if (s.node_red && 'skipped' in s.node_red) rows.push(['Node-RED peer', 'skipped', s.node_red.skipped, '']);
  else if (s.node_red) {
    rows.push([
      `Node-RED ${s.node_red.versions['node-red']} mqtt → json → influxdb out`,
      `${fmt(s.node_red.node_red.per_s)} readings/s${s.node_red.node_red.complete ? '' : ' (stalled before all arrived)'}`,
      'baseline',
      '',
    ]);
    rows.push([
      'ours, ingest into InfluxDB',
      `${fmt(s.node_red.ours_influx.per_s)} readings/s`,
      '≥ 3 × Node-RED',
      `${fmt(s.node_red.ratio)} × — ${verdict(s.node_red.ratio >= 3)}`,
    ]);
    // The raw ceiling of the same run (when measured) puts the InfluxDB path on the ingest's scale too.
    if (s.throughput)
      rows.push([
        '  … as a share of the raw ceiling',
        `${fmt(s.node_red.ours_influx.per_s / s.throughput.raw.per_s)} × raw`,
        '',
        '',
      ]);
  }
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' │ ');
  process.stdout.write(
    `\nKutaisi telemetry benchmark ${report.at} (${report.quick ? 'quick' : 'full'}; Node ${String(report.machine.node)}, ${String(report.machine.cpus)} cores)\n\n`,
  );
  process.stdout.write(
    `${line(['measure', 'result', 'target', 'verdict'])}\n${widths.map((w) => '─'.repeat(w)).join('─┼─')}\n`,
  );
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
  process.stdout.write('\nJSON: bench/results/latest.json\n');
}
