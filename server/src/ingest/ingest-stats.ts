/** Ingest counters, persisted to a small JSON file so that they survive a restart. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { RejectReason } from '../contract/index.js';

/** One source's messages (portfolio `sources:`): stored counts readings, the others messages. */
export interface SourceCounters {
  received: number;
  stored: number;
  rejected: number;
  /** Messages of the source's system that carry no measurement (a Shelly's Wi-Fi status). */
  ignored: number;
}

export interface IngestCounters {
  received: number;
  stored: number;
  rejected: { total: number; by_reason: Partial<Record<RejectReason, number>> };
  duplicates_ignored: number;
  statuses: number;
  events: number;
  seq_gaps: number;
  sources: Record<string, SourceCounters>;
}

export function emptyCounters(): IngestCounters {
  return {
    received: 0,
    stored: 0,
    rejected: { total: 0, by_reason: {} },
    duplicates_ignored: 0,
    statuses: 0,
    events: 0,
    seq_gaps: 0,
    sources: {},
  };
}

export class IngestStats {
  readonly counters: IngestCounters;
  private dirty = false;

  constructor(private readonly file: string | undefined) {
    this.counters = file ? loadCounters(file) : emptyCounters();
  }

  received(): void {
    this.counters.received += 1;
    this.dirty = true;
  }

  rejected(reason: RejectReason): void {
    this.counters.rejected.total += 1;
    this.counters.rejected.by_reason[reason] = (this.counters.rejected.by_reason[reason] ?? 0) + 1;
    this.dirty = true;
  }

  stored(readings: number, duplicateRows: number): void {
    this.counters.stored += readings;
    this.counters.duplicates_ignored += duplicateRows;
    this.dirty = true;
  }

  status(): void {
    this.counters.statuses += 1;
    this.dirty = true;
  }

  event(): void {
    this.counters.events += 1;
    this.dirty = true;
  }

  seqGaps(missing: number): void {
    this.counters.seq_gaps += missing;
    this.dirty = true;
  }

  /** The counters of one source, made on first use. */
  source(id: string): SourceCounters {
    this.dirty = true;
    return (this.counters.sources[id] ??= { received: 0, stored: 0, rejected: 0, ignored: 0 });
  }

  /** Writes the counters atomically (temp file, then rename) when they changed. */
  save(): void {
    if (!this.file || !this.dirty) return;
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify(this.counters));
    renameSync(temp, this.file);
    this.dirty = false;
  }
}

function loadCounters(file: string): IngestCounters {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<IngestCounters>;
    const base = emptyCounters();
    return {
      ...base,
      ...saved,
      rejected: { total: saved.rejected?.total ?? 0, by_reason: { ...saved.rejected?.by_reason } },
      sources: { ...saved.sources },
    };
  } catch {
    return emptyCounters();
  }
}
