/**
 * One source's MQTT subscription, with the native ingest's guarantees: a persistent session
 * (clean: false, fixed client id), QoS 1, each PUBACK held until the readings of the message are
 * durably stored (the ingest's PubackGate), back-pressure from the store writer. Messages are
 * handled one after another (a map is evaluated asynchronously), so acknowledgements keep the
 * order of arrival that MQTT requires.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Bus } from '../bus/bus.js';
import type { Outcome } from '../ingest/classify.js';
import type { DeadLetters } from '../ingest/dead-letters.js';
import type { IngestStats } from '../ingest/ingest-stats.js';
import { redact, type IngestLog } from '../ingest/mqtt-ingest.js';
import { PubackGate } from '../ingest/puback-gate.js';
import { durableSubscriberOptions } from '../ingest/subscriber-options.js';
import type { StoreWriter } from '../ingest/store-writer.js';
import type { RouteResult, SourceRouter } from './source-router.js';

export interface SourceLinkOptions {
  url: string;
  clientId: string;
  username: string | undefined;
  password: string | undefined;
  /** What is subscribed: the source's filter, or `$share/<group>/…` of it in a cluster. */
  subscription: string;
}

export interface SourceLinkDeps {
  bus: Bus;
  writer: StoreWriter;
  stats: IngestStats;
  deadLetters: DeadLetters;
  log: IngestLog;
}

/** Messages waiting for their map past which the broker is not read from (back-pressure). */
const MAX_QUEUED = 1000;

export class SourceLink {
  private client: MqttClient | undefined;
  private subscribed = false;
  private draining = false;
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(
    private readonly router: SourceRouter,
    private readonly options: SourceLinkOptions,
    private readonly deps: SourceLinkDeps,
  ) {}

  get id(): string {
    return this.router.source.id;
  }

  get up(): boolean {
    return this.subscribed && (this.client?.connected ?? false);
  }

  /** Connects and subscribes; resolves on the first subscription, keeps retrying in the background. */
  start(): Promise<void> {
    const { log } = this.deps;
    const options = durableSubscriberOptions(this.options);
    const client = mqtt.connect(this.options.url, options);
    this.client = client;
    const gate = new PubackGate(client);
    client.on('message', (topic, payload, packet) => {
      if (this.draining) return; // left unacknowledged: the broker re-delivers it
      const ack =
        packet.qos === 1 && packet.messageId !== undefined ? gate.hold(packet.messageId) : () => undefined;
      this.queued += 1;
      this.tail = this.tail
        .then(() => this.handle(topic, payload, ack))
        // A failure must not break the chain: later messages still need handling (this one is re-delivered).
        .catch((error: unknown) => this.deps.log.warn(`source ${this.id}: ${(error as Error).message}`))
        .finally(() => (this.queued -= 1));
    });
    client.handleMessage = (_packet, callback) => {
      if (this.draining) return;
      if (this.deps.writer.accepting && this.queued < MAX_QUEUED) {
        callback();
        return;
      }
      const resume = () => callback();
      Promise.all([this.deps.writer.whenAccepting(), this.queued < MAX_QUEUED ? undefined : this.tail]).then(
        resume,
        resume,
      );
    };
    const name = `source ${this.id}`;
    client.on('error', (error) => log.warn(`${name}: ${error.message}`));
    client.on('offline', () => log.warn(`${name}: ${redact(this.options.url)} unreachable, retrying`));
    client.on('close', () => (this.subscribed = false));
    return new Promise((resolve) => {
      client.on('connect', (connack) => {
        log.info(
          `${name}: connected to ${redact(this.options.url)} (session present: ${connack.sessionPresent})`,
        );
        client.subscribe(this.options.subscription, { qos: 1 }, (error, granted) => {
          const refused = granted?.some((g) => g.qos === 128);
          if (error || refused) {
            log.warn(
              `${name}: subscription to ${this.options.subscription} refused${error ? `: ${error.message}` : ''}`,
            );
            return;
          }
          this.subscribed = true;
          resolve();
        });
      });
    });
  }

  private async handle(topic: string, payload: Buffer, ack: () => void): Promise<void> {
    const { stats, writer, bus, deadLetters, log } = this.deps;
    const now = Date.now();
    const counters = stats.source(this.id);
    stats.received();
    counters.received += 1;
    let result: RouteResult;
    try {
      result = await this.router.route(topic, payload, now);
    } catch (error) {
      // Adapters never throw on input; should one, the message is a dead letter, not a crash.
      log.warn(`source ${this.id}: ${(error as Error).message}`);
      result = {
        outcomes: [
          { kind: 'rejected', reason: 'format_mismatch', detail: 'the adapter failed on this message' },
        ],
      };
    }
    if ('ignored' in result) {
      counters.ignored += 1;
      writer.addAckOnly(ack);
      return;
    }
    const readings: Extract<Outcome, { kind: 'reading' }>['reading'][] = [];
    for (const outcome of result.outcomes) {
      if (outcome.kind === 'reading') readings.push(outcome.reading);
      else if (outcome.kind === 'rejected') {
        stats.rejected(outcome.reason);
        counters.rejected += 1;
        deadLetters.add(topic, outcome.reason, outcome.detail, payload, now, this.id);
      }
    }
    if (readings.length === 0) {
      writer.addAckOnly(ack);
      return;
    }
    // The message is acknowledged once every reading it holds is durable.
    let left = readings.length;
    const stored = () => {
      left -= 1;
      if (left > 0) return;
      counters.stored += readings.length;
      ack();
    };
    for (const reading of readings) bus.publishReading(reading, stored);
  }

  /** Stops taking messages and waits for those in hand to reach the writer. */
  async drain(): Promise<void> {
    this.draining = true;
    await this.tail;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.subscribed = false;
    await client?.endAsync();
  }
}
