/** What the HTTP routes read: assembled by main.ts, or by a test. */
import type { AlertService } from '../alerts/alert-service.js';
import type { AuthService } from '../auth/auth-service.js';
import type { BrokerAuthCounters } from '../broker/broker-auth.js';
import type { Settings } from '../config/settings.js';
import type { Registry } from '../config/registry.js';
import type { EffectsCache } from '../experiments/effects-cache.js';
import type { KpiRollup } from '../experiments/rollup/kpi-rollup.js';
import type { DeadLetters } from '../ingest/dead-letters.js';
import type { IngestStats } from '../ingest/ingest-stats.js';
import type { MessageIntake } from '../ingest/intake.js';
import type { HistoryStatus } from '../demo/history-status.js';
import type { DeviceTracker } from '../live/device-tracker.js';
import type { IndicatorEngine } from '../live/indicator-engine.js';
import type { LiveHub } from '../live/live-hub.js';
import type { SourceStatus } from '../sources/source-connections.js';
import type { TelemetryStore } from '../store/port.js';

export interface IngestStatus {
  brokerConnected(): boolean;
  pending(): number;
  storeRetrying(): boolean;
}

export interface AppContext {
  settings: Settings;
  registry: Registry;
  store: TelemetryStore;
  stats: IngestStats;
  deadLetters: DeadLetters;
  tracker: DeviceTracker;
  ingest: IngestStatus;
  startedAt: number;
  /** The live indicators and the WebSocket hub; without them `/ws` is not served (unit tests). */
  live?: { engine: IndicatorEngine; hub: LiveHub };
  /** Alerts (rules, lifecycle, delivery); without them the alert and collection-plan routes are not served. */
  alerts?: AlertService;
  /** Users, sessions and sign-in: every route but the public ones needs a session (auth-hook.ts). */
  auth: AuthService;
  /** Device-authentication counters of the embedded broker (undefined with an external broker). */
  brokerAuth?: () => BrokerAuthCounters | undefined;
  /** Effect reports until their data changes; fed with what the store writer stores. Without it every request computes. */
  effectsCache?: EffectsCache;
  /** The daily rollups of the KPIs' inputs, when the store keeps them; the analyses read them. */
  rollup?: KpiRollup;
  /** The ingest's door for batches posted over HTTP (POST /api/ingest/batch); absent in unit tests. */
  intake?: MessageIntake;
  /** The demo's simulated history, while it loads (GET /api/health carries it). */
  history?: HistoryStatus;
  /** Connection state of each portfolio source (server/src/sources/); absent in unit tests. */
  sources?: () => Record<string, SourceStatus>;
  /** Folder of the built dashboard served at `/`. */
  dashboardDir: string;
}
