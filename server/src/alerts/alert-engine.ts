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
import { CommonRules, type DeviceRuleSet, type RuleContext } from './rules/device-rules.js';
import { EnergyRules } from './rules/energy-rules.js';
import { MobilityRules } from './rules/mobility-rules.js';
import { WasteRules } from './rules/waste-rules.js';

export interface AlertEngineOptions {
  /** The clock for silence; tests drive it. */
  now?: () => number;
  checkEveryMs?: number;
  /** Energy baseline: mean kW of a device at a local hour over the previous 7 days. */
  baselineKw?: (device: string, hourOfDay: number) => number | null;
}

interface Slot {
  config: DeviceConfig;
  t: DeviceThresholds;
  offlineMs: number;
  rules: DeviceRuleSet[];
  waste: WasteRules | undefined;
  previous: Reading | undefined;
  /** Newest reading time (data time), also restored from the store. */
  lastTs: number | undefined;
  /** When the device was last heard from (receive time, the injected clock). */
  lastHeard: number | undefined;
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
    for (const device of registry.devices.values()) {
      const t = thresholdsFor(config, device);
      const intervalMs = device.reporting_interval_s * 1000;
      const ctx: RuleContext = { device, t, intervalMs, timeZone: registry.portfolio.timezone };
      const rules: DeviceRuleSet[] = [new CommonRules(ctx)];
      let waste: WasteRules | undefined;
      if (device.domain === 'waste') rules.push((waste = new WasteRules(ctx)));
      if (device.domain === 'mobility') rules.push(new MobilityRules(ctx));
      if (device.domain === 'energy') {
        const baseline = options.baselineKw ?? (() => null);
        rules.push(new EnergyRules(ctx, (hour) => baseline(device.id, hour)));
      }
      this.slots.set(device.id, {
        config: device,
        t,
        offlineMs: t.offline_intervals * intervalMs,
        rules,
        waste,
        previous: undefined,
        lastTs: undefined,
        lastHeard: undefined,
      });
    }
  }

  /** Newest stored reading per device, before ingest starts: gaps across a restart are seen too. */
  restore(lastSeen: ReadonlyMap<string, number>): void {
    for (const [id, ts] of lastSeen) {
      const slot = this.slots.get(id);
      if (!slot) continue;
      slot.lastTs = Math.max(slot.lastTs ?? ts, ts);
      slot.lastHeard = Math.max(slot.lastHeard ?? ts, ts);
    }
  }

  /** Fill history from the store at start-up, so the collection plan does not start blind. */
  restoreFill(device: string, points: readonly { ts: number; fill: number }[]): void {
    const waste = this.slots.get(device)?.waste;
    for (const p of points) waste?.rate.add(p.ts, p.fill);
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
    const device = slot.config;
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
    const previous = slot.previous && slot.previous.ts === slot.lastTs ? slot.previous : undefined;
    slot.lastTs = reading.ts;
    slot.previous = reading;
    for (const rules of slot.rules) {
      for (const verdict of rules.onReading(reading, previous)) this.book.observe(device, verdict);
    }
  }

  onStatus(change: DeviceStatusChange): void {
    const slot = this.slots.get(change.device);
    if (!slot || (change.state !== 'lost' && change.state !== 'offline')) return;
    this.book.observe(slot.config, { rule: 'offline', active: true, at: change.ts });
  }

  onEvent(event: DeviceEvent): void {
    const slot = this.slots.get(event.device);
    if (!slot?.waste || event.type !== 'collection') return;
    for (const verdict of slot.waste.collected(event.ts)) this.book.observe(slot.config, verdict);
  }

  /** Live silence: raised once per outage; the next reading resolves it. */
  checkSilence(now = this.now()): void {
    for (const slot of this.slots.values()) {
      if (slot.lastHeard === undefined || now - slot.lastHeard <= slot.offlineMs) continue;
      if (this.book.unresolvedFor('offline', slot.config.id)) continue;
      this.book.observe(slot.config, {
        rule: 'offline',
        active: true,
        at: slot.lastHeard + slot.offlineMs,
        value: (now - slot.lastHeard) / (slot.config.reporting_interval_s * 1000),
        threshold: slot.t.offline_intervals,
      });
    }
  }

  forecast(device: string): FillForecast | undefined {
    return this.slots.get(device)?.waste?.forecast();
  }

  thresholds(device: string): DeviceThresholds | undefined {
    return this.slots.get(device)?.t;
  }
}
