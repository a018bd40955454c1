/**
 * Bounded, persisted dead-letter record of rejected messages. Appended as NDJSON;
 * the file is compacted to the newest `limit` entries when it grows to twice that.
 */
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { RejectReason } from '../contract/index.js';

export const PAYLOAD_HEAD_BYTES = 512;

export interface DeadLetter {
  at: number;
  topic: string;
  reason: RejectReason;
  detail: string;
  payload_head: string;
  /** The source (portfolio `sources:`) the message came from; absent for the contract's own topics. */
  source?: string;
}

export class DeadLetters {
  private entries: DeadLetter[] = [];
  private linesInFile = 0;
  private unsaved: DeadLetter[] = [];

  constructor(
    private readonly file: string | undefined,
    private readonly limit: number,
  ) {
    if (file && existsSync(file)) {
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      this.linesInFile = lines.length;
      for (const line of lines.slice(-limit)) {
        try {
          this.entries.push(JSON.parse(line) as DeadLetter);
        } catch {
          // A line torn by a crash mid-write is dropped.
        }
      }
    }
  }

  add(
    topic: string,
    reason: RejectReason,
    detail: string,
    payload: Buffer,
    at: number,
    source?: string,
  ): void {
    const letter: DeadLetter = {
      at,
      topic: topic.slice(0, 256),
      reason,
      detail,
      payload_head: payload.subarray(0, PAYLOAD_HEAD_BYTES).toString('utf8'),
    };
    if (source !== undefined) letter.source = source;
    this.entries.push(letter);
    if (this.entries.length > this.limit * 1.1) this.entries = this.entries.slice(-this.limit);
    this.unsaved.push(letter);
  }

  /** Newest first. */
  newest(count: number, reason?: RejectReason): DeadLetter[] {
    const result: DeadLetter[] = [];
    for (let i = this.entries.length - 1; i >= 0 && result.length < count; i -= 1) {
      const entry = this.entries[i];
      if (entry && (reason === undefined || entry.reason === reason)) result.push(entry);
    }
    return result;
  }

  get size(): number {
    return Math.min(this.entries.length, this.limit);
  }

  /** Called before the acknowledgements of a batch go out, so a rejected message is recorded before the broker forgets it. */
  flush(): void {
    if (!this.file || this.unsaved.length === 0) return;
    appendFileSync(this.file, this.unsaved.map((l) => JSON.stringify(l)).join('\n') + '\n');
    this.linesInFile += this.unsaved.length;
    this.unsaved = [];
    if (this.linesInFile > this.limit * 2) this.compact(this.file);
  }

  private compact(file: string): void {
    const keep = this.entries.slice(-this.limit);
    const temp = `${file}.tmp`;
    writeFileSync(temp, keep.map((l) => JSON.stringify(l)).join('\n') + '\n');
    renameSync(temp, file);
    this.linesInFile = keep.length;
  }
}
