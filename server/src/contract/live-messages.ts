/**
 * The live stream on `GET /ws`: message types shared by the server hub and the dashboard.
 * Types and plain constants only: the dashboard bundles this file, so it must not pull in
 * TypeBox or any other server dependency.
 *
 * Protocol: on connect the server sends a `snapshot` of every entity the client is subscribed
 * to, then `delta` frames (at most one per LIVE_FLUSH_MS) holding the entities that changed,
 * each in full (an entity replaces the previous one with the same key). A `subscribe` message
 * replaces the client's filter and is answered with a fresh snapshot. The server sends `ping`
 * every LIVE_HEARTBEAT_MS; the client answers `pong` (and may send its own `ping`).
 */
import type { Alert } from './api/alerts.js';
import type { Domain } from './topics.js';

export const LIVE_PROTOCOL_VERSION = 1;
export const LIVE_PATH = '/ws';
/**
 * Deltas are coalesced per client and sent at most this often (LIVE_FRAME_MS overrides it). 50 ms
 * keeps publish → frame p99 under the 100 ms target at 5,000 readings/s; frames are serialised
 * once and shared, so 500 sockets at this rate cost the server well under one core (see the
 * performance table in docs/performance.md), and the dashboard repaints at most once per animation frame.
 */
export const LIVE_FLUSH_MS = 50;
export const LIVE_HEARTBEAT_MS = 15_000;

export type DeviceHealth = 'online' | 'late' | 'offline' | 'unknown';
export type EntityScope = 'device' | 'site' | 'pilot' | 'alert';

interface EntityBase {
  /** `device:<id>`, `site:<id>:<domain>` or `pilot:<id>`. */
  key: string;
  scope: EntityScope;
  id: string;
  domain: Domain;
  /** Null for a weather station, which serves every pilot. */
  pilot: string | null;
  /** Set for devices and sites. */
  site?: string;
}

export interface DeviceEntity extends EntityBase {
  scope: 'device';
  site: string;
  /** Epoch ms of the newest reading, null when never seen. */
  lastSeen: number | null;
  health: DeviceHealth;
  /** Latest value of each metric. */
  values: Record<string, number>;
  /** Waste bins: epoch ms of the last detected collection (an event or a sharp drop in fill). */
  lastCollection?: number | null;
}

/** Counts by travel class and direction, e.g. `{ bicycle: { in: 12, out: 9 } }`. */
export type ClassCounts = Record<string, { in: number; out: number }>;

export interface WasteIndicators {
  bins: number;
  /** Bins with a fill reading. */
  reporting: number;
  /** Mean fill 0..1 over the reporting bins, null when none. */
  meanFill: number | null;
  /** Bins due for collection and overflowing: at or above FULL_FILL and OVERFLOW_FILL (server/src/domains/waste/fill-thresholds.ts). */
  full: number;
  overflowing: number;
}

export interface MobilityIndicators {
  counters: number;
  /** Start of the current local hour and day, epoch ms. */
  hourStart: number;
  dayStart: number;
  hour: ClassCounts;
  today: ClassCounts;
  /** Same hour a week earlier, and the same day a week earlier up to the end of this hour; null when unknown. */
  hourWeekAgo: ClassCounts | null;
  todayWeekAgo: ClassCounts | null;
}

export interface EnergyIndicators {
  meters: number;
  /** Sum of the latest power readings, null when none. */
  kw: number | null;
  /** Energy imported since local midnight. */
  kwhToday: number | null;
  /** Typical power at this hour of day over the previous 7 days. */
  baselineKw: number | null;
  /** Typical energy from midnight to now over the previous 7 days. */
  baselineKwhToDate: number | null;
}

export interface TrendPoint {
  t: number;
  v: number;
}

interface AggregateBase extends EntityBase {
  scope: 'site' | 'pilot';
  pilot: string;
  devices: number;
  online: number;
  lastSeen: number | null;
  /** Pilots only: recent samples of the headline indicator, for a sparkline. */
  trend?: TrendPoint[];
}

export interface WasteAggregate extends AggregateBase {
  domain: 'waste';
  indicators: WasteIndicators;
}
export interface MobilityAggregate extends AggregateBase {
  domain: 'mobility';
  indicators: MobilityIndicators;
}
export interface EnergyAggregate extends AggregateBase {
  domain: 'energy';
  indicators: EnergyIndicators;
}
export type AggregateEntity = WasteAggregate | MobilityAggregate | EnergyAggregate;
/** Alert rules (see server/src/alerts/ and the `alerts:` section of config/portfolio.yaml). */
export const ALERT_RULES = [
  'fill_high',
  'full_soon',
  'overflow',
  'fire',
  'tilt',
  'offline',
  'battery_low',
  'stuck_value',
  'seq_gaps',
  'counter_zeros',
  'night_base_load',
  'power_spike',
  'register_reset',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];
export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export type AlertSeverity = 'critical' | 'warning' | 'info';

/** One alert as `GET /api/alerts` serves it and the live stream carries it: its schema is in api/alerts.ts. */
export type { Alert };

/**
 * `alert:<id>`: snapshots carry open and acknowledged alerts; deltas also carry the
 * resolution, after which the client drops the alert.
 */
export interface AlertEntity extends Alert {
  key: string;
  scope: 'alert';
}

export type LiveEntity = DeviceEntity | AggregateEntity | AlertEntity;

/** An empty list (or a missing field) means "all". Site filters apply to devices and sites, not to pilots. */
export interface LiveFilter {
  domains?: Domain[];
  pilots?: string[];
  sites?: string[];
}

export interface SnapshotMessage {
  type: 'snapshot';
  v: typeof LIVE_PROTOCOL_VERSION;
  /** Server clock, epoch ms: lets the client correct "updated n s ago" for clock skew. */
  at: number;
  filter: LiveFilter;
  entities: LiveEntity[];
}

export interface DeltaMessage {
  type: 'delta';
  at: number;
  /** Per-connection frame counter (snapshot is 0). */
  seq: number;
  entities: LiveEntity[];
}

export interface ServerPing {
  type: 'ping';
  at: number;
}
export interface ServerPong {
  type: 'pong';
  at: number;
  id?: string;
}
export interface ErrorMessage {
  type: 'error';
  message: string;
}
export type ServerMessage = SnapshotMessage | DeltaMessage | ServerPing | ServerPong | ErrorMessage;

export interface SubscribeMessage {
  type: 'subscribe';
  filter: LiveFilter;
}
export interface ClientPing {
  type: 'ping';
  id?: string;
}
export interface ClientPong {
  type: 'pong';
}
export type ClientMessage = SubscribeMessage | ClientPing | ClientPong;

/** WebSocket close codes the hub uses. */
export const LIVE_CLOSE = {
  /** The client stopped reading: its frames piled up past the stall limit. */
  slowConsumer: 4008,
  /** The client stopped answering pings. */
  heartbeatTimeout: 4009,
  /** The filter in the URL was not understood (the error message says why). */
  badRequest: 4000,
  /** The session the socket was opened with ended (sign-out, expiry, user removed): sign in again. */
  sessionEnded: 4001,
  shuttingDown: 1001,
} as const;

export function deviceKey(id: string): string {
  return `device:${id}`;
}
export function siteKey(id: string, domain: Domain): string {
  return `site:${id}:${domain}`;
}
export function pilotKey(id: string): string {
  return `pilot:${id}`;
}
export function alertKey(id: string): string {
  return `alert:${id}`;
}
