/**
 * Alerts survive a restart in a JSON-lines file under DATA_DIR (not in the TelemetryStore:
 * production stores are InfluxDB, which is no place for mutable records). Every change appends
 * the alert's full state; loading keeps the last line per id. When the file has grown well past
 * what it holds, it is rewritten from memory (write to a temporary file, then rename).
 */
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Alert } from '../contract/index.js';

export class AlertJournal {
  private lines = 0;
  private buffer: string[] = [];

  constructor(private readonly path: string | undefined) {}

  load(): Alert[] {
    if (!this.path || !existsSync(this.path)) return [];
    const byId = new Map<string, Alert>();
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      this.lines++;
      try {
        const alert = JSON.parse(line) as Alert;
        if (typeof alert.id === 'string') byId.set(alert.id, alert);
      } catch {
        // A torn last line after a crash: the earlier state of that alert stands.
      }
    }
    return [...byId.values()];
  }

  append(alert: Alert): void {
    if (!this.path) return;
    this.buffer.push(JSON.stringify(alert));
  }

  /** Writes what was appended since the last flush; `keep` is called when the file should be compacted. */
  flush(keep: () => Alert[]): void {
    if (!this.path || this.buffer.length === 0) return;
    const text = `${this.buffer.join('\n')}\n`;
    this.lines += this.buffer.length;
    this.buffer = [];
    appendFileSync(this.path, text);
    const kept = keep();
    if (this.lines > 4 * kept.length + 1000) this.rewrite(kept);
  }

  private rewrite(alerts: Alert[]): void {
    if (!this.path) return;
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, alerts.map((a) => `${JSON.stringify(a)}\n`).join(''));
    renameSync(tmp, this.path);
    this.lines = alerts.length;
  }
}
