/** A progress bar with rate and ETA on stderr; silent unless stderr is a terminal. */
export class Progress {
  private lastDraw = 0;
  private readonly started = performance.now();

  constructor(
    private readonly label: string,
    /** What is counted, after the count ("msgs", "readings"). */
    private readonly unit = 'msgs',
    private readonly stream: NodeJS.WriteStream = process.stderr,
    /** False without a terminal: nothing is drawn (a log file would fill with bars). */
    readonly enabled = stream.isTTY === true,
  ) {}

  /** `fraction` of the work done, `count` messages so far. */
  update(fraction: number, count: number, force = false): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const f = Math.min(1, Math.max(0, fraction));
    const elapsed = (now - this.started) / 1000;
    const width = 28;
    const filled = Math.round(f * width);
    const rate = elapsed > 0 ? count / elapsed : 0;
    const eta = f > 0 ? (elapsed * (1 - f)) / f : Number.NaN;
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    this.stream.write(
      `\r${this.label} ${bar} ${(f * 100).toFixed(1).padStart(5)}%  ${count.toLocaleString('en')} ${this.unit}  ${Math.round(rate).toLocaleString('en')}/s  ETA ${formatSeconds(eta)}  `,
    );
  }

  done(count: number): void {
    if (!this.enabled) return;
    this.update(1, count, true);
    this.stream.write('\n');
  }
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
