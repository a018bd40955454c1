/**
 * Alerts for other city systems on MQTT: `{root}/alerts/{domain}/{deviceId}` holds, retained,
 * the device's unresolved alerts; when the last one resolves the retained message is cleared
 * (an empty retained payload). One topic per device, so a subscriber to `{root}/alerts/#` gets
 * the whole current picture on connect. The ingest subscribes only to `{root}/{domain}/+/+`,
 * so these messages are never ingested back.
 *
 * A client of its own (clean session, `<MQTT_CLIENT_ID>-alerts`): the ingest's client holds
 * PUBACKs back for durability and applies back-pressure, neither of which should touch this.
 * MQTT.js queues publishes while the broker is away; nothing here is ever awaited by ingest.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Alert, Domain } from '../contract/index.js';

export interface AlertMqttOptions {
  url: string;
  clientId: string;
  username: string | undefined;
  password: string | undefined;
  topicRoot: string;
}

export function alertTopic(root: string, domain: Domain, device: string): string {
  return `${root}/alerts/${domain}/${device}`;
}

export interface DeviceAlerts {
  device: string;
  domain: Domain;
  site: string;
  pilot: string | null;
  updated_at: number;
  alerts: Alert[];
}

export class AlertMqttPublisher {
  private client: MqttClient | undefined;

  constructor(
    private readonly options: AlertMqttOptions,
    /** The unresolved alerts of a device, newest first. */
    private readonly activeOf: (device: string) => Alert[],
    /** Devices whose retained topic may hold something: every device that ever had an alert. */
    private readonly knownDevices: () => Iterable<{ device: string; domain: Domain }>,
    private readonly warn: (message: string) => void,
  ) {}

  start(): void {
    const clientOptions: IClientOptions = {
      clientId: this.options.clientId,
      clean: true,
      reconnectPeriod: 2_000,
      connectTimeout: 10_000,
      // No pre-built Buffer per packet id (about 7 MB of heap); see MqttIngest.
      writeCache: false,
    };
    if (this.options.username !== undefined) clientOptions.username = this.options.username;
    if (this.options.password !== undefined) clientOptions.password = this.options.password;
    const client = mqtt.connect(this.options.url, clientOptions);
    this.client = client;
    let first = true;
    client.on('error', (error) => this.warn(`alerts mqtt: ${error.message}`));
    client.on('connect', () => {
      // Alerts resolved while the server was down still have a retained message: bring every topic up to date.
      if (first) for (const { device, domain } of this.knownDevices()) this.publish(device, domain);
      first = false;
    });
  }

  /** Publishes the device's current state: its unresolved alerts, or a cleared topic. */
  publish(device: string, domain: Domain): void {
    const client = this.client;
    if (!client) return;
    const alerts = this.activeOf(device);
    const first = alerts[0];
    const payload = first
      ? JSON.stringify({
          device,
          domain,
          site: first.site,
          pilot: first.pilot,
          updated_at: Math.max(...alerts.map((a) => a.updated_at)),
          alerts,
        } satisfies DeviceAlerts)
      : '';
    client.publish(
      alertTopic(this.options.topicRoot, domain, device),
      payload,
      { qos: 1, retain: true },
      (error) => {
        if (error) this.warn(`alerts mqtt: publish for ${device} failed: ${error.message}`);
      },
    );
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    // Let queued publishes go out when connected; never hang shutdown on a missing broker.
    if (client) await client.endAsync(!client.connected);
  }
}
