/**
 * One message in, by whichever door (the MQTT subscriber, the HTTP batch import): classified,
 * counted, and handed on — a reading to the bus (stored, then acknowledged), a status or event to
 * its observers, a rejection to the dead letters. Every door shares this, so a reading is a reading
 * with the same validation, counters and durability whichever way it came.
 */
import type { Bus } from '../bus/bus.js';
import type { Registry } from '../config/registry.js';
import { classify, classifyObject, type ClassifyOptions, type Outcome } from './classify.js';
import type { DeadLetters } from './dead-letters.js';
import type { IngestStats } from './ingest-stats.js';
import type { StoreWriter } from './store-writer.js';

export interface IntakeParts {
  registry: Registry;
  bus: Bus;
  writer: StoreWriter;
  stats: IngestStats;
  deadLetters: DeadLetters;
}

export class MessageIntake {
  constructor(private readonly parts: IntakeParts) {}

  /** `ack` runs once the message is durable (a reading) or fully handled (anything else). */
  accept(
    options: ClassifyOptions,
    topic: string,
    payload: Buffer,
    ack: () => void,
    now = Date.now(),
  ): Outcome {
    this.parts.stats.received();
    const outcome = classify(this.parts.registry, options, topic, payload, now);
    this.route(outcome, topic, payload, ack, now, true);
    return outcome;
  }

  /**
   * A payload an in-process producer already holds as an object (the demo's history fill). With
   * `live: false` the reading is stored and counted but not shown to the live observers: history
   * replayed through the live engine and alert rules would open and close a year of alerts.
   */
  acceptObject(
    options: ClassifyOptions,
    topic: string,
    value: Record<string, unknown>,
    ack: () => void,
    { live = true, now = Date.now() }: { live?: boolean; now?: number } = {},
  ): Outcome {
    this.parts.stats.received();
    const outcome = classifyObject(this.parts.registry, options, topic, value, now);
    this.route(outcome, topic, value, ack, now, live);
    return outcome;
  }

  private route(
    outcome: Outcome,
    topic: string,
    payload: Buffer | Record<string, unknown>,
    ack: () => void,
    now: number,
    live: boolean,
  ): void {
    const { bus, writer, stats, deadLetters } = this.parts;
    switch (outcome.kind) {
      case 'reading':
        if (live) bus.publishReading(outcome.reading, ack);
        else writer.add(outcome.reading, ack);
        break;
      case 'status':
        stats.status();
        if (live) bus.notify('status', outcome.status);
        writer.addAckOnly(ack);
        break;
      case 'event':
        stats.event();
        if (live) bus.notify('event', outcome.event);
        writer.addAckOnly(ack);
        break;
      case 'rejected':
        stats.rejected(outcome.reason);
        deadLetters.add(
          topic,
          outcome.reason,
          outcome.detail,
          Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload)),
          now,
        );
        writer.addAckOnly(ack);
        break;
    }
  }

  /** Whether the writer takes more now (false: a flood waits for pending batches to be written). */
  get accepting(): boolean {
    return this.parts.writer.accepting;
  }

  whenAccepting(): Promise<void> {
    return this.parts.writer.whenAccepting();
  }
}
