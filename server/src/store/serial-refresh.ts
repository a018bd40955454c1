/**
 * A refresh that runs once at a time. A caller arriving while a run is under way may have stored
 * readings after that run began, so it gets one more run after it, shared with everyone else who
 * arrives meanwhile: callers never wait for more than the current run and one next.
 */
export class SerialRefresh {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly once: () => Promise<void>) {}

  /** Resolves once a run that began after this call has finished. */
  run(): Promise<void> {
    if (!this.running) {
      this.running = this.once().finally(() => (this.running = undefined));
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.run();
      });
    return this.queued;
  }

  /** Resolves when the run under way (if any) has ended, failed or not. */
  async settled(): Promise<void> {
    await this.running?.catch(() => undefined);
  }
}
