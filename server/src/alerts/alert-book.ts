/**
 * The alert lifecycle: open → acknowledged (who, when, comment) → resolved.
 *
 * De-duplication: at most one unresolved alert per (rule, device); while it is unresolved a
 * rule that still fires only keeps it open. Hysteresis lives in two places: rules clear at a
 * level below the one that raised them (a fill wobbling ±1 % around 85 % stays one alert), and a
 * rule may ask for several consecutive clear verdicts before its alert resolves. A resolved alert
 * is never re-opened: the next occurrence is a new alert with its own id.
 */
import type { Alert, AlertRule, AlertSeverity, AlertState, Domain } from '../contract/index.js';
import type { DeviceConfig } from '../config/portfolio-schema.js';
import type { AlertJournal } from './alert-journal.js';

export interface Verdict {
  rule: AlertRule;
  /** True: the condition holds now; false: it is clear. (No verdict at all: nothing known.) */
  active: boolean;
  /** When the condition was observed (data time, epoch ms). */
  at: number;
  value?: number;
  threshold?: number;
  /** Consecutive clear verdicts needed to resolve (default 1). */
  clearAfter?: number;
}

export type AlertChangeKind = 'opened' | 'acknowledged' | 'resolved';
export type AlertListener = (kind: AlertChangeKind, alert: Alert) => void;

export const SEVERITY: Record<AlertRule, AlertSeverity> = {
  fill_high: 'warning',
  full_soon: 'info',
  overflow: 'critical',
  fire: 'critical',
  tilt: 'warning',
  offline: 'critical',
  battery_low: 'warning',
  stuck_value: 'warning',
  seq_gaps: 'info',
  counter_zeros: 'warning',
  night_base_load: 'warning',
  power_spike: 'warning',
  register_reset: 'info',
};

export interface AlertFilter {
  state?: AlertState | 'active';
  domain?: Domain;
  site?: string;
  device?: string;
  rule?: AlertRule;
  limit?: number;
}

export type AckResult =
  { ok: true; alert: Alert } | { ok: false; error: 'not_found' | 'resolved' | 'acknowledged' };

const keyOf = (rule: string, device: string) => `${rule}|${device}`;

export class AlertBook {
  private readonly alerts = new Map<string, Alert>();
  private readonly unresolved = new Map<string, Alert>();
  private readonly clearCount = new Map<string, number>();
  /** Unresolved alerts by device and rule: MQTT publishes a device's set on every change. */
  private readonly byDevice = new Map<string, Map<AlertRule, Alert>>();
  private readonly listeners: AlertListener[] = [];

  constructor(
    private readonly journal: AlertJournal,
    private readonly maxResolved = 5000,
  ) {
    for (const alert of journal.load().sort((a, b) => a.opened_at - b.opened_at)) {
      this.alerts.set(alert.id, alert);
      this.index(alert);
    }
  }

  onChange(listener: AlertListener): void {
    this.listeners.push(listener);
  }

  /** Applies one verdict of a rule for a device: opens, keeps or resolves its alert. */
  observe(device: DeviceConfig, verdict: Verdict): void {
    // Most verdicts are "clear" for a device without alerts: one lookup by the registry's device id
    // (whose hash is cached), no key built, on the path of every reading.
    const current = this.byDevice.get(device.id)?.get(verdict.rule);
    if (!current) {
      if (verdict.active) this.open(device, verdict);
      return;
    }
    // Counts of clear verdicts exist only while an alert is unresolved (resolve drops them).
    const key = keyOf(verdict.rule, device.id);
    if (verdict.active) {
      this.clearCount.delete(key);
      return;
    }
    const clears = (this.clearCount.get(key) ?? 0) + 1;
    if (clears < (verdict.clearAfter ?? 1)) {
      this.clearCount.set(key, clears);
      return;
    }
    this.resolve(current, verdict.at);
  }

  /** A condition seen only in hindsight (a gap in replayed data): opened and resolved at once. */
  record(device: DeviceConfig, verdict: Verdict, resolvedAt: number): void {
    if (this.unresolvedFor(verdict.rule, device.id)) return;
    this.resolve(this.open(device, verdict), resolvedAt);
  }

  /** The device's unresolved alerts, newest first. */
  activeFor(device: string): Alert[] {
    return [...(this.byDevice.get(device)?.values() ?? [])].sort((a, b) => b.opened_at - a.opened_at);
  }

  unresolvedFor(rule: AlertRule, device: string): Alert | undefined {
    return this.byDevice.get(device)?.get(rule);
  }

  /** Resolves the device's unresolved alert of a rule, if any (e.g. offline when a reading arrives). */
  resolveFor(rule: AlertRule, device: string, at: number): boolean {
    const current = this.unresolvedFor(rule, device);
    if (current) this.resolve(current, at);
    return current !== undefined;
  }

  acknowledge(id: string, by: string, comment: string | undefined, at: number): AckResult {
    const alert = this.alerts.get(id);
    if (!alert) return { ok: false, error: 'not_found' };
    if (alert.state !== 'open') return { ok: false, error: alert.state };
    const next: Alert = {
      ...alert,
      state: 'acknowledged',
      acknowledged_at: at,
      acknowledged_by: by,
      comment: comment ?? null,
      updated_at: at,
    };
    this.store(next, 'acknowledged');
    return { ok: true, alert: next };
  }

  get(id: string): Alert | undefined {
    return this.alerts.get(id);
  }

  /** Newest first. */
  list(filter: AlertFilter = {}): Alert[] {
    const out: Alert[] = [];
    const all = [...this.alerts.values()].sort((a, b) => b.opened_at - a.opened_at || (a.id < b.id ? 1 : -1));
    for (const a of all) {
      if (filter.state === 'active' ? a.state === 'resolved' : filter.state && a.state !== filter.state)
        continue;
      if (filter.domain && a.domain !== filter.domain) continue;
      if (filter.site && a.site !== filter.site) continue;
      if (filter.device && a.device !== filter.device) continue;
      if (filter.rule && a.rule !== filter.rule) continue;
      out.push(a);
      if (filter.limit !== undefined && out.length >= filter.limit) break;
    }
    return out;
  }

  /** Open and acknowledged alerts. */
  active(): IterableIterator<Alert> {
    return this.unresolved.values();
  }

  flush(): void {
    this.journal.flush(() => [...this.alerts.values()]);
  }

  private open(device: DeviceConfig, verdict: Verdict): Alert {
    let id = `${device.id}.${verdict.rule}.${verdict.at.toString(36)}`;
    for (let n = 2; this.alerts.has(id); n++)
      id = `${device.id}.${verdict.rule}.${verdict.at.toString(36)}-${n}`;
    const alert: Alert = {
      id,
      rule: verdict.rule,
      severity: SEVERITY[verdict.rule],
      state: 'open',
      device: device.id,
      domain: device.domain,
      site: device.site,
      pilot: device.pilot ?? null,
      opened_at: verdict.at,
      updated_at: verdict.at,
      acknowledged_at: null,
      acknowledged_by: null,
      comment: null,
      resolved_at: null,
      value: verdict.value ?? null,
      threshold: verdict.threshold ?? null,
    };
    this.store(alert, 'opened');
    return alert;
  }

  private resolve(alert: Alert, at: number): void {
    const when = Math.max(at, alert.opened_at);
    this.clearCount.delete(keyOf(alert.rule, alert.device));
    this.store({ ...alert, state: 'resolved', resolved_at: when, updated_at: when }, 'resolved');
  }

  private store(alert: Alert, kind: AlertChangeKind): void {
    this.alerts.set(alert.id, alert);
    this.index(alert);
    this.journal.append(alert);
    if (kind === 'resolved') this.prune();
    for (const listener of this.listeners) {
      try {
        listener(kind, alert);
      } catch {
        // Delivery (live, MQTT, webhook) reports its own failures; the lifecycle goes on.
      }
    }
  }

  private index(alert: Alert): void {
    const key = keyOf(alert.rule, alert.device);
    let mine = this.byDevice.get(alert.device);
    if (alert.state === 'resolved') {
      this.unresolved.delete(key);
      mine?.delete(alert.rule);
      if (mine?.size === 0) this.byDevice.delete(alert.device);
      return;
    }
    this.unresolved.set(key, alert);
    if (!mine) this.byDevice.set(alert.device, (mine = new Map<AlertRule, Alert>()));
    mine.set(alert.rule, alert);
  }

  /** Keeps every unresolved alert and the newest `maxResolved` resolved ones. */
  private prune(): void {
    if (this.alerts.size - this.unresolved.size <= this.maxResolved * 1.1) return;
    const resolved = [...this.alerts.values()]
      .filter((a) => a.state === 'resolved')
      .sort((a, b) => (b.resolved_at ?? 0) - (a.resolved_at ?? 0));
    for (const old of resolved.slice(this.maxResolved)) this.alerts.delete(old.id);
  }
}
