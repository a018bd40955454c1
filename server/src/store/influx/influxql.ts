/** InfluxQL statements and response parsing for the port's reads. Pure functions, no I/O. */
import { METRICS, type Domain } from '../../contract/index.js';
import type { Aggregate, SeriesQuery, SeriesSelector } from '../port.js';
import { sqlStringList } from '../sql-safe.js';

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: (string | number | null)[][];
}

export interface InfluxQueryResponse {
  results?: { statement_id: number; series?: InfluxSeries[]; error?: string }[];
  error?: string;
}

const FUNCTION: Record<Aggregate, string> = {
  mean: 'MEAN',
  min: 'MIN',
  max: 'MAX',
  sum: 'SUM',
  last: 'LAST',
  count: 'COUNT',
};

const domainOfMetric = new Map<string, Domain>(
  (Object.entries(METRICS) as [Domain, readonly { name: string }[]][]).flatMap(([domain, metrics]) =>
    metrics.map((m) => [m.name, domain] as const),
  ),
);

/** The metric every reading of a domain carries, used to find the newest reading per device. */
export const PRESENCE_METRIC: Record<Domain, string> = {
  waste: 'fill',
  mobility: 'interval_s',
  energy: 'energy_kwh',
};

export function measurementOf(metric: string): Domain | undefined {
  return domainOfMetric.get(metric);
}

/** `"device" =~ /^(a|b)$/`; ids are checked against the contract pattern first, so nothing needs escaping. */
export function deviceMatch(devices: readonly string[]): string {
  sqlStringList(devices);
  return `"device" =~ /^(${devices.join('|')})$/`;
}

export function seriesStatement(selector: SeriesSelector, query: SeriesQuery, measurement: Domain): string {
  return (
    `SELECT ${FUNCTION[query.agg]}("${query.metric}") AS v FROM "${measurement}" ` +
    `WHERE ${deviceMatch(selector.devices)} AND time >= ${query.from}ms AND time < ${query.to}ms ` +
    `GROUP BY time(${query.step}ms) fill(null)`
  );
}

export function lastPerDeviceStatement(
  measurement: Domain,
  metric: string,
  devices?: readonly string[],
): string {
  const where = devices ? ` WHERE ${deviceMatch(devices)}` : '';
  return `SELECT LAST("${metric}") AS v FROM "${measurement}"${where} GROUP BY "device"`;
}

export function countStatement(device?: string): string {
  const where = device === undefined ? '' : ` WHERE ${deviceMatch([device])}`;
  return `SELECT COUNT(*) FROM "waste","mobility","energy"${where}`;
}

/** Every series of each statement, in statement order; throws on a statement error. */
export function seriesByStatement(response: InfluxQueryResponse, statements: number): InfluxSeries[][] {
  if (response.error) throw new Error(`InfluxDB query failed: ${response.error}`);
  const out: InfluxSeries[][] = Array.from({ length: statements }, () => []);
  for (const result of response.results ?? []) {
    if (result.error) throw new Error(`InfluxDB query failed: ${result.error}`);
    out[result.statement_id] = result.series ?? [];
  }
  return out;
}

/** Sum of every numeric cell except the time column: COUNT(*) answers one column per field. */
export function sumCounts(series: readonly InfluxSeries[]): number {
  let total = 0;
  for (const s of series) {
    for (const row of s.values) {
      for (let i = 1; i < row.length; i += 1) {
        const cell = row[i];
        if (typeof cell === 'number') total += cell;
      }
    }
  }
  return total;
}
