/**
 * Daily rollups of the KPIs' inputs: one record per device and local date (rollup-records.ts),
 * kept in the store (store.rollups()) and brought up to date by refresh(): the store tells which
 * readings changed since the last refresh (new ones, late ones, completed ones), every record
 * whose computation could have seen them is recomputed by the domain's own code from the raw
 * points, and the new mark is kept with them. The analysis reads the records (rollup-days.ts)
 * and recomputes from raw only what a record cannot stand for.
 */
import type { Registry } from '../../config/registry.js';
import { PILOT_DOMAINS, type DeviceConfig } from '../../config/portfolio-schema.js';
import { addDays, type LocalCalendar } from '../../calendar/city-calendar.js';
import type { TelemetryStore } from '../../store/port.js';
import { UTC_DAY_MS, type RollupStorage, type StoredDay } from '../../store/rollup-port.js';
import type { AnalysisSettings } from '../settings.js';
import { adapterFor } from './domain-adapters.js';
import { PointsStore } from './points-store.js';
import { computeDays, encodeDay } from './rollup-records.js';
import { SerialRefresh } from '../../store/serial-refresh.js';

/** How often the server brings the records up to date (and at start-up). */
export const ROLLUP_REFRESH_MS = 60_000;
/** Dates recomputed from one load of raw points. */
const CHUNK_DAYS = 31;

export interface RollupStatus {
  /** The store's mark the records are complete up to; undefined before the first refresh. */
  mark: number | undefined;
  refreshing: boolean;
  last_refresh: { at: string; devices: number; dates: number; ms: number } | null;
  last_error: string | null;
  /** Device-windows the analyses took from the records, and those computed from raw readings. */
  served: { from_records: number; from_raw: number };
}

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

export class KpiRollup {
  private readonly refresher = new SerialRefresh(() => this.refreshOnce());
  private timer: NodeJS.Timeout | undefined;
  private state: RollupStatus = {
    mark: undefined,
    refreshing: false,
    last_refresh: null,
    last_error: null,
    served: { from_records: 0, from_raw: 0 },
  };

  constructor(
    readonly store: TelemetryStore,
    readonly storage: RollupStorage,
    readonly registry: Registry,
    readonly calendar: LocalCalendar,
    readonly settings: AnalysisSettings,
  ) {}

  /** The rollups of a store, when it keeps them and can hand out raw points. */
  static of(
    store: TelemetryStore,
    registry: Registry,
    calendar: LocalCalendar,
    settings: AnalysisSettings,
  ): KpiRollup | undefined {
    const storage = store.rollups?.();
    return storage && store.points ? new KpiRollup(store, storage, registry, calendar, settings) : undefined;
  }

  status(): RollupStatus {
    return { ...this.state, served: { ...this.state.served } };
  }

  /** Counts how an analysis was served (rollup-days.ts). */
  noteServed(fromRecords: number, fromRaw: number): void {
    this.state.served.from_records += fromRecords;
    this.state.served.from_raw += fromRaw;
  }

  /** Refreshes now and then every `intervalMs`; errors are kept in the status and retried next time. */
  start(intervalMs: number, log: (line: string) => void): void {
    const tick = () => {
      this.refresh()
        .catch((error: unknown) => log(`rollups: refresh failed: ${(error as Error).message}`))
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.refresher.settled();
  }

  /** Brings the records up to every reading stored before the call; callers waiting meanwhile share one run. */
  refresh(): Promise<void> {
    return this.refresher.run();
  }

  /** Devices with readings changed since the records' mark, and the local dates whose records they change. */
  async pending(overlap = 0): Promise<{ mark: number; dirty: Map<string, Set<string>> }> {
    const mark = await this.storage.readMark();
    this.state.mark = mark;
    const changes = await this.storage.changesSince(mark === undefined ? undefined : mark - overlap);
    const dirty = new Map<string, Set<string>>();
    for (const { device, day } of changes.changes) {
      const config = this.registry.device(device);
      const adapter = config && adapterFor(config.domain);
      if (!config || !adapter) continue;
      const k = adapter.contextDays(config) + 1;
      const first = addDays(this.calendar.dateOf(day), -k);
      const last = addDays(this.calendar.dateOf(day + UTC_DAY_MS - 1), k);
      const dates = dirty.get(device) ?? new Set<string>();
      for (let date = first; date <= last; date = addDays(date, 1)) dates.add(date);
      dirty.set(device, dates);
    }
    // Looking back never moves the mark back.
    return { mark: Math.max(changes.mark, mark ?? changes.mark), dirty };
  }

  private async refreshOnce(): Promise<void> {
    const started = Date.now();
    this.state.refreshing = true;
    try {
      const { mark, dirty } = await this.pending(this.storage.refreshOverlap);
      let dates = 0;
      for (const domain of PILOT_DOMAINS) {
        const devices = [...dirty.keys()].flatMap((id) => {
          const config = this.registry.device(id);
          return config?.domain === domain ? [config] : [];
        });
        dates += await this.refreshDomain(devices, dirty);
      }
      await this.storage.writeDays([], [], mark);
      this.state.mark = mark;
      this.state.last_refresh = {
        at: new Date().toISOString(),
        devices: dirty.size,
        dates,
        ms: Date.now() - started,
      };
      this.state.last_error = null;
    } catch (error) {
      this.state.last_error = (error as Error).message;
      throw error;
    } finally {
      this.state.refreshing = false;
    }
  }

  /** Recomputes the dirty dates of one domain's devices, a month of dates per load of raw points. */
  private async refreshDomain(
    devices: readonly DeviceConfig[],
    dirty: Map<string, Set<string>>,
  ): Promise<number> {
    if (devices.length === 0) return 0;
    const adapter = adapterFor(devices[0]?.domain ?? '');
    if (!adapter) return 0;
    const all = [...new Set(devices.flatMap((d) => [...(dirty.get(d.id) ?? [])]))].sort();
    const k = Math.max(...devices.map((d) => adapter.contextDays(d)));
    const metrics = [...new Set(devices.flatMap((d) => adapter.metrics(d)))];
    let written = 0;
    for (let c = 0; c < all.length;) {
      const first = all[c] as string;
      const lastOfChunk = addDays(first, CHUNK_DAYS - 1);
      let end = c;
      while (end < all.length && (all[end] as string) <= lastOfChunk) end += 1;
      const last = all[end - 1] as string;
      c = end;
      const inChunk = devices.filter((d) =>
        [...(dirty.get(d.id) ?? [])].some((x) => x >= first && x <= last),
      );
      const records: StoredDay[] = [];
      const removed: { device: string; date: string }[] = [];
      const perLoad = Math.max(1, Math.min(inChunk.length, this.storage.devicesPerLoad));
      for (let g = 0; g < inChunk.length; g += perLoad) {
        const group = inChunk.slice(g, g + perLoad);
        const points = await (this.store.points as NonNullable<TelemetryStore['points']>)({
          devices: group.map((d) => d.id),
          metrics,
          from: this.calendar.startOf(addDays(first, -k)),
          to: this.calendar.startOf(addDays(last, 1 + k)),
        });
        const memory = new PointsStore(points);
        for (const device of group) {
          const mine = [...(dirty.get(device.id) ?? [])].filter((x) => x >= first && x <= last).sort();
          const [a, b] = [mine[0] as string, mine[mine.length - 1] as string];
          const days = await computeDays(memory, adapter, device, this.calendar, a, b, this.settings);
          for (const date of mine) {
            const day = days.get(date);
            if (day) records.push(encodeDay(device.id, date, day));
            else removed.push({ device: device.id, date });
          }
          written += mine.length;
          await yieldToIo();
        }
      }
      // Without the new mark: a refresh cut short leaves the old one, and the next run redoes it all.
      await this.storage.writeDays(records, removed, undefined);
    }
    return written;
  }
}
