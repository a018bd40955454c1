/** Local hour and day boundaries in the portfolio's time zone (Asia/Tbilisi): "today" is the city's day. */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of the zone from UTC at `ts`, in ms (e.g. +4 h for Tbilisi). */
export function zoneOffsetMs(ts: number, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    formatters.set(timeZone, format);
  }
  const name = format.formatToParts(ts).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return (match[1] === '-' ? -1 : 1) * minutes * 60_000;
}

/**
 * Local midnight before `ts`. The offset is taken at `ts`, so on a DST change day the
 * boundary can be an hour off; Georgia has had no DST since 2005.
 */
export function localDayStart(ts: number, timeZone: string): number {
  const offset = zoneOffsetMs(ts, timeZone);
  return Math.floor((ts + offset) / DAY_MS) * DAY_MS - offset;
}

/** Start of the local hour holding `ts` (zones with half-hour offsets included). */
export function localHourStart(ts: number, timeZone: string): number {
  const offset = zoneOffsetMs(ts, timeZone);
  return Math.floor((ts + offset) / HOUR_MS) * HOUR_MS - offset;
}

/** Local hour of day 0..23. */
export function localHour(ts: number, timeZone: string): number {
  return Math.floor((ts - localDayStart(ts, timeZone)) / HOUR_MS) % 24;
}
