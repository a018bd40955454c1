/**
 * The ingest: the MQTT subscriber of the contract's topics, a persistent session whose QoS 1
 * messages are acknowledged by the store writer once stored.
 */
import type { Settings } from '../config/settings.js';
import type { ClassifyOptions } from '../ingest/classify.js';
import { MqttIngest } from '../ingest/mqtt-ingest.js';
import type { BrokerPart } from './broker-part.js';
import { serverClientId } from './mqtt-identity.js';
import { startedValue, type Log, type Part } from './part.js';
import type { StoreWriterPart } from './store-writer-part.js';

/** How long start-up waits for the broker before going on (ingest starts whenever it answers). */
const CONNECT_WAIT_MS = 5_000;

export class IngestPart implements Part {
  readonly name = 'ingest';
  private created: MqttIngest | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly broker: BrokerPart,
    private readonly writer: StoreWriterPart,
    private readonly log: Log,
  ) {}

  get mqtt(): MqttIngest {
    return startedValue(this.created, this.name);
  }

  async start(): Promise<void> {
    const { settings, log } = this;
    const url = this.broker.url;
    const mqtt = new MqttIngest(
      {
        url,
        clientId: serverClientId(settings),
        username: settings.mqtt.username,
        password: settings.mqtt.password,
        shareGroup: settings.cluster?.shareGroup,
        classify: ingestWindow(settings),
      },
      this.writer.intake,
      this.writer.writer,
      { info: (m) => log.info(m), warn: (m) => log.warn(m) },
    );
    this.created = mqtt;
    if (!(await settlesWithin(mqtt.start(), CONNECT_WAIT_MS)))
      log.warn(`mqtt: not connected to ${url} yet; ingest starts when the broker answers`);
  }

  /** Leaves the share group (the peers take the new messages) and stops taking messages. */
  async drain(): Promise<void> {
    await this.created?.leaveShareGroup();
    this.created?.drain();
  }

  /** After the store writer's last write: that write's acknowledgements have gone out. */
  async stop(): Promise<void> {
    await this.created?.stop();
  }
}

/** What the ingest accepts: the contract's topics, readings neither too old nor from the future. */
export function ingestWindow(
  settings: Settings,
): Pick<ClassifyOptions, 'topicRoot' | 'maxAgeMs' | 'maxFutureMs'> {
  return {
    topicRoot: settings.mqtt.topicRoot,
    maxAgeMs: settings.ingest.maxAgeDays * 86_400_000,
    maxFutureMs: settings.ingest.maxFutureMs,
  };
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
