/**
 * Who listens to the live stream, in this order. The device tracker first: the indicator engine
 * and the alert rules read the state it has just updated. Alerts last: they ride on the live
 * stream's frames. In a cluster the stream is the merged one of every instance.
 */
import type { AlertsPart } from './alerts-part.js';
import type { ClusterPart } from './cluster-part.js';
import type { IngestRecordsPart } from './ingest-records-part.js';
import type { LiveStatePart } from './live-state-part.js';
import type { Part } from './part.js';

export class LiveStreamPart implements Part {
  readonly name = 'live stream';
  private unsubscribe: (() => void)[] = [];

  constructor(
    private readonly cluster: ClusterPart,
    private readonly records: IngestRecordsPart,
    private readonly live: LiveStatePart,
    private readonly alerts: AlertsPart,
  ) {}

  start(): void {
    const stream = this.cluster.liveBus;
    const cluster = this.cluster.cluster;
    const { tracker, engine } = this.live;
    const stats = this.records.stats;
    const rules = this.alerts.service.engine;
    this.unsubscribe = [
      stream.on('reading', (reading) => {
        const missing = tracker.onReading(reading);
        // A gap before a peer's reading is counted by the peer that ingested it.
        if (missing > 0 && !cluster?.isRemote(reading)) stats.seqGaps(missing);
      }),
      stream.on('status', (change) => tracker.onStatus(change)),
      stream.on('reading', (reading) => engine.onReading(reading)),
      stream.on('status', (change) => engine.onStatus(change.device)),
      stream.on('event', (event) => engine.onEvent(event)),
      stream.on('reading', (reading) => rules.onReading(reading)),
      stream.on('status', (change) => rules.onStatus(change)),
      stream.on('event', (event) => rules.onEvent(event)),
    ];
  }

  stop(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }
}
