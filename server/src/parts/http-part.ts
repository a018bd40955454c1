/** The HTTP API, the dashboard and `/ws`: built from the parts before it, then listening. Last in the list. */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import type { Registry } from '../config/registry.js';
import type { HistoryStatus } from '../demo/history-status.js';
import type { Settings } from '../config/settings.js';
import type { AlertsPart } from './alerts-part.js';
import type { AuthPart } from './auth-part.js';
import type { EvidencePart } from './evidence-part.js';
import type { BrokerPart } from './broker-part.js';
import type { HubPart } from './hub-part.js';
import type { IngestPart } from './ingest-part.js';
import type { IngestRecordsPart } from './ingest-records-part.js';
import type { LiveStatePart } from './live-state-part.js';
import type { SourcesPart } from './sources-part.js';
import { handlersIdle } from '../http/in-flight.js';
import { startedValue, type Log, type Part } from './part.js';
import { firstLine, StartupError } from './startup-error.js';
import type { StorePart } from './store-part.js';
import type { StoreWriterPart } from './store-writer-part.js';

/** How long shutdown waits for running requests (an experiment's effects take seconds at most). */
const HANDLERS_WAIT_MS = 30_000;

export interface HttpSources {
  auth: AuthPart;
  store: StorePart;
  broker: BrokerPart;
  records: IngestRecordsPart;
  live: LiveStatePart;
  alerts: AlertsPart;
  hub: HubPart;
  writer: StoreWriterPart;
  ingest: IngestPart;
  sources: SourcesPart;
  evidence: EvidencePart;
  /** The demo's history progress (GET /api/health). */
  history: HistoryStatus;
}

export class HttpPart implements Part {
  readonly name = 'http';
  private built: FastifyInstance | undefined;
  private port: number | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly registry: Registry,
    private readonly dashboardDir: string,
    private readonly sources: HttpSources,
    private readonly log: Log,
  ) {}

  /** The demo's history progress, shown on /api/health. */
  get history(): HistoryStatus {
    return this.sources.history;
  }

  get app(): FastifyInstance {
    return startedValue(this.built, this.name);
  }

  /** Base URL of the server once listening. */
  get url(): string {
    return `http://${hostForUrl(this.settings.host)}:${startedValue(this.port, this.name)}`;
  }

  async start(): Promise<void> {
    const { settings } = this;
    const { auth, store, broker, records, live, alerts, hub, writer, ingest, sources, evidence, history } =
      this.sources;
    const app = await buildApp(
      {
        settings,
        registry: this.registry,
        store: store.store,
        stats: records.stats,
        deadLetters: records.deadLetters,
        tracker: live.tracker,
        startedAt: Date.now(),
        dashboardDir: this.dashboardDir,
        live: { engine: live.engine, hub: hub.hub },
        alerts: alerts.service,
        auth: auth.service,
        brokerAuth: () => broker.counters,
        ingest: {
          brokerConnected: () => ingest.mqtt.connected,
          pending: () => writer.writer.pending,
          storeRetrying: () => writer.writer.isRetrying,
        },
        intake: writer.intake,
        effectsCache: evidence.effectsCache,
        ...(evidence.rollup ? { rollup: evidence.rollup } : {}),
        history,
        sources: () => sources.status(),
      },
      this.log,
    );
    this.built = app;
    try {
      await app.listen({ port: settings.port, host: settings.host });
    } catch (error) {
      throw new StartupError(
        `PORT: cannot listen on ${settings.host}:${settings.port} (${firstLine(error)})`,
      );
    }
    const address = app.server.address();
    this.port = typeof address === 'object' && address ? address.port : settings.port;
  }

  /** Closes the server, then waits for handlers still running (their clients may have gone): the store closes after this. */
  async stop(): Promise<void> {
    if (!this.built) return;
    await this.built.close();
    if (!(await handlersIdle(this.built, HANDLERS_WAIT_MS)))
      this.log.warn(
        `http: requests still running ${HANDLERS_WAIT_MS / 1000} s after closing; stopping anyway`,
      );
  }
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
