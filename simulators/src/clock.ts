/**
 * Local time in Kutaisi. Asia/Tbilisi is UTC+4 all year (Georgia dropped DST
 * in 2005), so a fixed offset is exact and avoids Intl in hot loops.
 */
export const TZ_OFFSET_MS = 4 * 3_600_000;
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** Local calendar day number (days since 1970-01-01 in Kutaisi). */
export function localDay(ms: number): number {
  return Math.floor((ms + TZ_OFFSET_MS) / DAY_MS);
}

/** Epoch ms of local midnight starting the given local day. */
export function dayStart(day: number): number {
  return day * DAY_MS - TZ_OFFSET_MS;
}

/** Local hour of day as a fraction, 0 ≤ h < 24. */
export function localHour(ms: number): number {
  return ((((ms + TZ_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
}

/** 0 = Sunday … 6 = Saturday, in local time. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  const wd = weekday(day);
  return wd === 0 || wd === 6;
}

/** YYYY-MM-DD of a local day. */
export function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Local day of a YYYY-MM-DD string. */
export function dayOf(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** Month 1..12 and day-of-month of a local day. */
export function monthDay(day: number): { month: number; dom: number; year: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, dom: d.getUTCDate() };
}

/**
 * Parses a CLI time: YYYY-MM-DD (local midnight in Kutaisi), an ISO 8601
 * date-time, or epoch milliseconds. Returns null when it is none of these.
 */
export function parseTime(text: string): number | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const ms = Date.parse(`${text}T00:00:00+04:00`);
    return Number.isFinite(ms) ? ms : null;
  }
  if (/^\d{12,}$/.test(text)) return Number(text);
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}
