/** InfluxQL statements and response parsing for the port's reads. Pure functions, no I/O. */
import { DOMAINS, METRICS, type Domain } from '../../contract/index.js';
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

/** Measurements (domains) holding a metric: a name such as `temp_c` is a field of more than one. */
const domainsOfMetric = new Map<string, Domain[]>();
for (const domain of DOMAINS)
  for (const { name } of METRICS[domain])
    domainsOfMetric.set(name, [...(domainsOfMetric.get(name) ?? []), domain]);

/** The metric every reading of a domain carries, used to find the newest reading per device. */
export const PRESENCE_METRIC: Record<Domain, string> = {
  weather: 'temp_c',
  waste: 'fill',
  mobility: 'interval_s',
  energy: 'energy_kwh',
};

export function measurementsOf(metric: string): readonly Domain[] {
  return domainsOfMetric.get(metric) ?? [];
}

/** One measurement by name, several by a regular expression (each answers as a series of its own). */
function fromClause(measurements: readonly Domain[]): string {
  return measurements.length === 1 ? `"${measurements[0]}"` : `/^(${measurements.join('|')})$/`;
}

/** `"device" =~ /^(a|b)$/`; ids are checked against the contract pattern first, so nothing needs escaping. */
export function deviceMatch(devices: readonly string[]): string {
  sqlStringList(devices);
  return `"device" =~ /^(${devices.join('|')})$/`;
}

export function seriesStatement(
  selector: SeriesSelector,
  query: SeriesQuery,
  measurements: readonly Domain[],
): string {
  return (
    `SELECT ${FUNCTION[query.agg]}("${query.metric}") AS v FROM ${fromClause(measurements)} ` +
    `WHERE ${deviceMatch(selector.devices)} AND time >= ${query.from}ms AND time < ${query.to}ms ` +
    `GROUP BY time(${query.step}ms) fill(null)`
  );
}

/** Raw points of some metrics per device, in time order (the rollups' loads). */
export function pointsStatement(
  devices: readonly string[],
  metrics: readonly string[],
  measurements: readonly Domain[],
  from: number,
  to: number,
): string {
  return (
    `SELECT ${metrics.map((m) => `"${m}"`).join(', ')} FROM ${fromClause(measurements)} ` +
    `WHERE ${deviceMatch(devices)} AND time >= ${from}ms AND time < ${to}ms GROUP BY "device"`
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
  return `SELECT COUNT(*) FROM ${DOMAINS.map((d) => `"${d}"`).join(',')}${where}`;
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
