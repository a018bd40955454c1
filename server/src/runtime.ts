/**
 * Starts and stops the whole server as a list of parts (server/src/parts/), each with start() and
 * stop() (and drain() where it takes in work): started in this order, drained and stopped in reverse
 * on shutdown and when a part fails to start. A new part is one line here. Every part is made
 * before any starts, so a bad setting or source stops start-up with nothing to undo.
 * main.ts calls it for the product, integration tests for a real instance.
 */
import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { AlertService } from './alerts/alert-service.js';
import type { BrokerAuthCounters } from './broker/broker-auth.js';
import { Bus } from './bus/bus.js';
import type { Cluster } from './cluster/cluster.js';
import type { Registry } from './config/registry.js';
import type { Settings } from './config/settings.js';
import { historyStatus, type HistoryStatus } from './demo/history-status.js';
import type { MessageIntake } from './ingest/intake.js';
import type { MqttIngest } from './ingest/mqtt-ingest.js';
import type { StoreWriter } from './ingest/store-writer.js';
import { AlertsPart } from './parts/alerts-part.js';
import { AuthPart } from './parts/auth-part.js';
import { BaselineRefreshPart } from './parts/baseline-refresh-part.js';
import { BrokerPart } from './parts/broker-part.js';
import { EvidencePart } from './parts/evidence-part.js';
import { ClusterPart } from './parts/cluster-part.js';
import { HttpPart } from './parts/http-part.js';
import { HubPart } from './parts/hub-part.js';
import { IngestPart } from './parts/ingest-part.js';
import { IngestRecordsPart } from './parts/ingest-records-part.js';
import { LiveStatePart } from './parts/live-state-part.js';
import { LiveStreamPart } from './parts/live-stream-part.js';
import { createLogger } from './parts/logger.js';
import { withServiceIdentity } from './parts/mqtt-identity.js';
import { every, startParts } from './parts/part.js';
import { SourcesPart } from './parts/sources-part.js';
import { StorePart } from './parts/store-part.js';
import { StoreWriterPart } from './parts/store-writer-part.js';
import type { TelemetryStore } from './store/port.js';

export { firstLine, StartupError } from './parts/startup-error.js';

export interface Runtime {
  app: FastifyInstance;
  store: TelemetryStore;
  bus: Bus;
  ingest: MqttIngest;
  writer: StoreWriter;
  alerts: AlertService;
  /** Set when INGEST_SHARE_GROUP makes this instance one of several. */
  cluster: Cluster | undefined;
  /** Device-authentication counters of the embedded broker; undefined with an external broker. */
  brokerAuth: BrokerAuthCounters | undefined;
  /** The broker URL in use (embedded or external). */
  mqttUrl: string;
  /** Base URL of the HTTP server once listening. */
  httpUrl: string;
  /** The ingest's door for in-process producers (the demo's history fill). */
  intake: MessageIntake;
  /** The demo's history progress, served on /api/health. */
  history: HistoryStatus;
  /** Rebuilds the live state from the store, as at start-up: after a bulk fill that bypassed it. */
  restoreLive(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRuntime(
  configured: Settings,
  registry: Registry,
  dashboardDir: string,
): Promise<Runtime> {
  mkdirSync(configured.dataDir, { recursive: true });
  const log = createLogger(configured.logLevel);
  // Every MQTT client of the server (ingest, alerts, cluster) connects as the service identity.
  const { settings, brokerAuth } = withServiceIdentity(configured, registry);
  const bus = new Bus((error, type) => log.error({ err: error }, `bus observer failed on ${type}`));
  const auth = new AuthPart(settings, log);
  const store = new StorePart(settings);
  const broker = new BrokerPart(settings, brokerAuth, log);
  const records = new IngestRecordsPart(settings);
  const live = new LiveStatePart(registry, store);
  const alerts = new AlertsPart(settings, registry, store, broker, live, log);
  const cluster = new ClusterPart(settings, registry, bus, broker, auth, alerts, log);
  const hub = new HubPart(settings, live, alerts, log);
  const writer = new StoreWriterPart(settings, registry, bus, store, records, log);
  const ingest = new IngestPart(settings, broker, writer, log);
  const sources = new SourcesPart(settings, registry, bus, broker, writer, records, log);
  const evidence = new EvidencePart(registry, store, cluster, writer, log);
  const served = { auth, store, broker, records, live, alerts, hub, writer, ingest, sources, evidence };
  const http = new HttpPart(settings, registry, dashboardDir, { ...served, history: historyStatus() }, log);
  const stop = await startParts(
    [
      auth, // first: without ADMIN_PASSWORD (outside the demo) nothing else starts
      store,
      broker,
      records,
      every('stats saver', 1_000, () => records.stats.save()),
      live,
      new BaselineRefreshPart(registry, store, live, log),
      alerts,
      cluster,
      new LiveStreamPart(cluster, records, live, alerts),
      hub,
      evidence, // the effects cache observes what the writer stores; the rollups read the store
      writer, // before what feeds it: it drains after them and stops before them
      ingest,
      sources,
      http,
    ],
    log,
  );
  return handles({ bus, http, store, ingest, writer, alerts, cluster, broker, live }, stop);
}

/** What callers (main.ts, the demo, tests) hold of a started runtime. */
function handles(
  parts: {
    bus: Bus;
    http: HttpPart;
    store: StorePart;
    ingest: IngestPart;
    writer: StoreWriterPart;
    alerts: AlertsPart;
    cluster: ClusterPart;
    broker: BrokerPart;
    live: LiveStatePart;
  },
  stop: () => Promise<void>,
): Runtime {
  const { bus, http, store, ingest, writer, alerts, cluster, broker, live } = parts;
  return {
    app: http.app,
    store: store.store,
    bus,
    ingest: ingest.mqtt,
    writer: writer.writer,
    alerts: alerts.service,
    cluster: cluster.cluster,
    brokerAuth: broker.counters,
    mqttUrl: broker.url,
    httpUrl: http.url,
    intake: writer.intake,
    history: http.history,
    restoreLive: async () => alerts.restore(await live.restoreAgain()),
    stop,
  };
}
