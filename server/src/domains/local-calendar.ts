/**
 * Local calendar days in the portfolio's time zone. KPIs are per local day
 * (a bin-day, a school day), so instants must be mapped to local dates; the
 * offset comes from Intl and is cached per hour, which stays right across DST
 * transitions in zones that have them (Asia/Tbilisi has none since 2005).
 */
const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export class LocalCalendar {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();
  private readonly dates = new Map<number, string>();

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
  }

  /** Local time minus UTC at an instant, ms. */
  offsetMs(at: number): number {
    const hour = Math.floor(at / HOUR_MS);
    let offset = this.offsets.get(hour);
    if (offset === undefined) {
      const parts = Object.fromEntries(
        this.format.formatToParts(hour * HOUR_MS).map((p) => [p.type, Number(p.value)]),
      );
      const local = Date.UTC(
        parts.year ?? 1970,
        (parts.month ?? 1) - 1,
        parts.day ?? 1,
        parts.hour,
        parts.minute,
      );
      offset = local - hour * HOUR_MS;
      if (this.offsets.size > 100_000) this.offsets.clear();
      this.offsets.set(hour, offset);
    }
    return offset;
  }

  /** Local date YYYY-MM-DD of an instant. */
  dateOf(at: number): string {
    // Formatted once per local day: the KPI code asks for every reading (a year of a fleet is millions).
    const day = Math.floor((at + this.offsetMs(at)) / DAY_MS);
    let date = this.dates.get(day);
    if (date === undefined) {
      date = new Date(day * DAY_MS).toISOString().slice(0, 10);
      if (this.dates.size > 100_000) this.dates.clear();
      this.dates.set(day, date);
    }
    return date;
  }

  /** Local hour of day as a fraction, 0 ≤ h < 24. */
  hourOf(at: number): number {
    const local = at + this.offsetMs(at);
    return (((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
  }

  /** Epoch ms of the local midnight that starts a date. */
  startOf(date: string): number {
    const utcMidnight = Date.parse(`${date}T00:00:00Z`);
    // Two passes: the offset at the guess, then at the corrected instant.
    let guess = utcMidnight - this.offsetMs(utcMidnight);
    guess = utcMidnight - this.offsetMs(guess);
    return guess;
  }
}

/** Dates from `from` to `to` inclusive, YYYY-MM-DD. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
