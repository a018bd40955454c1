/**
 * Starts and stops the whole server: store, broker (embedded unless MQTT_URL is set),
 * ingest, HTTP. main.ts calls it for the product, integration tests for a real instance.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { restoreFillHistory } from './alerts/alert-restore.js';
import { AlertService } from './alerts/alert-service.js';
import { buildApp } from './app.js';
import { AuthService } from './auth/auth-service.js';
import { emptyAuthCounters, type BrokerAuthCounters } from './broker/broker-auth.js';
import { deviceAuthWarnings, embeddedBrokerAuth } from './broker/embedded-auth.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker/embedded-broker.js';
import { Bus } from './bus/bus.js';
import { Cluster } from './cluster/cluster.js';
import { memberClientId } from './cluster/cluster-settings.js';
import { ConfigError } from './config/config-error.js';
import type { Registry } from './config/registry.js';
import type { Settings } from './config/settings.js';
import type { AppContext } from './http/context.js';
import { DeadLetters } from './ingest/dead-letters.js';
import { IngestStats } from './ingest/ingest-stats.js';
import { historyStatus, type HistoryStatus } from './demo/history-status.js';
import { MessageIntake } from './ingest/intake.js';
import { MqttIngest } from './ingest/mqtt-ingest.js';
import { StoreWriter } from './ingest/store-writer.js';
import { DeviceTracker } from './live/device-tracker.js';
import { refreshBaselines, restoreFromStore } from './live/engine-restore.js';
import { IndicatorEngine } from './live/indicator-engine.js';
import { LiveHub } from './live/live-hub.js';
import { LocalCalendar } from './domains/local-calendar.js';
import { EffectsCache } from './experiments/effects-cache.js';
import { KpiRollup, ROLLUP_REFRESH_MS } from './experiments/rollup/kpi-rollup.js';
import { withDefaults } from './experiments/settings.js';
import { SourceConnections } from './sources/source-connections.js';
import { createStore, storeSettingName } from './store/create-store.js';
import type { TelemetryStore } from './store/port.js';

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

export class StartupError extends Error {}

export async function startRuntime(
  settings: Settings,
  registry: Registry,
  dashboardDir: string,
): Promise<Runtime> {
  mkdirSync(settings.dataDir, { recursive: true });
  const ingestWindow = {
    topicRoot: settings.mqtt.topicRoot,
    maxAgeMs: settings.ingest.maxAgeDays * 86_400_000,
    maxFutureMs: settings.ingest.maxFutureMs,
  };
  // Real devices' own formats (portfolio sources:); checked before anything starts.
  const sources = new SourceConnections(registry, ingestWindow);
  const brokerAuth = settings.mqtt.url === undefined ? embeddedBrokerAuth(settings, registry) : undefined;
  // From here on every MQTT client of the server (ingest, alerts, cluster) connects as the service identity.
  if (brokerAuth) settings = { ...settings, mqtt: { ...settings.mqtt, ...brokerAuth.service } };
  // First: without ADMIN_PASSWORD (outside the demo) nothing else starts.
  const auth = await AuthService.open(settings.auth, settings.dataDir);
  const store = createStore(settings, (line) => process.stderr.write(`${line}\n`));
  try {
    await store.open();
  } catch (error) {
    auth.close();
    if (error instanceof ConfigError) throw error;
    throw new StartupError(
      `${storeSettingName(settings)}: cannot open the ${store.kind} store (${firstLine(error)})`,
    );
  }

  let broker: EmbeddedBroker | undefined;
  if (settings.mqtt.url === undefined) {
    try {
      broker = await startEmbeddedBroker(settings.mqtt.embeddedPort, settings.mqtt.embeddedHost, brokerAuth);
    } catch (error) {
      await store.close();
      throw new StartupError(
        `${(error as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL' ? 'MQTT_EMBEDDED_HOST' : 'MQTT_EMBEDDED_PORT'}: cannot start the embedded broker on ${settings.mqtt.embeddedHost} port ${settings.mqtt.embeddedPort} (${firstLine(error)})`,
      );
    }
  }
  const mqttUrl = settings.mqtt.url ?? (broker as EmbeddedBroker).url;

  const stats = new IngestStats(join(settings.dataDir, 'ingest-stats.json'));
  const deadLetters = new DeadLetters(
    join(settings.dataDir, 'dead-letters.ndjson'),
    settings.ingest.deadLetterLimit,
  );
  const tracker = new DeviceTracker(registry);
  const lastSeen = await store.lastSeen();
  tracker.restoreLastSeen(lastSeen);
  tracker.restoreValues(await store.latest([...registry.devices.keys()]));
  // Restored before ingest starts, so no live reading can be counted twice.
  const engine = new IndicatorEngine(registry, tracker, Date.now());
  // In a cluster each instance keeps a persistent session of its own, and one instance delivers alerts.
  const clientId = settings.cluster
    ? memberClientId(settings.mqtt.clientId, settings.cluster.instanceId)
    : settings.mqtt.clientId;
  const alertMqtt = {
    url: mqttUrl,
    clientId: `${clientId}-alerts`,
    username: settings.mqtt.username,
    password: settings.mqtt.password,
    topicRoot: settings.mqtt.topicRoot,
  };
  await restoreFromStore(engine, store, registry.devices.values(), lastSeen, Date.now());
  const alerts = new AlertService(registry, {
    dataDir: settings.dataDir,
    ...(settings.cluster ? {} : { mqtt: alertMqtt, webhookUrl: settings.alertWebhookUrl }),
    // The building's 7-day hourly power profile, as the indicator engine keeps it.
    baselineKw: (device, hour) => engine.energy.get(device)?.profile?.[hour] ?? null,
    warn: (m) => app.log.warn(m),
  });
  alerts.engine.restore(lastSeen);
  await restoreFillHistory(alerts.engine, store, registry, Date.now(), lastSeen);

  const effectsCache = new EffectsCache(registry);
  const rollup = KpiRollup.of(
    store,
    registry,
    new LocalCalendar(registry.portfolio.timezone),
    withDefaults(),
  );
  const writer = new StoreWriter(
    store,
    {
      batchSize: settings.ingest.batchSize,
      flushMs: settings.ingest.flushMs,
      // Stop reading from the broker at two batches pending: a flood of incoming packets would
      // otherwise keep the event loop from completing the write that acknowledges them.
      highWater: settings.ingest.batchSize * 2,
      idleMs: 2,
    },
    {
      beforeAck: () => deadLetters.flush(),
      onStored: (readings, result) => {
        stats.stored(readings.length, result.duplicates);
        effectsCache.onStored(readings);
      },
      onWriteError: (error, attempt) => {
        if (attempt === 1 || attempt % 10 === 0)
          app.log.warn(`store write failed (attempt ${attempt}): ${firstLine(error)}`);
      },
    },
  );
  const liveState = {
    engine,
    hub: new LiveHub(engine, { flushMs: settings.liveFrameMs }, (m) => app.log.warn(m)),
  };
  const history = historyStatus();
  const ctx: AppContext = {
    history,
    settings,
    registry,
    store,
    stats,
    deadLetters,
    tracker,
    startedAt: Date.now(),
    dashboardDir,
    live: liveState,
    alerts,
    auth,
    effectsCache,
    ...(rollup ? { rollup } : {}),
    brokerAuth: () => (broker ? (brokerAuth?.counters ?? emptyAuthCounters(false)) : undefined),
    ingest: {
      brokerConnected: () => ingest.connected,
      pending: () => writer.pending,
      storeRetrying: () => writer.isRetrying,
    },
    sources: () => sources.status(),
  };
  const app = await buildApp(ctx, { level: settings.logLevel });
  for (const warning of auth.warnings()) app.log.warn(warning);
  for (const warning of deviceAuthWarnings(settings, brokerAuth, broker?.url)) app.log.warn(warning);
  if (brokerAuth) brokerAuth.log = (m) => app.log.warn(m);

  const bus = new Bus((error, type) => app.log.error({ err: error }, `bus observer failed on ${type}`));
  bus.setDurableSink((reading, ack) => writer.add(reading, ack));
  const intake = new MessageIntake({ registry, bus, writer, stats, deadLetters });
  // Routes read it per request; set before the server listens.
  ctx.intake = intake;
  // In a cluster the live state listens to the merged stream of every instance (server/src/cluster/).
  const cluster = settings.cluster
    ? new Cluster(
        registry,
        bus,
        settings.cluster,
        { ...alertMqtt, clientId },
        { info: (m) => app.log.info(m), warn: (m) => app.log.warn(m), error: (m) => app.log.error(m) },
        (error, type) => app.log.error({ err: error }, `live observer failed on ${type}`),
      )
    : undefined;
  const live = cluster?.liveBus ?? bus;
  live.on('reading', (reading) => {
    const missing = tracker.onReading(reading);
    // A gap before a peer's reading is counted by the peer that ingested it.
    if (missing > 0 && !cluster?.isRemote(reading)) stats.seqGaps(missing);
  });
  // A peer stores what it ingested: its readings change this instance's cached effects too.
  if (cluster)
    live.on('reading', (reading) => {
      if (cluster.isRemote(reading)) effectsCache.onPeerReading(reading);
    });
  live.on('status', (change) => tracker.onStatus(change));
  // Registered after the tracker: the engine reads the tracker's updated state.
  live.on('reading', (reading) => engine.onReading(reading));
  live.on('status', (change) => engine.onStatus(change.device));
  live.on('event', (event) => engine.onEvent(event));
  // After the tracker, like the engine; alerts ride on the live stream's frames.
  alerts.observe(live);
  cluster?.attachAlerts(alerts, { mqtt: alertMqtt, webhookUrl: settings.alertWebhookUrl });
  cluster?.start();
  liveState.hub.addSource(alerts);
  alerts.start();
  liveState.hub.start();

  const ingest: MqttIngest = new MqttIngest(
    {
      url: mqttUrl,
      clientId,
      username: settings.mqtt.username,
      password: settings.mqtt.password,
      shareGroup: settings.cluster?.shareGroup,
      classify: ingestWindow,
    },
    intake,
    writer,
    { info: (m) => app.log.info(m), warn: (m) => app.log.warn(m) },
  );
  const subscribed = ingest.start();
  const connectedInTime = await Promise.race([subscribed.then(() => true), delay(5_000).then(() => false)]);
  if (!connectedInTime)
    app.log.warn(`mqtt: not connected to ${mqttUrl} yet; ingest starts when the broker answers`);
  const log = { info: (m: string) => app.log.info(m), warn: (m: string) => app.log.warn(m) };
  const { username, password } = settings.mqtt;
  const own = { url: mqttUrl, clientId, username, password, shareGroup: settings.cluster?.shareGroup };
  for (const id of await sources.start(own, { bus, writer, stats, deadLetters, log }))
    app.log.warn(`source ${id}: not subscribed yet; its readings are taken once its broker answers`);

  try {
    await app.listen({ port: settings.port, host: settings.host });
  } catch (error) {
    await ingest.stop();
    await sources.stop();
    await cluster?.stop();
    await broker?.close();
    await store.close();
    throw new StartupError(`PORT: cannot listen on ${settings.host}:${settings.port} (${firstLine(error)})`);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const saveTimer = setInterval(() => stats.save(), 1_000);
  rollup?.start(ROLLUP_REFRESH_MS, (m) => app.log.warn(m));
  // Baselines (last week's counts and power profile) move on with the hour: a cheap query just after it.
  let baselineTimer: NodeJS.Timeout | undefined;
  const scheduleBaselines = () => {
    baselineTimer = setTimeout(
      () => {
        refreshBaselines(engine, store, registry.devices.values(), Date.now())
          .catch((error: unknown) => app.log.warn(`live: baseline refresh failed: ${firstLine(error)}`))
          .finally(scheduleBaselines);
      },
      3_600_000 - (Date.now() % 3_600_000) + 5_000,
    );
  };
  scheduleBaselines();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(saveTimer);
      clearTimeout(baselineTimer);
      effectsCache.stop();
      await rollup?.stop();
      liveState.hub.stop();
      await ingest.leaveShareGroup();
      ingest.drain();
      await sources.drain();
      await writer.close();
      deadLetters.flush();
      stats.save();
      // After the last write: what this instance ingested still reaches its peers' live state.
      await cluster?.stop();
      await alerts.stop();
      await ingest.stop();
      await sources.stop();
      await app.close();
      await broker?.close();
      await store.close();
    })());

  return {
    app,
    store,
    bus,
    ingest,
    writer,
    alerts,
    cluster,
    brokerAuth: broker ? (brokerAuth?.counters ?? emptyAuthCounters(false)) : undefined,
    mqttUrl,
    httpUrl: `http://${hostForUrl(settings.host)}:${port}`,
    intake,
    history,
    restoreLive: async () => {
      const seen = await store.lastSeen();
      tracker.restoreLastSeen(seen);
      tracker.restoreValues(await store.latest([...registry.devices.keys()]));
      await restoreFromStore(engine, store, registry.devices.values(), seen, Date.now());
      alerts.engine.restore(seen);
      await restoreFillHistory(alerts.engine, store, registry, Date.now(), seen);
      engine.touch(registry.devices.keys());
      engine.touchGroups();
    },
    stop,
  };
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
