/**
 * Wires the alerts together for the runtime: the lifecycle book (persisted under DATA_DIR), the
 * engine on the bus, and delivery to the live stream, MQTT and the optional webhook.
 */
import { join } from 'node:path';
import { alertKey, type Alert, type AlertEntity, type LiveEntity } from '../contract/index.js';
import type { Registry } from '../config/registry.js';
import { AlertBook } from './alert-book.js';
import { AlertEngine, type AlertEngineOptions } from './alert-engine.js';
import { AlertJournal } from './alert-journal.js';
import { AlertMqttPublisher, type AlertMqttOptions } from './alert-mqtt.js';
import { AlertWebhook } from './alert-webhook.js';

export interface AlertServiceOptions extends AlertEngineOptions {
  /** Undefined: alerts are kept in memory only (unit tests). */
  dataDir: string | undefined;
  mqtt?: AlertMqttOptions;
  webhookUrl?: string;
  warn?: (message: string) => void;
}

export function toEntity(alert: Alert): AlertEntity {
  return { ...alert, key: alertKey(alert.id), scope: 'alert' };
}

export class AlertService {
  readonly book: AlertBook;
  readonly engine: AlertEngine;
  readonly webhook: AlertWebhook | undefined;
  private readonly mqtt: AlertMqttPublisher | undefined;
  private readonly changed = new Map<string, AlertEntity>();
  private readonly current = new Map<string, AlertEntity>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(registry: Registry, options: AlertServiceOptions) {
    const warn = options.warn ?? (() => undefined);
    const journal = new AlertJournal(options.dataDir ? join(options.dataDir, 'alerts.ndjson') : undefined);
    this.book = new AlertBook(journal);
    this.engine = new AlertEngine(registry, this.book, options);
    for (const alert of this.book.active()) this.current.set(alert.id, toEntity(alert));
    if (options.webhookUrl) this.webhook = new AlertWebhook({ url: options.webhookUrl }, warn);
    if (options.mqtt) {
      this.mqtt = new AlertMqttPublisher(
        options.mqtt,
        (device) => this.book.activeFor(device),
        () => uniqueDevices(this.book.list()),
        warn,
      );
    }
    this.book.onChange((kind, alert) => {
      const entity = toEntity(alert);
      this.changed.set(alert.id, entity);
      if (alert.state === 'resolved') this.current.delete(alert.id);
      else this.current.set(alert.id, entity);
      this.mqtt?.publish(alert.device, alert.domain);
      this.webhook?.send(kind, alert);
    });
  }

  start(): void {
    this.engine.start();
    this.mqtt?.start();
    // Alert changes are rare: write them to the journal in small batches, off the reading path.
    this.flushTimer ??= setInterval(() => this.book.flush(), 200);
  }

  async stop(): Promise<void> {
    this.engine.stop();
    clearInterval(this.flushTimer);
    this.flushTimer = undefined;
    this.book.flush();
    this.webhook?.stop();
    await this.mqtt?.stop();
  }

  /** Live-stream source: unresolved alerts for snapshots. */
  entities(): IterableIterator<LiveEntity> {
    return this.current.values();
  }

  /** Live-stream source: alerts that changed since the last call (resolutions included). */
  takeChanges(): LiveEntity[] {
    if (this.changed.size === 0) return [];
    const out = [...this.changed.values()];
    this.changed.clear();
    return out;
  }
}

function uniqueDevices(alerts: Alert[]) {
  const seen = new Map<string, Alert['domain']>();
  for (const a of alerts) seen.set(a.device, a.domain);
  return [...seen].map(([device, domain]) => ({ device, domain }));
}
