/**
 * The message one instance publishes on `{root}/cluster/{instanceId}/deltas`: what it ingested
 * since its last message (accepted readings, status changes, events) and the alert
 * acknowledgements its users made. Positional arrays keep it compact:
 *
 *   {"v":1,
 *    "r":[[device, ts, seq|null, receivedAt, simulated 0|1, {metric: value}], …],
 *    "s":[[device, state, ts, receivedAt, reason?], …],
 *    "e":[[device, type, ts, receivedAt, detail?], …],
 *    "a":[[device, rule, by, comment|null, at], …]}
 *
 * Domain and site come from the receiver's registry (every instance loads the same portfolio).
 * A peer is another process: its input is checked like any other (known device, known metric
 * names, finite numbers) and what fails is counted and skipped, never trusted.
 */
import {
  ALERT_RULES,
  DEVICE_STATES,
  METRICS,
  type AlertRule,
  type DeviceEvent,
  type DeviceState,
  type DeviceStatusChange,
  type Domain,
  type Reading,
} from '../contract/index.js';
import type { Registry } from '../config/registry.js';

export const CLUSTER_PROTOCOL_VERSION = 1;
/** Entries per message at most: a flood is split into messages of bounded size. */
export const MAX_ENTRIES_PER_MESSAGE = 2_000;
/** Larger peer messages are refused whole. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** An alert acknowledgement, keyed by device and rule: the same condition can carry another id on a peer. */
export interface AckNotice {
  device: string;
  rule: AlertRule;
  by: string;
  comment: string | null;
  at: number;
}

/** A status change or event with the time the ingesting instance received it (for ordering). */
export interface Stamped<T> {
  value: T;
  receivedAt: number;
}

export interface ClusterBatch {
  readings: Reading[];
  statuses: Stamped<DeviceStatusChange>[];
  events: Stamped<DeviceEvent>[];
  acks: AckNotice[];
}

export function emptyBatch(): ClusterBatch {
  return { readings: [], statuses: [], events: [], acks: [] };
}

export function batchSize(batch: ClusterBatch): number {
  return batch.readings.length + batch.statuses.length + batch.events.length + batch.acks.length;
}

export function encodeBatch(batch: ClusterBatch): string {
  const message: Record<string, unknown> = { v: CLUSTER_PROTOCOL_VERSION };
  if (batch.readings.length)
    message.r = batch.readings.map((r) => [
      r.device,
      r.ts,
      r.seq ?? null,
      r.receivedAt,
      r.simulated ? 1 : 0,
      r.metrics,
    ]);
  if (batch.statuses.length)
    message.s = batch.statuses.map(({ value: s, receivedAt }) =>
      s.reason === undefined
        ? [s.device, s.state, s.ts, receivedAt]
        : [s.device, s.state, s.ts, receivedAt, s.reason],
    );
  if (batch.events.length)
    message.e = batch.events.map(({ value: e, receivedAt }) =>
      e.detail === undefined
        ? [e.device, e.type, e.ts, receivedAt]
        : [e.device, e.type, e.ts, receivedAt, e.detail],
    );
  if (batch.acks.length) message.a = batch.acks.map((a) => [a.device, a.rule, a.by, a.comment, a.at]);
  return JSON.stringify(message);
}

export interface Decoded {
  batch: ClusterBatch;
  /** Entries refused (or 1 for a message refused whole), with the first reason. */
  rejected: number;
  reason: string | undefined;
}

const METRIC_NAMES: Record<Domain, ReadonlySet<string>> = {
  waste: new Set(METRICS.waste.map((m) => m.name)),
  mobility: new Set(METRICS.mobility.map((m) => m.name)),
  energy: new Set(METRICS.energy.map((m) => m.name)),
  weather: new Set(METRICS.weather.map((m) => m.name)),
};
const EVENT_TYPE = /^[a-z][a-z0-9_]{0,63}$/;

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

export function decodeBatch(registry: Registry, payload: Buffer): Decoded {
  const batch = emptyBatch();
  const refuse = (reason: string): Decoded => ({ batch, rejected: 1, reason });
  if (payload.length > MAX_MESSAGE_BYTES) return refuse('message too large');
  let message: unknown;
  try {
    message = JSON.parse(payload.toString('utf8'));
  } catch {
    return refuse('not JSON');
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message))
    return refuse('not an object');
  const m = message as Record<string, unknown>;
  if (m.v !== CLUSTER_PROTOCOL_VERSION) return refuse(`unknown version ${JSON.stringify(m.v)}`);
  let rejected = 0;
  let reason: string | undefined;
  const entries = (key: string): unknown[][] => {
    const list = m[key];
    if (list === undefined) return [];
    if (!Array.isArray(list)) {
      rejected++;
      reason ??= `"${key}" is not a list`;
      return [];
    }
    return list.filter((entry): entry is unknown[] => {
      if (Array.isArray(entry)) return true;
      rejected++;
      reason ??= `an entry of "${key}" is not a list`;
      return false;
    });
  };
  const skip = (why: string) => {
    rejected++;
    reason ??= why;
  };

  for (const [device, ts, seq, receivedAt, simulated, metrics] of entries('r')) {
    const config = typeof device === 'string' ? registry.device(device) : undefined;
    if (!config) {
      skip('unknown device');
      continue;
    }
    const sequenced = seq === null || (typeof seq === 'number' && Number.isInteger(seq));
    if (!isTime(ts) || !isTime(receivedAt) || !sequenced) {
      skip('bad reading time or sequence');
      continue;
    }
    const values = checkedMetrics(config.domain, metrics);
    if (!values) {
      skip('bad metrics');
      continue;
    }
    batch.readings.push({
      device: config.id,
      domain: config.domain,
      site: config.site,
      ts,
      seq: seq ?? undefined,
      metrics: values,
      simulated: simulated === 1,
      receivedAt,
    });
  }
  for (const [device, state, ts, receivedAt, why] of entries('s')) {
    const config = typeof device === 'string' ? registry.device(device) : undefined;
    if (
      !config ||
      !(DEVICE_STATES as readonly unknown[]).includes(state) ||
      !isTime(ts) ||
      !isTime(receivedAt)
    ) {
      skip('bad status');
      continue;
    }
    const value: DeviceStatusChange = {
      device: config.id,
      domain: config.domain,
      state: state as DeviceState,
      ts,
    };
    if (isText(why, 256)) value.reason = why;
    batch.statuses.push({ value, receivedAt });
  }
  for (const [device, type, ts, receivedAt, detail] of entries('e')) {
    const config = typeof device === 'string' ? registry.device(device) : undefined;
    if (!config || typeof type !== 'string' || !EVENT_TYPE.test(type) || !isTime(ts) || !isTime(receivedAt)) {
      skip('bad event');
      continue;
    }
    const value: DeviceEvent = { device: config.id, domain: config.domain, type, ts };
    if (detail !== undefined) value.detail = detail;
    batch.events.push({ value, receivedAt });
  }
  for (const [device, rule, by, comment, at] of entries('a')) {
    if (
      typeof device !== 'string' ||
      !registry.device(device) ||
      !(ALERT_RULES as readonly unknown[]).includes(rule) ||
      !isText(by, 200) ||
      !(comment === null || isText(comment, 2_000)) ||
      !isTime(at)
    ) {
      skip('bad acknowledgement');
      continue;
    }
    batch.acks.push({ device, rule: rule as AlertRule, by, comment, at });
  }
  return { batch, rejected, reason };
}

/** Only the domain's metric names with finite values: a peer cannot plant `__proto__` or strings in live state. */
function checkedMetrics(domain: Domain, raw: unknown): Record<string, number> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const names = METRIC_NAMES[domain];
  const out: Record<string, number> = {};
  let count = 0;
  for (const [name, value] of Object.entries(raw)) {
    if (!names.has(name) || typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    out[name] = value;
    count++;
  }
  return count > 0 ? out : undefined;
}
