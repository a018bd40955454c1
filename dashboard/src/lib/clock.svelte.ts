/** A clock that ticks once a second, for "updated 3 s ago". */
export class Clock {
  now = $state(Date.now());
  private timer: ReturnType<typeof setInterval> | undefined;

  start(): void {
    this.timer ??= setInterval(() => (this.now = Date.now()), 1_000);
  }
}
