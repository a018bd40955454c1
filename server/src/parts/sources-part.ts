/**
 * The portfolio's sources (server/src/sources/): subscriptions to real devices' own formats, on the
 * server's broker or on another one, feeding the store writer like the ingest. The sources are
 * checked when the part is made, so a bad one stops start-up before anything runs.
 */
import type { Bus } from '../bus/bus.js';
import type { Registry } from '../config/registry.js';
import type { Settings } from '../config/settings.js';
import { SourceConnections, type SourceStatus } from '../sources/source-connections.js';
import type { BrokerPart } from './broker-part.js';
import { ingestWindow } from './ingest-part.js';
import type { IngestRecordsPart } from './ingest-records-part.js';
import { serverClientId } from './mqtt-identity.js';
import type { Log, Part } from './part.js';
import type { StoreWriterPart } from './store-writer-part.js';

export class SourcesPart implements Part {
  readonly name = 'sources';
  private readonly sources: SourceConnections;

  constructor(
    private readonly settings: Settings,
    registry: Registry,
    private readonly bus: Bus,
    private readonly broker: BrokerPart,
    private readonly writer: StoreWriterPart,
    private readonly records: IngestRecordsPart,
    private readonly log: Log,
  ) {
    this.sources = new SourceConnections(registry, ingestWindow(settings));
  }

  status(): Record<string, SourceStatus> {
    return this.sources.status();
  }

  async start(): Promise<void> {
    const { settings, log } = this;
    const { username, password } = settings.mqtt;
    const own = {
      url: this.broker.url,
      clientId: serverClientId(settings),
      username,
      password,
      shareGroup: settings.cluster?.shareGroup,
    };
    const deps = {
      bus: this.bus,
      writer: this.writer.writer,
      stats: this.records.stats,
      deadLetters: this.records.deadLetters,
      log: { info: (m: string) => log.info(m), warn: (m: string) => log.warn(m) },
    };
    for (const id of await this.sources.start(own, deps))
      log.warn(`source ${id}: not subscribed yet; its readings are taken once its broker answers`);
  }

  /** Stops taking messages; what is in hand still reaches the store writer, which drains after this. */
  async drain(): Promise<void> {
    await this.sources.drain();
  }

  async stop(): Promise<void> {
    await this.sources.stop();
  }
}
