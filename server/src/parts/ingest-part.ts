/**
 * The ingest: the MQTT subscriber (a persistent session that acknowledges a message only once the
 * batch holding it is stored) and the store writer behind it, as the bus's durable sink.
 */
import type { Bus } from '../bus/bus.js';
import type { Registry } from '../config/registry.js';
import type { Settings } from '../config/settings.js';
import { MqttIngest } from '../ingest/mqtt-ingest.js';
import { StoreWriter } from '../ingest/store-writer.js';
import type { BrokerPart } from './broker-part.js';
import type { IngestRecordsPart } from './ingest-records-part.js';
import { serverClientId } from './mqtt-identity.js';
import { startedValue, type Log, type Part } from './part.js';
import { firstLine } from './startup-error.js';
import type { StorePart } from './store-part.js';

/** How long start-up waits for the broker before going on (ingest starts whenever it answers). */
const CONNECT_WAIT_MS = 5_000;

export class IngestPart implements Part {
  readonly name = 'ingest';
  private created: { writer: StoreWriter; mqtt: MqttIngest } | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly registry: Registry,
    private readonly bus: Bus,
    private readonly store: StorePart,
    private readonly broker: BrokerPart,
    private readonly records: IngestRecordsPart,
    private readonly log: Log,
  ) {}

  get writer(): StoreWriter {
    return startedValue(this.created, this.name).writer;
  }

  get mqtt(): MqttIngest {
    return startedValue(this.created, this.name).mqtt;
  }

  async start(): Promise<void> {
    const { settings, records, log } = this;
    const { stats, deadLetters } = records;
    const writer = new StoreWriter(
      this.store.store,
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
        onStored: (readings, result) => stats.stored(readings.length, result.duplicates),
        onWriteError: (error, attempt) => {
          if (attempt === 1 || attempt % 10 === 0)
            log.warn(`store write failed (attempt ${attempt}): ${firstLine(error)}`);
        },
      },
    );
    this.bus.setDurableSink((reading, ack) => writer.add(reading, ack));
    const url = this.broker.url;
    const mqtt = new MqttIngest(
      {
        url,
        clientId: serverClientId(settings),
        username: settings.mqtt.username,
        password: settings.mqtt.password,
        shareGroup: settings.cluster?.shareGroup,
        classify: {
          topicRoot: settings.mqtt.topicRoot,
          maxAgeMs: settings.ingest.maxAgeDays * 86_400_000,
          maxFutureMs: settings.ingest.maxFutureMs,
        },
      },
      this.registry,
      this.bus,
      writer,
      stats,
      deadLetters,
      { info: (m) => log.info(m), warn: (m) => log.warn(m) },
    );
    this.created = { writer, mqtt };
    if (!(await settlesWithin(mqtt.start(), CONNECT_WAIT_MS)))
      log.warn(`mqtt: not connected to ${url} yet; ingest starts when the broker answers`);
  }

  /** Leaves the share group, stops taking messages, writes and acknowledges what is pending, disconnects. */
  async stop(): Promise<void> {
    if (!this.created) return;
    const { writer, mqtt } = this.created;
    await mqtt.leaveShareGroup();
    mqtt.drain();
    await writer.close();
    await mqtt.stop();
  }
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
