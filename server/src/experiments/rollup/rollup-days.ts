/**
 * The analysis' daily KPI tables from the rollups, equal to what the domain code computes from
 * raw readings over the window. Interior dates come from the records, which were computed with
 * the days around them; a window sees the same readings around such a date when the nearest
 * readings the record saw lie inside the window (and close enough that a later reading between
 * them would have recomputed it), or when neither saw any. The window's first and last date are
 * computed from raw readings as the window sees them (their neighbours outside it are left out),
 * from two small loads for every device. A device whose readings changed since the last refresh,
 * or a date no record can stand for, is computed from raw readings over the whole window.
 */
import type { DeviceConfig } from '../../config/portfolio-schema.js';
import { addDays, datesBetween } from '../../calendar/city-calendar.js';
import type { FillRateParts } from '../../domains/waste/collections.js';
import type { DevicePoints } from '../../store/rollup-port.js';
import type { AnalysisWindow, DomainDays } from '../experiment-data.js';
import {
  adapterFor,
  bucketTimes,
  type DayRow,
  type DomainAdapter,
  type PilotDomain,
} from './domain-adapters.js';
import type { KpiRollup } from './kpi-rollup.js';
import { PointsStore, lowerBound } from './points-store.js';
import { decodeDay, type RollupDay } from './rollup-records.js';

interface DeviceResult {
  rows: DayRow[];
  parts: FillRateParts;
}

const add = (a: FillRateParts, b: FillRateParts | undefined) => ({
  rise: a.rise + (b?.rise ?? 0),
  ms: a.ms + (b?.ms ?? 0),
});
const NONE: FillRateParts = { rise: 0, ms: 0 };

export async function rollupDomainDays(
  rollup: KpiRollup,
  domain: PilotDomain,
  devices: readonly DeviceConfig[],
  window: AnalysisWindow,
): Promise<DomainDays> {
  const { calendar, storage } = rollup;
  const points = rollup.store.points?.bind(rollup.store);
  if (!points) throw new Error('the store hands out no raw points');
  const adapter = adapterFor(domain) as DomainAdapter;
  const first = calendar.dateOf(window.from);
  const last = calendar.dateOf(window.to - 1);
  const k = Math.max(1, ...devices.map((d) => adapter.contextDays(d)));
  const metrics = [...new Set(devices.flatMap((d) => adapter.metrics(d)))];
  const load = async (ids: readonly string[], from: number, to: number) =>
    ids.length === 0 || from >= to
      ? new Map<string, DevicePoints>()
      : await points({ devices: ids, metrics, from, to });

  // Devices whose records may be out of date where this window reads them; short windows are all edge.
  const { dirty } = await rollup.pending();
  const [lo, hi] = [addDays(first, -k - 1), addDays(last, k + 1)];
  const short = datesBetween(first, last).length <= 2 * k + 2;
  const raw = new Set(
    devices
      .filter((d) => short || [...(dirty.get(d.id) ?? [])].some((date) => date >= lo && date <= hi))
      .map((d) => d.id),
  );
  const fromRollup = devices.filter((d) => !raw.has(d.id)).map((d) => d.id);
  const records = new Map<string, Map<string, RollupDay>>();
  for (const stored of await storage.readDays(fromRollup, first, last)) {
    const byDate = records.get(stored.device) ?? new Map<string, RollupDay>();
    byDate.set(stored.date, decodeDay(stored));
    records.set(stored.device, byDate);
  }
  const endFirst = Math.min(window.to, calendar.startOf(addDays(first, 1 + k)));
  const startLast = Math.max(window.from, calendar.startOf(addDays(last, -k)));
  const edges = {
    first: new PointsStore(await load(fromRollup, window.from, endFirst)),
    last: new PointsStore(await load(fromRollup, startLast, window.to)),
  };

  const results = new Map<string, DeviceResult>();
  for (const device of devices) {
    if (raw.has(device.id)) continue;
    const result = await fromRecords(
      rollup,
      adapter,
      device,
      window,
      records.get(device.id) ?? new Map(),
      edges,
      k,
    );
    if (result) results.set(device.id, result);
    else raw.add(device.id);
  }
  rollup.noteServed(devices.length - raw.size, raw.size);
  if (raw.size > 0) {
    const memory = new PointsStore(await load([...raw], window.from, window.to));
    for (const device of devices.filter((d) => raw.has(d.id))) {
      const rows = await adapter.rows(memory, device, calendar, window.from, window.to, rollup.settings);
      let parts = NONE;
      if (adapter.dayParts) {
        for (const p of (
          await adapter.dayParts(memory, device, calendar, window.from, window.to, rollup.settings)
        ).values())
          parts = add(parts, p);
      }
      results.set(device.id, { rows, parts });
    }
  }
  const ordered = devices.map((d) => results.get(d.id) as DeviceResult);
  const days = ordered.flatMap((r) => r.rows);
  return adapter.assemble(
    devices,
    days,
    ordered.map((r) => r.parts),
  );
}

interface GridDay {
  date: string;
  start: number;
  end: number;
  /** The oldest reading before the date a record may have seen and still stand for it in this window. */
  earliestPrev: number;
  /** The newest after it, exclusive. */
  latestNext: number;
}

/** The window's interior dates with their bounds, per context length (shared by every device of a window). */
const grids = new WeakMap<AnalysisWindow, Map<number, GridDay[]>>();
function grid(calendar: KpiRollup['calendar'], window: AnalysisWindow, k: number): GridDay[] {
  let byK = grids.get(window);
  if (!byK) grids.set(window, (byK = new Map<number, GridDay[]>()));
  let days = byK.get(k);
  if (days) return days;
  days = [];
  const last = calendar.dateOf(window.to - 1);
  for (let date = addDays(calendar.dateOf(window.from), 1); date < last; date = addDays(date, 1)) {
    days.push({
      date,
      start: calendar.startOf(date),
      end: calendar.startOf(addDays(date, 1)),
      earliestPrev: Math.max(window.from, calendar.startOf(addDays(date, -k))),
      latestNext: Math.min(window.to, calendar.startOf(addDays(date, 1 + k))),
    });
  }
  byK.set(k, days);
  return days;
}

/** One device's rows from its records and the two edge computations; undefined when a record cannot stand for its date. */
async function fromRecords(
  rollup: KpiRollup,
  adapter: DomainAdapter,
  device: DeviceConfig,
  window: AnalysisWindow,
  records: ReadonlyMap<string, RollupDay>,
  edges: { first: PointsStore; last: PointsStore },
  k: number,
): Promise<DeviceResult | undefined> {
  const { calendar, settings } = rollup;
  const first = calendar.dateOf(window.from);
  const last = calendar.dateOf(window.to - 1);
  const dataDates = [...records.entries()]
    .filter(([, r]) => r.n > 0)
    .map(([date]) => date)
    .sort();
  const dataBefore = (date: string) => dataDates.length > 0 && (dataDates[0] as string) < date;
  const dataAfter = (date: string) =>
    dataDates.length > 0 && (dataDates[dataDates.length - 1] as string) > date;
  const dayParts = adapter.dayParts;

  // The first date as the window sees it: no reading before it, the next ones as far as the context reaches.
  const endFirst = Math.min(window.to, calendar.startOf(addDays(first, 1 + k)));
  const afterFirst = calendar.startOf(addDays(first, 1));
  const timesFirst = await bucketTimes(edges.first, adapter, device, window.from, endFirst);
  // Its row depends on the reading after its last one: the window's may lie beyond the context (an outage).
  const successorSeen = lowerBound(timesFirst, afterFirst) < timesFirst.length;
  if (lowerBound(timesFirst, afterFirst) > 0 && !successorSeen && dataAfter(first)) return undefined;
  const rowsFirst = (
    await adapter.rows(edges.first, device, calendar, window.from, endFirst, settings)
  ).filter((r) => r.date <= first);
  let parts = dayParts
    ? add(NONE, (await dayParts(edges.first, device, calendar, window.from, endFirst, settings)).get(first))
    : NONE;
  if (first === last) return { rows: rowsFirst, parts };

  const rows: DayRow[] = [...rowsFirst];
  for (const { date, start, end, earliestPrev, latestNext } of grid(calendar, window, k)) {
    const day = records.get(date);
    if (!day) continue;
    const prevOk = day.prev === null ? !dataBefore(date) : day.prev >= earliestPrev;
    const nextOk = day.next === null ? !dataAfter(date) : day.next < latestNext;
    if (!prevOk || !nextOk || start < window.from || end > window.to) return undefined;
    if (day.row) rows.push(day.row);
    if (dayParts) parts = add(parts, { rise: day.rise ?? 0, ms: day.ms ?? 0 });
  }

  // The last date as the window sees it: the readings before it as far as the context reaches, none after.
  const startLast = Math.max(window.from, calendar.startOf(addDays(last, -k)));
  const timesLast = await bucketTimes(edges.last, adapter, device, startLast, window.to);
  const predecessorSeen = lowerBound(timesLast, calendar.startOf(last)) > 0;
  const lastHasData = lowerBound(timesLast, calendar.startOf(last)) < timesLast.length;
  if (lastHasData && !predecessorSeen && dataBefore(last)) return undefined;
  rows.push(
    ...(await adapter.rows(edges.last, device, calendar, startLast, window.to, settings)).filter(
      (r) => r.date === last,
    ),
  );
  if (dayParts)
    parts = add(
      parts,
      (await dayParts(edges.last, device, calendar, startLast, window.to, settings)).get(last),
    );
  return { rows, parts };
}
