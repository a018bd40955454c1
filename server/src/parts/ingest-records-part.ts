/** The ingest's counters and dead letters, kept in DATA_DIR across restarts. */
import { join } from 'node:path';
import type { Settings } from '../config/settings.js';
import { DeadLetters } from '../ingest/dead-letters.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { startedValue, type Part } from './part.js';

export class IngestRecordsPart implements Part {
  readonly name = 'ingest records';
  private loaded: { stats: IngestStats; deadLetters: DeadLetters } | undefined;

  constructor(private readonly settings: Settings) {}

  get stats(): IngestStats {
    return startedValue(this.loaded, this.name).stats;
  }

  get deadLetters(): DeadLetters {
    return startedValue(this.loaded, this.name).deadLetters;
  }

  start(): void {
    const { dataDir, ingest } = this.settings;
    this.loaded = {
      stats: new IngestStats(join(dataDir, 'ingest-stats.json')),
      deadLetters: new DeadLetters(join(dataDir, 'dead-letters.ndjson'), ingest.deadLetterLimit),
    };
  }

  /** After the ingest has stopped: what it wrote last is counted and kept. */
  stop(): void {
    this.loaded?.deadLetters.flush();
    this.loaded?.stats.save();
  }
}
