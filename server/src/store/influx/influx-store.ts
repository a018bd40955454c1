/**
 * InfluxDB production store. Writes go through the client library's WriteApi
 * (line protocol, gzip, error classification, Retry-After); the ingest's
 * StoreWriter owns the retry loop, so a batch is acknowledged only once InfluxDB
 * accepted it and the buffer is bounded by its back-pressure. Reads are InfluxQL
 * over /query, which InfluxDB 1.x, 2.x (DBRP mappings) and 3.x all serve.
 */
import { HttpError, InfluxDB, setLogger, type WriteApi } from '@influxdata/influxdb-client';
import type { Domain, Reading } from '../../contract/index.js';
import { DOMAINS, METRICS } from '../../contract/index.js';
import type { InfluxSettings } from '../../config/settings.js';
import {
  bucketStarts,
  type LatestValue,
  type SeriesQuery,
  type SeriesResult,
  type StoreHealth,
  type TelemetryStore,
  type WriteResult,
} from '../port.js';
import { checkReachable, ensureV1Database, ensureV2Bucket, requester, type Request } from './influx-setup.js';
import {
  PRESENCE_METRIC,
  countStatement,
  lastPerDeviceStatement,
  measurementsOf,
  pointsStatement,
  seriesByStatement,
  seriesStatement,
  sumCounts,
  type InfluxQueryResponse,
} from './influxql.js';
import type { DevicePoints, PointsQuery, RollupStorage } from '../rollup-port.js';
import { InfluxRollups } from './influx-rollups.js';
import { fieldCount, toLines } from './line-protocol.js';
import { v1Params, v1WriteTransport } from './v1-write-transport.js';

/** A write failure with the delay InfluxDB asked for (Retry-After) or the library's backoff. */
export class InfluxWriteError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
    readonly retriable: boolean,
  ) {
    super(message);
  }
}

// The ingest's StoreWriter logs write failures once per burst; the library would log every attempt.
setLogger({ error: () => undefined, warn: () => undefined });

export class InfluxStore implements TelemetryStore {
  readonly kind = 'influxdb';
  private readonly client: InfluxDB;
  private readonly writeApi: WriteApi;
  /** The rollups' own writes: a failure there must not fail (or be retried as) a write of readings. */
  private readonly rollupWriteApi: WriteApi;
  private readonly rollupStorage: InfluxRollups;
  private readonly request: Request;
  private opened = false;
  private lastWriteFailed = false;

  constructor(
    private readonly settings: InfluxSettings,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    const base = new InfluxDB({ url: settings.url, token: settings.token ?? '', timeout: 30_000 });
    this.client =
      settings.api === 'v1'
        ? new InfluxDB({ url: settings.url, transport: v1WriteTransport(base.transport, settings) })
        : base;
    this.writeApi = this.client.getWriteApi(settings.org || '-', settings.bucket, 'ms', {
      // The StoreWriter decides when to write and retries; the library sends one batch per flush.
      batchSize: 1_000_000,
      maxBatchBytes: 256 * 1024 * 1024,
      flushInterval: 0,
      maxRetries: 0,
      gzipThreshold: 1000,
    });
    this.request = requester(this.client.transport);
    this.rollupWriteApi = this.client.getWriteApi(settings.org || '-', settings.bucket, 'ms', {
      batchSize: 1_000_000,
      maxBatchBytes: 256 * 1024 * 1024,
      flushInterval: 0,
      maxRetries: 0,
      gzipThreshold: 1000,
    });
    this.rollupStorage = new InfluxRollups(
      (statements) => this.query(statements),
      async (lines) => {
        this.rollupWriteApi.writeRecords(lines);
        await this.rollupWriteApi.flush();
      },
    );
  }

  rollups(): RollupStorage {
    return this.rollupStorage;
  }

  /** Raw readings of some metrics per device in time order (only points holding one of them). */
  async points(query: PointsQuery): Promise<Map<string, DevicePoints>> {
    const out = new Map<string, DevicePoints>();
    const metrics = query.metrics.filter((m) => measurementsOf(m).length > 0);
    if (query.devices.length === 0 || metrics.length === 0) return out;
    const measurements = [...new Set(metrics.flatMap((m) => measurementsOf(m)))];
    const [series = []] = seriesByStatement(
      await this.query([pointsStatement(query.devices, metrics, measurements, query.from, query.to)]),
      1,
    );
    for (const s of series) {
      const device = s.tags?.device;
      if (!device) continue;
      const columns = metrics.map((m) => s.columns.indexOf(m));
      const points: DevicePoints = out.get(device) ?? {
        t: [],
        values: Object.fromEntries(metrics.map((m) => [m, []])),
      };
      for (const row of s.values) {
        if (columns.every((c) => c < 0 || row[c] === null || row[c] === undefined)) continue;
        points.t.push(Number(row[0]));
        metrics.forEach((m, k) => {
          const cell = row[columns[k] as number];
          points.values[m]?.push(typeof cell === 'number' ? cell : null);
        });
      }
      out.set(device, points);
    }
    return out;
  }

  async open(): Promise<void> {
    await checkReachable(this.request, this.settings);
    if (this.settings.api === 'v1') await ensureV1Database(this.request, this.settings);
    else await ensureV2Bucket(this.request, this.settings, this.log);
    this.opened = true;
  }

  async write(readings: readonly Reading[]): Promise<WriteResult> {
    // The rollups' change journal goes in the same request as the readings (influx-rollups.ts).
    this.writeApi.writeRecords([...toLines(readings), ...this.rollupStorage.journal(readings)]);
    try {
      await this.writeApi.flush();
    } catch (error) {
      this.lastWriteFailed = true;
      const status = error instanceof HttpError ? error.statusCode : undefined;
      // 400 is a partial write: InfluxDB stored the good points and refuses the rest for good; retrying cannot help.
      if (status === 400) {
        this.lastWriteFailed = false;
        this.log(`influx: partial write refused by the server: ${(error as Error).message.slice(0, 200)}`);
        return { inserted: fieldCount(readings), duplicates: 0 };
      }
      // Retry-After is in seconds (RFC 9110) and the library hands it over unscaled; without it the StoreWriter backs off.
      const retryAfterMs = error instanceof HttpError ? error.retryAfter() * 1000 : 0;
      throw new InfluxWriteError(
        `InfluxDB write failed: ${(error as Error).message.split('\n')[0]}`,
        retryAfterMs,
        true,
      );
    }
    this.lastWriteFailed = false;
    // InfluxDB overwrites a point with the same series and time, so a re-delivery cannot double-count; it cannot tell us which were new.
    return { inserted: fieldCount(readings), duplicates: 0 };
  }

  private async query(statements: string[]): Promise<InfluxQueryResponse> {
    const params =
      this.settings.api === 'v1'
        ? v1Params(this.settings)
        : new URLSearchParams({ db: this.settings.bucket });
    params.set('epoch', 'ms');
    const body = `q=${encodeURIComponent(statements.join(';\n'))}`;
    return (await this.request(`/query?${params.toString()}`, body, 'POST')) as InfluxQueryResponse;
  }

  async series(query: SeriesQuery): Promise<SeriesResult> {
    const t = bucketStarts(query.from, query.to, query.step);
    const index = new Map(t.map((start, i) => [start, i]));
    const measurements = measurementsOf(query.metric);
    const empty = () => new Array<number | null>(t.length).fill(null);
    const asked = query.selectors.filter((s) => s.devices.length > 0);
    const answers =
      measurements.length > 0 && asked.length > 0
        ? seriesByStatement(
            await this.query(asked.map((s) => seriesStatement(s, query, measurements))),
            asked.length,
          )
        : [];
    return {
      t,
      series: query.selectors.map((selector) => {
        const values = empty();
        const found = answers[asked.indexOf(selector)] ?? [];
        // A device is in one measurement: of several answered, the others hold only empty buckets.
        for (const s of found)
          for (const row of s.values) {
            const i = index.get(Number(row[0]));
            if (i !== undefined && typeof row[1] === 'number') values[i] = row[1];
          }
        return { key: selector.key, metric: query.metric, values };
      }),
    };
  }

  async latest(devices: readonly string[]): Promise<Map<string, Record<string, LatestValue>>> {
    const latest = new Map<string, Record<string, LatestValue>>();
    if (devices.length === 0) return latest;
    const statements: { metric: string; sql: string }[] = DOMAINS.flatMap((domain) =>
      METRICS[domain].map((m) => ({ metric: m.name, sql: lastPerDeviceStatement(domain, m.name, devices) })),
    );
    const answers = seriesByStatement(await this.query(statements.map((s) => s.sql)), statements.length);
    statements.forEach(({ metric }, i) => {
      for (const s of answers[i] ?? []) {
        const device = s.tags?.device;
        const row = s.values[0];
        if (!device || !row || typeof row[1] !== 'number') continue;
        const entry = latest.get(device) ?? {};
        entry[metric] = { value: row[1], ts: Number(row[0]) };
        latest.set(device, entry);
      }
    });
    return latest;
  }

  async lastSeen(): Promise<Map<string, number>> {
    const domains: Domain[] = [...DOMAINS];
    const answers = seriesByStatement(
      await this.query(domains.map((d) => lastPerDeviceStatement(d, PRESENCE_METRIC[d]))),
      domains.length,
    );
    const seen = new Map<string, number>();
    for (const s of answers.flat()) {
      const device = s.tags?.device;
      const ts = s.values[0]?.[0];
      if (device && ts !== undefined && ts !== null)
        seen.set(device, Math.max(seen.get(device) ?? 0, Number(ts)));
    }
    return seen;
  }

  async countRows(device?: string): Promise<number> {
    return sumCounts(seriesByStatement(await this.query([countStatement(device)]), 1)[0] ?? []);
  }

  health(): StoreHealth {
    if (!this.opened) return 'down';
    return this.lastWriteFailed ? 'degraded' : 'ok';
  }

  async close(): Promise<void> {
    await this.writeApi.close().catch(() => undefined);
    await this.rollupWriteApi.close().catch(() => undefined);
    this.opened = false;
  }
}
