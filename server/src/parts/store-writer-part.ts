/**
 * The store writer: the bus's durable sink. It batches readings into the store and acknowledges
 * each MQTT message once the batch holding it is written. Listed before the parts that feed it
 * (ingest, and any other source of readings); it drains after them, so its last write is of
 * everything they took, and stops before them, so their connections are there for the
 * acknowledgements.
 */
import type { Bus } from '../bus/bus.js';
import type { Reading } from '../contract/index.js';
import type { Registry } from '../config/registry.js';
import type { Settings } from '../config/settings.js';
import { MessageIntake } from '../ingest/intake.js';
import { StoreWriter } from '../ingest/store-writer.js';
import type { IngestRecordsPart } from './ingest-records-part.js';
import { startedValue, type Log, type Part } from './part.js';
import { firstLine } from './startup-error.js';
import type { StorePart } from './store-part.js';

export class StoreWriterPart implements Part {
  readonly name = 'store writer';
  private created: { writer: StoreWriter; intake: MessageIntake } | undefined;
  /** Told of every batch once it is stored (the effects cache). */
  readonly storedObservers: ((readings: readonly Reading[]) => void)[] = [];

  constructor(
    private readonly settings: Settings,
    private readonly registry: Registry,
    private readonly bus: Bus,
    private readonly store: StorePart,
    private readonly records: IngestRecordsPart,
    private readonly log: Log,
  ) {}

  get writer(): StoreWriter {
    return startedValue(this.created, this.name).writer;
  }

  /** The door every message comes in by (MQTT, an HTTP batch, the demo's history): classified, counted, then here. */
  get intake(): MessageIntake {
    return startedValue(this.created, this.name).intake;
  }

  start(): void {
    const { ingest } = this.settings;
    const { stats, deadLetters } = this.records;
    const log = this.log;
    const writer = new StoreWriter(
      this.store.store,
      {
        batchSize: ingest.batchSize,
        flushMs: ingest.flushMs,
        // Stop reading from the broker at two batches pending: a flood of incoming packets would
        // otherwise keep the event loop from completing the write that acknowledges them.
        highWater: ingest.batchSize * 2,
        idleMs: 2,
      },
      {
        beforeAck: () => deadLetters.flush(),
        onStored: (readings, result) => {
          stats.stored(readings.length, result.duplicates);
          for (const observe of this.storedObservers) observe(readings);
        },
        onWriteError: (error, attempt) => {
          if (attempt === 1 || attempt % 10 === 0)
            log.warn(`store write failed (attempt ${attempt}): ${firstLine(error)}`);
        },
      },
    );
    this.bus.setDurableSink((reading, ack) => writer.add(reading, ack));
    const { registry, bus } = this;
    this.created = { writer, intake: new MessageIntake({ registry, bus, writer, stats, deadLetters }) };
  }

  /** Writes and acknowledges what is pending (the parts feeding it have drained already). */
  async drain(): Promise<void> {
    await this.created?.writer.close();
  }

  stop(): void {
    // Nothing held once drained.
  }
}
