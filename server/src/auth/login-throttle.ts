/**
 * Failed sign-ins per username. The HTTP rate limit bounds attempts per address; this bounds
 * guesses at one account spread over many addresses. After MAX_FAILURES within the window the name
 * is refused until the window has passed. Bounded memory: the oldest names are forgotten first.
 */
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES = 10;
const MAX_TRACKED = 10_000;

interface Failures {
  first: number;
  count: number;
}

export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(
    private readonly maxFailures = MAX_FAILURES,
    private readonly windowMs = LOGIN_WINDOW_MS,
  ) {}

  /** Milliseconds until this name may try again; 0 when it may now. */
  blockedFor(username: string, now: number): number {
    const entry = this.failures.get(username);
    if (!entry) return 0;
    const until = entry.first + this.windowMs;
    if (until <= now) {
      this.failures.delete(username);
      return 0;
    }
    return entry.count >= this.maxFailures ? until - now : 0;
  }

  fail(username: string, now: number): void {
    const entry = this.failures.get(username);
    if (entry && entry.first + this.windowMs > now) {
      entry.count++;
      return;
    }
    this.failures.delete(username);
    if (this.failures.size >= MAX_TRACKED) this.failures.delete(this.failures.keys().next().value as string);
    this.failures.set(username, { first: now, count: 1 });
  }

  succeed(username: string): void {
    this.failures.delete(username);
  }
}
