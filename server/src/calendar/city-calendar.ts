/**
 * The city's calendar: instants mapped to local dates, days and hours in the portfolio's time zone
 * (`timezone:`, Asia/Tbilisi for Kutaisi), for the server, the simulators and the dashboard alike.
 * "Today", a bin-day, a school day and the hour of a counter's interval all mean the city's, never
 * the machine's or UTC's.
 *
 * Offsets come from Intl and are cached per UTC hour, so the calendar stays right across DST
 * changes in zones that have them (Georgia has had none since 2005) and costs a map lookup on the
 * hot path. No Node or DOM dependency: the dashboard bundles this file.
 *
 * Two ways to name a local day: a date string `YYYY-MM-DD` (KPIs, exports, the API) and a day
 * number, days since 1970-01-01 in local time (the simulators' models count in those). Both are
 * zone-free once made, so their arithmetic below needs no calendar.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Kutaisi's zone: the portfolio's `timezone`, and the simulators' city. */
export const CITY_TIME_ZONE = 'Asia/Tbilisi';

export class LocalCalendar {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

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
    return dateOfDay(this.dayNumber(at));
  }

  /** Local day number of an instant (days since 1970-01-01, local time). */
  dayNumber(at: number): number {
    return Math.floor((at + this.offsetMs(at)) / DAY_MS);
  }

  /** Local hour of day as a fraction, 0 ≤ h < 24. */
  hourOf(at: number): number {
    const local = at + this.offsetMs(at);
    return (((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
  }

  /** Local midnight at or before an instant. */
  dayStart(at: number): number {
    return this.startOfDay(this.dayNumber(at));
  }

  /** Start of the local hour holding an instant (zones with half-hour offsets included). */
  hourStart(at: number): number {
    const offset = this.offsetMs(at);
    return Math.floor((at + offset) / HOUR_MS) * HOUR_MS - offset;
  }

  /** Epoch ms of the local midnight that starts a date. */
  startOf(date: string): number {
    return this.startOfDay(dayOfDate(date));
  }

  /** Epoch ms of the local midnight that starts a day number. */
  startOfDay(day: number): number {
    const utcMidnight = day * DAY_MS;
    // Two passes: the offset at the guess, then at the corrected instant.
    const guess = utcMidnight - this.offsetMs(utcMidnight);
    return utcMidnight - this.offsetMs(guess);
  }
}

const calendars = new Map<string, LocalCalendar>();

/** One shared calendar per zone (each keeps its own offset cache). */
export function calendarFor(timeZone: string): LocalCalendar {
  let calendar = calendars.get(timeZone);
  if (!calendar) calendars.set(timeZone, (calendar = new LocalCalendar(timeZone)));
  return calendar;
}

/** Offset of the zone from UTC at `ts`, in ms (+4 h for Tbilisi). */
export function zoneOffsetMs(ts: number, timeZone: string): number {
  return calendarFor(timeZone).offsetMs(ts);
}

/** Local midnight at or before `ts`: where "today" starts in the city. */
export function localDayStart(ts: number, timeZone: string): number {
  return calendarFor(timeZone).dayStart(ts);
}

/** Start of the local hour holding `ts`. */
export function localHourStart(ts: number, timeZone: string): number {
  return calendarFor(timeZone).hourStart(ts);
}

/** Local hour of day, 0..23. */
export function localHour(ts: number, timeZone: string): number {
  return Math.floor(calendarFor(timeZone).hourOf(ts));
}

// Zone-free arithmetic on local dates and day numbers.

const dates = new Map<number, string>();

/** YYYY-MM-DD of a day number. */
export function dateOfDay(day: number): string {
  // Formatted once per day: the KPI code asks for every reading's date (a year of a fleet is millions).
  let date = dates.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dates.size > 100_000) dates.clear();
    dates.set(day, date);
  }
  return date;
}

/** Day number of a YYYY-MM-DD date. */
export function dayOfDate(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export function addDays(date: string, days: number): string {
  return dateOfDay(dayOfDate(date) + days);
}

export function nextDate(date: string): string {
  return addDays(date, 1);
}

/** Dates from `from` to `to` inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let day = dayOfDate(from); day <= dayOfDate(to); day++) out.push(dateOfDay(day));
  return out;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekendDay(day: number): boolean {
  const weekday = weekdayOfDay(day);
  return weekday === 0 || weekday === 6;
}

/** Year, month 1..12 and day of month of a day number. */
export function partsOfDay(day: number): { year: number; month: number; dom: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, dom: d.getUTCDate() };
}
