/**
 * The rollups' storage in InfluxDB: records in the measurement `kpi_days` (tag device, string
 * field data, time = the date's UTC midnight; an empty data field removes a record), the mark in
 * `rollup_marks`, and a change journal written with the readings themselves: every write of
 * readings also writes, in the same request, one point per device and UTC day it touched to
 * `rollup_changes` (time = the day, field `written` = a number that grows with each write), so no
 * change is lost to a crash between the two. A refresh reads the journal back with an overlap of a
 * minute, which covers instances of a cluster whose clocks differ by less (until that refresh an
 * analysis may read a record that a skewed peer's late reading changed).
 */
import { Point } from '@influxdata/influxdb-client';
import type { Reading } from '../../contract/index.js';
import { UTC_DAY_MS, type ChangeSet, type RollupStorage, type StoredDay } from '../rollup-port.js';
import { deviceMatch, seriesByStatement, type InfluxQueryResponse } from './influxql.js';

const OVERLAP_MS = 60_000;

export class InfluxRollups implements RollupStorage {
  readonly refreshOverlap = OVERLAP_MS;
  /** A month of one device is about 3,000 points: a load of 50 stays a few megabytes of JSON. */
  readonly devicesPerLoad = 50;
  private lastWritten = 0;

  constructor(
    private readonly query: (statements: string[]) => Promise<InfluxQueryResponse>,
    private readonly writeLines: (lines: string[]) => Promise<void>,
  ) {}

  /** Journal lines for a write of readings: one per device and UTC day. */
  journal(readings: readonly Reading[]): string[] {
    this.lastWritten = Math.max(Date.now(), this.lastWritten + 1);
    const seen = new Set<string>();
    const lines: string[] = [];
    for (const r of readings) {
      const day = Math.floor(r.ts / UTC_DAY_MS) * UTC_DAY_MS;
      const key = `${r.device}|${day}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const line = new Point('rollup_changes')
        .tag('device', r.device)
        .intField('written', this.lastWritten)
        .timestamp(day)
        .toLineProtocol();
      if (line) lines.push(line);
    }
    return lines;
  }

  async changesSince(mark: number | undefined): Promise<ChangeSet> {
    const where = mark === undefined ? '' : ` WHERE "written" > ${Math.floor(mark)}`;
    const [series = []] = seriesByStatement(
      await this.query([`SELECT "written" FROM "rollup_changes"${where} GROUP BY "device"`]),
      1,
    );
    let newest = mark ?? 0;
    const changes: ChangeSet['changes'] = [];
    for (const s of series) {
      const device = s.tags?.device;
      if (!device) continue;
      for (const [time, written] of s.values) {
        changes.push({ device, day: Number(time) });
        newest = Math.max(newest, Number(written));
      }
    }
    return { mark: newest, changes };
  }

  async readDays(devices: readonly string[], fromDate: string, toDate: string): Promise<StoredDay[]> {
    if (devices.length === 0) return [];
    const [series = []] = seriesByStatement(
      await this.query([
        `SELECT "data" FROM "kpi_days" WHERE ${deviceMatch(devices)} AND time >= ${dateMs(fromDate)}ms AND time <= ${dateMs(toDate)}ms GROUP BY "device"`,
      ]),
      1,
    );
    const out: StoredDay[] = [];
    for (const s of series) {
      const device = s.tags?.device;
      if (!device) continue;
      for (const [time, data] of s.values) {
        if (typeof data !== 'string' || data === '') continue;
        out.push({ device, date: new Date(Number(time)).toISOString().slice(0, 10), data });
      }
    }
    return out;
  }

  async writeDays(
    days: readonly StoredDay[],
    removed: readonly { device: string; date: string }[],
    mark: number | undefined,
  ): Promise<void> {
    const line = (device: string, date: string, data: string) =>
      new Point('kpi_days')
        .tag('device', device)
        .stringField('data', data)
        .timestamp(dateMs(date))
        .toLineProtocol() ?? '';
    const lines = [
      ...days.map((d) => line(d.device, d.date, d.data)),
      ...removed.map((r) => line(r.device, r.date, '')),
    ];
    if (mark !== undefined)
      lines.push(
        new Point('rollup_marks')
          .tag('name', 'kpi_days')
          .intField('mark', Math.floor(mark))
          .timestamp(0)
          .toLineProtocol() ?? '',
      );
    for (let i = 0; i < lines.length; i += 5_000) await this.writeLines(lines.slice(i, i + 5_000));
  }

  async readMark(): Promise<number | undefined> {
    const [series = []] = seriesByStatement(
      await this.query([`SELECT LAST("mark") FROM "rollup_marks" WHERE "name" = 'kpi_days'`]),
      1,
    );
    const value = series[0]?.values[0]?.[1];
    return typeof value === 'number' ? value : undefined;
  }
}

function dateMs(date: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`refusing date in query: ${JSON.stringify(date)}`);
  return Date.parse(`${date}T00:00:00Z`);
}
