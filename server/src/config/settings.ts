/** Runtime settings from environment variables, each with a documented default (docs/configuration.md). */
import {
  loadAuthSettings,
  loadSecuritySettings,
  type AuthSettings,
  type SecuritySettings,
} from '../auth/auth-settings.js';
import { loadDeviceAuthSettings } from '../broker/broker-settings.js';
import { clusterSettings, type ClusterSettings } from '../cluster/cluster-settings.js';
import { LIVE_FLUSH_MS } from '../contract/live-messages.js';
import { ConfigError } from './config-error.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  portfolioPath: string;
  logLevel: LogLevel;
  mqtt: {
    /** Undefined: start the embedded aedes broker. */
    url: string | undefined;
    embeddedPort: number;
    /** Listen address of the embedded broker; non-loopback needs DEVICE_KEY (server/src/broker/broker-settings.ts). */
    embeddedHost: string;
    /** Root secret of the per-device MQTT passwords; undefined: the embedded broker is open (loopback only). */
    deviceKey: string | undefined;
    /** deviceKey is the public demo-only key (`npm run demo` without DEVICE_KEY). */
    demoDeviceKey: boolean;
    username: string | undefined;
    password: string | undefined;
    clientId: string;
    topicRoot: string;
  };
  ingest: {
    batchSize: number;
    flushMs: number;
    /** Readings older than this are rejected as `ts_too_old`. */
    maxAgeDays: number;
    maxFutureMs: number;
    deadLetterLimit: number;
  };
  /** Undefined: the embedded DuckDB store. */
  influx: InfluxSettings | undefined;
  /** Start the simulated fleet in-process (the demo command). */
  demo: boolean;
  /**
   * The demo first fills the store with simulated history from this local date, YYYY-MM-DD; `portfolio`:
   * from the earliest experiment baseline; null: no history (DEMO_HISTORY=off).
   */
  demoHistoryFrom: string | null;
  /** The demo fleet's format (simulators' --format, e.g. `sources`); undefined: the native contract. */
  demoFormat: string | undefined;
  /** Shortest interval between two WebSocket delta frames to one client. */
  liveFrameMs: number;
  /** Bound of the embedded DuckDB buffer pool, e.g. `256MB`. */
  duckdbMemoryLimit: string;
  /**
   * V8 heap growth between full garbage collections, in percent of what survived the last one
   * (`--heap-growing-percent`, set by main.ts); 0 leaves V8's own choice (up to 300 %).
   */
  heapGrowthPercent: number;
  /** POST alert changes here as JSON (server/src/alerts/alert-webhook.ts); undefined: no webhook. */
  alertWebhookUrl: string | undefined;
  /** Scale-out (INGEST_SHARE_GROUP, INSTANCE_ID, CLUSTER_HOLD_MS); undefined: a single instance. */
  cluster: ClusterSettings | undefined;
  /** Sign-in: the first admin, sessions, cookies (server/src/auth/auth-settings.ts). */
  auth: AuthSettings;
  /** HTTP hardening: proxy trust, CORS allow-list, rate limits. */
  security: SecuritySettings;
}

/** InfluxDB production store. Flavour v2: /api/v2/write with org, bucket, token (1.8+, 2.x, 3.x); v1: /write with database and retention policy (1.x before 1.8). */
export interface InfluxSettings {
  url: string;
  api: 'v1' | 'v2';
  org: string;
  bucket: string;
  token: string | undefined;
  database: string;
  retentionPolicy: string | undefined;
  username: string | undefined;
  password: string | undefined;
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

function optionalText(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `expected an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

function memorySize(env: Env, name: string, fallback: string): string {
  const value = text(env, name, fallback);
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(value)) {
    throw new ConfigError(name, `expected a size such as 256MB or 2GB, got "${value}"`);
  }
  return value;
}

function mqttUrl(env: Env): string | undefined {
  const raw = optionalText(env, 'MQTT_URL');
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('MQTT_URL', `expected a URL such as mqtt://127.0.0.1:1883, got "${raw}"`);
  }
  if (!['mqtt:', 'mqtts:', 'tcp:', 'tls:', 'ws:', 'wss:'].includes(url.protocol)) {
    throw new ConfigError('MQTT_URL', `expected an mqtt://, mqtts://, ws:// or wss:// URL, got "${raw}"`);
  }
  return raw;
}

export function loadSettings(env: Env = process.env): Settings {
  const logLevel = text(env, 'LOG_LEVEL', 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const topicRoot = text(env, 'MQTT_TOPIC_ROOT', 'kutaisi/v1');
  if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(topicRoot)) {
    throw new ConfigError('MQTT_TOPIC_ROOT', `expected topic levels without wildcards, got "${topicRoot}"`);
  }
  const clientId = text(env, 'MQTT_CLIENT_ID', 'kutaisi-telemetry-ingest');
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(clientId)) {
    throw new ConfigError(
      'MQTT_CLIENT_ID',
      `expected 1-64 letters, digits, '.', '_' or '-', got "${clientId}"`,
    );
  }
  const demo = flag(env, 'DEMO', false);
  const cluster = clusterSettings(env, { mqttUrl: mqttUrl(env), influxUrl: optionalText(env, 'INFLUX_URL') });
  return {
    port: integer(env, 'PORT', 8080, 0, 65_535),
    host: text(env, 'HOST', '127.0.0.1'),
    dataDir: text(env, 'DATA_DIR', './data'),
    portfolioPath: text(env, 'PORTFOLIO', 'config/portfolio.yaml'),
    logLevel,
    mqtt: {
      url: mqttUrl(env),
      embeddedPort: integer(env, 'MQTT_EMBEDDED_PORT', 1883, 0, 65_535),
      ...loadDeviceAuthSettings(env, { demo, mqttUrl: mqttUrl(env) }),
      username: optionalText(env, 'MQTT_USERNAME'),
      password: optionalText(env, 'MQTT_PASSWORD'),
      clientId,
      topicRoot,
    },
    ingest: {
      batchSize: integer(env, 'INGEST_BATCH_SIZE', 5_000, 1, 100_000),
      flushMs: integer(env, 'INGEST_FLUSH_MS', 50, 1, 10_000),
      maxAgeDays: integer(env, 'INGEST_MAX_AGE_DAYS', 400, 1, 36_500),
      maxFutureMs: 5 * 60 * 1000,
      deadLetterLimit: integer(env, 'DEAD_LETTER_LIMIT', 10_000, 10, 1_000_000),
    },
    influx: influxSettings(env),
    demo,
    demoHistoryFrom: demoHistory(env),
    demoFormat: env.DEMO_FORMAT || undefined,
    liveFrameMs: integer(env, 'LIVE_FRAME_MS', LIVE_FLUSH_MS, 20, 10_000),
    duckdbMemoryLimit: memorySize(env, 'DUCKDB_MEMORY_LIMIT', '256MB'),
    heapGrowthPercent: integer(env, 'HEAP_GROWTH_PERCENT', 50, 0, 300),
    alertWebhookUrl: webhookUrl(env),
    cluster,
    auth: loadAuthSettings(env, demo, cluster !== undefined),
    security: loadSecuritySettings(env),
  };
}

/** DEMO_HISTORY=off skips the history; DEMO_HISTORY_FROM=YYYY-MM-DD moves its start (default: the earliest baseline). */
function demoHistory(env: Env): Settings['demoHistoryFrom'] {
  const mode = text(env, 'DEMO_HISTORY', 'on');
  if (mode !== 'on' && mode !== 'off')
    throw new ConfigError('DEMO_HISTORY', `expected on or off, got "${mode}"`);
  if (mode === 'off') return null;
  const from = optionalText(env, 'DEMO_HISTORY_FROM');
  if (from === undefined) return 'portfolio';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !Number.isFinite(Date.parse(`${from}T00:00:00Z`)))
    throw new ConfigError('DEMO_HISTORY_FROM', `expected a date YYYY-MM-DD, got "${from}"`);
  return from;
}

function webhookUrl(env: Env): string | undefined {
  const url = optionalText(env, 'ALERT_WEBHOOK_URL');
  if (url !== undefined && !/^https?:\/\/[^/\s]+/.test(url))
    throw new ConfigError('ALERT_WEBHOOK_URL', `expected an http:// or https:// URL, got "${url}"`);
  return url;
}

function influxSettings(env: Env): InfluxSettings | undefined {
  const url = optionalText(env, 'INFLUX_URL');
  if (url === undefined) return undefined;
  if (!/^https?:\/\/[^/\s]+/.test(url)) {
    throw new ConfigError('INFLUX_URL', `expected an http:// or https:// URL, got "${url}"`);
  }
  const api = text(env, 'INFLUX_API', 'v2');
  if (api !== 'v1' && api !== 'v2') throw new ConfigError('INFLUX_API', `expected v1 or v2, got "${api}"`);
  const settings: InfluxSettings = {
    url: url.replace(/\/+$/, ''),
    api,
    org: text(env, 'INFLUX_ORG', ''),
    bucket: text(env, 'INFLUX_BUCKET', 'kutaisi'),
    token: optionalText(env, 'INFLUX_TOKEN'),
    database: text(env, 'INFLUX_DATABASE', 'kutaisi'),
    retentionPolicy: optionalText(env, 'INFLUX_RETENTION_POLICY'),
    username: optionalText(env, 'INFLUX_USERNAME'),
    password: optionalText(env, 'INFLUX_PASSWORD'),
  };
  if (api === 'v2' && settings.org === '')
    throw new ConfigError('INFLUX_ORG', 'expected the organisation name for INFLUX_API=v2');
  if (api === 'v2' && settings.token === undefined) {
    throw new ConfigError(
      'INFLUX_TOKEN',
      'expected an API token for INFLUX_API=v2 (for InfluxDB 1.8 use "user:password")',
    );
  }
  return settings;
}
