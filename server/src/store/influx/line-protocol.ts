/** Readings as InfluxDB line protocol: measurement per domain, tags device and site, one float field per metric, ms precision. */
import { Point } from '@influxdata/influxdb-client';
import type { Reading } from '../../contract/index.js';

export function toLines(readings: readonly Reading[]): string[] {
  const lines: string[] = [];
  for (const r of readings) {
    const point = new Point(r.domain).tag('device', r.device).tag('site', r.site).timestamp(r.ts);
    for (const [metric, value] of Object.entries(r.metrics)) point.floatField(metric, value);
    const line = point.toLineProtocol();
    if (line) lines.push(line);
  }
  return lines;
}

export function fieldCount(readings: readonly Reading[]): number {
  return readings.reduce((n, r) => n + Object.keys(r.metrics).length, 0);
}
