/**
 * Alerts in a cluster. Every instance evaluates the rules on the same merged, ordered stream,
 * so every instance's book holds the same alerts (ids derive from device, rule and the
 * reading's time) and every dashboard shows them. What leaves the cluster must leave once:
 * the MQTT alert topics and the webhook are served by the leader alone (membership.ts). On
 * becoming leader the MQTT publisher brings every device's retained topic up to date from
 * this instance's book, so a change missed while no one led reaches MQTT subscribers then.
 *
 * An acknowledgement is made on one instance and shared with the others, keyed by device and
 * rule: a peer's copy of the alert can carry another id (an `offline` alert raised by silence
 * is stamped with each instance's own receive time).
 */
import { AlertMqttPublisher, type AlertMqttOptions } from '../alerts/alert-mqtt.js';
import type { AlertService } from '../alerts/alert-service.js';
import { AlertWebhook } from '../alerts/alert-webhook.js';
import type { Alert, Domain } from '../contract/index.js';
import type { AckNotice } from './cluster-codec.js';

export interface AlertDeliveryOptions {
  mqtt: AlertMqttOptions;
  webhookUrl: string | undefined;
}

export class ClusterAlerts {
  private leading = false;
  private applyingPeerAck = false;
  private publisher: AlertMqttPublisher | undefined;
  private readonly webhook: AlertWebhook | undefined;
  private stopping: Promise<void> = Promise.resolve();

  constructor(
    private readonly alerts: AlertService,
    private readonly options: AlertDeliveryOptions,
    /** Sends an acknowledgement made here to the peers. */
    share: (ack: AckNotice) => void,
    private readonly warn: (message: string) => void,
  ) {
    if (options.webhookUrl) this.webhook = new AlertWebhook({ url: options.webhookUrl }, warn);
    alerts.book.onChange((kind, alert) => {
      if (kind === 'acknowledged' && !this.applyingPeerAck && alert.acknowledged_at !== null)
        share({
          device: alert.device,
          rule: alert.rule,
          by: alert.acknowledged_by ?? '',
          comment: alert.comment,
          at: alert.acknowledged_at,
        });
      if (!this.leading) return;
      this.publisher?.publish(alert.device, alert.domain);
      this.webhook?.send(kind, alert);
    });
  }

  /** A peer's acknowledgement: applied to this instance's unresolved alert of that device and rule, if still open. */
  applyPeerAck(ack: AckNotice): void {
    const current = this.alerts.book.unresolvedFor(ack.rule, ack.device);
    if (current?.state !== 'open') return;
    this.applyingPeerAck = true;
    try {
      this.alerts.book.acknowledge(current.id, ack.by, ack.comment ?? undefined, ack.at);
    } finally {
      this.applyingPeerAck = false;
    }
  }

  get isLeading(): boolean {
    return this.leading;
  }

  setLeader(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    if (leading) {
      const publisher = new AlertMqttPublisher(
        this.options.mqtt,
        (device) => this.alerts.book.activeFor(device),
        () => devicesOf(this.alerts.book.list()),
        this.warn,
      );
      this.publisher = publisher;
      // A previous publisher with the same client id must be gone first, or the broker would drop one of them.
      void this.stopping.then(() => {
        if (this.publisher === publisher) publisher.start();
      });
    } else {
      const publisher = this.publisher;
      this.publisher = undefined;
      if (publisher) this.stopping = this.stopping.then(() => publisher.stop()).catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    this.setLeader(false);
    this.webhook?.stop();
    await this.stopping;
  }
}

function devicesOf(alerts: Alert[]): { device: string; domain: Domain }[] {
  const seen = new Map<string, Domain>();
  for (const a of alerts) seen.set(a.device, a.domain);
  return [...seen].map(([device, domain]) => ({ device, domain }));
}
