/**
 * Alerts: rules, lifecycle (DATA_DIR/alerts.ndjson) and delivery, restored from the store. A single
 * instance delivers to MQTT and the webhook itself; in a cluster the leader does (cluster-part.ts).
 */
import { restoreFillHistory } from '../alerts/alert-restore.js';
import { AlertService } from '../alerts/alert-service.js';
import type { AlertDeliveryOptions } from '../cluster/cluster-alerts.js';
import type { Registry } from '../config/registry.js';
import type { Settings } from '../config/settings.js';
import type { BrokerPart } from './broker-part.js';
import type { LiveStatePart } from './live-state-part.js';
import { serverClientId, serviceMqtt } from './mqtt-identity.js';
import { startedValue, type Log, type Part } from './part.js';
import type { StorePart } from './store-part.js';

export class AlertsPart implements Part {
  readonly name = 'alerts';
  private created: AlertService | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly registry: Registry,
    private readonly store: StorePart,
    private readonly broker: BrokerPart,
    private readonly live: LiveStatePart,
    private readonly log: Log,
  ) {}

  get service(): AlertService {
    return startedValue(this.created, this.name);
  }

  /** Where alerts leave the server: `{root}/alerts/…` on the broker, and the optional webhook. */
  get delivery(): AlertDeliveryOptions {
    const clientId = `${serverClientId(this.settings)}-alerts`;
    return {
      mqtt: serviceMqtt(this.settings, this.broker.url, clientId),
      webhookUrl: this.settings.alertWebhookUrl,
    };
  }

  async start(): Promise<void> {
    const engine = this.live.engine;
    const alerts = new AlertService(this.registry, {
      dataDir: this.settings.dataDir,
      ...(this.settings.cluster ? {} : this.delivery),
      // The building's 7-day hourly power profile, as the indicator engine keeps it.
      baselineKw: (device, hour) => engine.energy.get(device)?.profile?.[hour] ?? null,
      warn: (m) => this.log.warn(m),
    });
    this.created = alerts;
    await this.restore(this.live.takeLastSeen());
    alerts.start();
  }

  /** Each device's last reading and each bin's fill trend, from the store. */
  async restore(lastSeen: ReadonlyMap<string, number>): Promise<void> {
    const { engine } = this.service;
    engine.restore(lastSeen);
    await restoreFillHistory(engine, this.store.store, this.registry, Date.now(), lastSeen);
  }

  async stop(): Promise<void> {
    await this.created?.stop();
  }
}
