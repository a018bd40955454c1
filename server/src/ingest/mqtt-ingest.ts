/**
 * The MQTT subscriber: QoS 1, persistent session (clean: false, fixed client id).
 * Each message is classified; readings go onto the bus (durable sink = StoreWriter),
 * rejections become dead letters. Every QoS 1 message is acknowledged only after
 * the batch it belongs to is durable (see PubackGate). MQTT 3.1.1 is used so that
 * any broker serves it, aedes included; MQTT.js honours `customHandleAcks` only for
 * MQTT 5, so the gate works from the `message` event instead.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { subscriptionFilters } from '../contract/index.js';
import type { ClassifyOptions } from './classify.js';
import type { MessageIntake } from './intake.js';
import { PubackGate } from './puback-gate.js';
import { durableSubscriberOptions } from './subscriber-options.js';
import type { StoreWriter } from './store-writer.js';

export interface MqttIngestOptions {
  url: string;
  clientId: string;
  username: string | undefined;
  password: string | undefined;
  classify: ClassifyOptions;
  /** Set: subscribe through the broker's shared subscription `$share/<group>/…` (scale-out). */
  shareGroup?: string | undefined;
}

export interface IngestLog {
  info(message: string): void;
  warn(message: string): void;
}

export class MqttIngest {
  private client: MqttClient | undefined;
  private draining = false;
  private leaving = false;

  constructor(
    private readonly options: MqttIngestOptions,
    private readonly intake: MessageIntake,
    private readonly writer: StoreWriter,
    private readonly log: IngestLog,
  ) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Connects and subscribes; resolves on the first successful subscription, keeps retrying in the background. */
  start(): Promise<void> {
    const clientOptions = durableSubscriberOptions(this.options);
    const client = mqtt.connect(this.options.url, clientOptions);
    this.client = client;
    const gate = new PubackGate(client);
    client.on('message', (topic, message, packet) => {
      // While draining for shutdown the message is left unacknowledged: the broker re-delivers it.
      if (this.draining) return;
      const ack =
        packet.qos === 1 && packet.messageId !== undefined ? gate.hold(packet.messageId) : () => undefined;
      this.handle(topic, message, ack);
    });
    // MQTT.js's back-pressure hook: the next packet is read only after this callback.
    client.handleMessage = (_packet, callback) => {
      if (this.draining) return;
      // The common case answers at once; only a full write queue defers the next packet.
      if (this.writer.accepting) {
        callback();
        return;
      }
      this.writer.whenAccepting().then(
        () => callback(),
        () => callback(),
      );
    };
    client.on('error', (error) => this.log.warn(`mqtt: ${error.message}`));
    client.on('offline', () => this.log.warn('mqtt: broker unreachable, retrying'));

    const filters = Object.fromEntries(this.filters().map((topic) => [topic, { qos: 1 as const }]));
    return new Promise((resolve) => {
      client.on('connect', (connack) => {
        this.log.info(
          `mqtt: connected to ${redact(this.options.url)} (session present: ${connack.sessionPresent})`,
        );
        if (this.leaving) return;
        client.subscribe(filters, (error) => {
          if (error) this.log.warn(`mqtt: subscribe failed: ${error.message}`);
          else resolve();
        });
      });
    });
  }

  private handle(topic: string, payload: Buffer, ack: () => void): void {
    this.intake.accept(this.options.classify, topic, payload, ack);
  }

  /** The ingest's topic filters; with a share group the broker hands each message to one member of the group. */
  filters(): string[] {
    const plain = subscriptionFilters(this.options.classify.topicRoot);
    const group = this.options.shareGroup;
    return group === undefined ? plain : plain.map((filter) => `$share/${group}/${filter}`);
  }

  /**
   * Scale-in: a member of a share group unsubscribes before it stops, so the broker hands new
   * messages to the other members instead of queueing them in this instance's session (Mosquitto
   * keeps a stopped member in the round-robin). Messages already on their way are still taken and
   * acknowledged: it returns once the stream has been quiet for `quietMs` (at most `maxMs`).
   * Without a share group the subscription stays: the session keeps everything for the restart.
   */
  async leaveShareGroup(quietMs = 200, maxMs = 5_000): Promise<void> {
    const client = this.client;
    if (this.options.shareGroup === undefined || !client?.connected) return;
    this.leaving = true;
    let last = Date.now();
    const deadline = last + maxMs;
    const touch = () => (last = Date.now());
    client.on('message', touch);
    try {
      await Promise.race([client.unsubscribeAsync(this.filters()), delay(maxMs)]);
      while (Date.now() - last < quietMs && Date.now() < deadline) await delay(quietMs / 4);
    } catch (error) {
      this.log.warn(`mqtt: unsubscribe before stopping failed: ${(error as Error).message}`);
    } finally {
      client.off('message', touch);
    }
  }

  /** Stops taking new messages; pending ones are still written and acknowledged by the StoreWriter. */
  drain(): void {
    this.draining = true;
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    await client.endAsync();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid url>';
  }
}
