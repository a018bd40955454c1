/**
 * The alert engine: a bus observer (readings, statuses, events) plus a timer for the one rule
 * that silence alone triggers. It never polls the store.
 *
 * Offline, and why it is judged twice:
 * - live silence, on the timer: nothing *received* from the device for `offline_intervals`
 *   reporting intervals of the injected clock, or a retained `lost`/`offline` status. Silence is
 *   measured in receive time, so a backfill replaying last week's readings is not "offline"
 *   while its messages keep arriving;
 * - silence in the data, on each reading: when consecutive reading timestamps are further apart
 *   than the limit and no offline alert is open, the device was silent in between (replayed
 *   data, or an outage the server did not witness, e.g. while it was down). That period becomes
 *   one alert, opened at the last reading + the limit and resolved at the reading that ended it.
 * A reading always resolves an open offline alert, so one outage never yields two alerts. A
 * clock jump of more than the limit looks like an outage to the second check (documented).
 */
import type { DeviceEvent, DeviceStatusChange, Reading } from '../contract/index.js';
import type { DeviceConfig } from '../config/portfolio-schema.js';
import type { Registry } from '../config/registry.js';
import type { AlertBook, Verdict } from './alert-book.js';
import { thresholdsFor, type AlertsConfig, type DeviceThresholds } from './alert-settings.js';
import type { FillForecast } from './fill-rate.js';
import {
  CommonRules,
  type DeviceRuleSet,
  type PreviousReading,
  type RuleContext,
} from './rules/device-rules.js';
import { domainModule } from '../domains/registry.js';

export interface AlertEngineOptions {
  /** The clock for silence; tests drive it. */
  now?: () => number;
  checkEveryMs?: number;
  /** Energy baseline: mean kW of a device at a local hour over the previous 7 days. */
  baselineKw?: (device: string, hourOfDay: number) => number | null;
}

/**
 * What the engine keeps for one device, which is also the context its rules read. At 50,000 devices
 * every field counts: thresholds are shared between devices with the same overrides, and of the
 * previous reading only what the rules compare with is kept (its metrics object, not the reading).
 */
class Slot implements RuleContext {
  readonly common: CommonRules;
  /** The device's domain rules (its domain module's). */
  readonly rules: DeviceRuleSet;
  readonly zerosAreNotStuck: boolean;
  readonly offlineMs: number;
  /** Newest reading time (data time), also restored from the store. */
  lastTs: number | undefined = undefined;
  /** Sequence number and metrics of the reading at lastTs; no metrics when only the store told lastTs. */
  lastSeq: number | undefined = undefined;
  lastMetrics: Record<string, number> | undefined = undefined;
  /** When the device was last heard from (receive time, the injected clock). */
  lastHeard: number | undefined = undefined;

  constructor(
    readonly device: DeviceConfig,
    readonly t: DeviceThresholds,
    readonly timeZone: string,
    baselineKw: ((device: string, hourOfDay: number) => number | null) | undefined,
  ) {
    this.offlineMs = t.offline_intervals * this.intervalMs;
    const alerts = domainModule(device.domain).alerts;
    this.zerosAreNotStuck = alerts.zerosAreNotStuck;
    this.common = new CommonRules(this);
    this.rules = alerts.rules(this, { baselineKw });
  }

  get intervalMs(): number {
    return this.device.reporting_interval_s * 1000;
  }

  /** The reading before the current one, when the rules may compare with it. */
  previous(): PreviousReading | undefined {
    return this.lastMetrics !== undefined && this.lastTs !== undefined
      ? { ts: this.lastTs, seq: this.lastSeq, metrics: this.lastMetrics }
      : undefined;
  }
}

export class AlertEngine {
  private readonly slots = new Map<string, Slot>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    registry: Registry,
    private readonly book: AlertBook,
    private readonly options: AlertEngineOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    const config = (registry.portfolio as { alerts?: AlertsConfig }).alerts;
    // Devices without overrides of their own share one (frozen) thresholds object per domain, model and site.
    const shared = new Map<string, DeviceThresholds>();
    const thresholds = (device: DeviceConfig): DeviceThresholds => {
      if (config?.devices?.[device.id] !== undefined) return thresholdsFor(config, device);
      const key = JSON.stringify([device.domain, device.model ?? null, device.site]);
      let t = shared.get(key);
      if (!t) shared.set(key, (t = Object.freeze(thresholdsFor(config, device))));
      return t;
    };
    const timeZone = registry.portfolio.timezone;
    for (const device of registry.devices.values())
      this.slots.set(device.id, new Slot(device, thresholds(device), timeZone, options.baselineKw));
  }

  /** Newest stored reading per device, before ingest starts: gaps across a restart are seen too. */
  restore(lastSeen: ReadonlyMap<string, number>): void {
    for (const [id, ts] of lastSeen) {
      const slot = this.slots.get(id);
      if (!slot) continue;
      // A newer time than the last reading's: the rules have no previous reading to compare with.
      if (slot.lastTs === undefined || ts > slot.lastTs) slot.lastMetrics = undefined;
      slot.lastTs = Math.max(slot.lastTs ?? ts, ts);
      slot.lastHeard = Math.max(slot.lastHeard ?? ts, ts);
    }
  }

  /** Whether the device's rules learn a fill rate (bins): restoreFill() is for those. */
  learnsFill(device: string): boolean {
    return this.slots.get(device)?.rules.restoreFill !== undefined;
  }

  /** Fill history from the store at start-up, so the collection plan does not start blind. */
  restoreFill(device: string, points: readonly { ts: number; fill: number }[]): void {
    this.slots.get(device)?.rules.restoreFill?.(points);
  }

  start(): void {
    this.timer ??= setInterval(() => this.checkSilence(), this.options.checkEveryMs ?? 5_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  onReading(reading: Reading): void {
    const slot = this.slots.get(reading.device);
    if (!slot) return;
    slot.lastHeard = this.now();
    // Duplicates and late arrivals say nothing new about the device's state.
    if (slot.lastTs !== undefined && reading.ts <= slot.lastTs) return;
    const device = slot.device;
    if (!this.book.resolveFor('offline', device.id, reading.ts) && slot.lastTs !== undefined) {
      const silent = reading.ts - slot.lastTs;
      if (silent > slot.offlineMs) {
        const verdict: Verdict = {
          rule: 'offline',
          active: true,
          at: slot.lastTs + slot.offlineMs,
          value: silent / (device.reporting_interval_s * 1000),
          threshold: slot.t.offline_intervals,
        };
        this.book.record(device, verdict, reading.ts);
      }
    }
    const previous = slot.previous();
    slot.lastTs = reading.ts;
    slot.lastSeq = reading.seq;
    slot.lastMetrics = reading.metrics;
    for (const verdict of slot.common.onReading(reading, previous)) this.book.observe(device, verdict);
    for (const verdict of slot.rules.onReading(reading, previous)) this.book.observe(device, verdict);
  }

  onStatus(change: DeviceStatusChange): void {
    const slot = this.slots.get(change.device);
    if (!slot || (change.state !== 'lost' && change.state !== 'offline')) return;
    this.book.observe(slot.device, { rule: 'offline', active: true, at: change.ts });
  }

  onEvent(event: DeviceEvent): void {
    const slot = this.slots.get(event.device);
    const verdicts = slot?.rules.onEvent?.(event);
    if (!slot || !verdicts) return;
    for (const verdict of verdicts) this.book.observe(slot.device, verdict);
  }

  /** Live silence: raised once per outage; the next reading resolves it. */
  checkSilence(now = this.now()): void {
    for (const slot of this.slots.values()) {
      if (slot.lastHeard === undefined || now - slot.lastHeard <= slot.offlineMs) continue;
      if (this.book.unresolvedFor('offline', slot.device.id)) continue;
      this.book.observe(slot.device, {
        rule: 'offline',
        active: true,
        at: slot.lastHeard + slot.offlineMs,
        value: (now - slot.lastHeard) / (slot.device.reporting_interval_s * 1000),
        threshold: slot.t.offline_intervals,
      });
    }
  }

  forecast(device: string): FillForecast | undefined {
    return this.slots.get(device)?.rules.forecast?.();
  }

  thresholds(device: string): DeviceThresholds | undefined {
    return this.slots.get(device)?.t;
  }
}
