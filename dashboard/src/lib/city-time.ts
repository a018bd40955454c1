/** City day and hour boundaries: the server's calendar (server/src/calendar/city-calendar.ts; pure, no dependencies). */
import { calendarFor, zoneOffsetMs } from '../../../server/src/calendar/city-calendar.js';

export {
  DAY_MS,
  HOUR_MS,
  localDayStart,
  localHour,
  zoneOffsetMs,
} from '../../../server/src/calendar/city-calendar.js';

/** Local midnight of a calendar date (YYYY-MM-DD) in `timeZone`. */
export function localDateMs(date: string, timeZone: string): number {
  return calendarFor(timeZone).startOf(date);
}

/** "UTC+4", "UTC−3:30", "UTC" for the zone's offset at `ts`. */
export function utcOffsetLabel(ts: number, timeZone: string): string {
  const minutes = Math.round(zoneOffsetMs(ts, timeZone) / 60_000);
  if (minutes === 0) return 'UTC';
  const sign = minutes > 0 ? '+' : '−';
  const h = Math.floor(Math.abs(minutes) / 60);
  const m = Math.abs(minutes) % 60;
  return `UTC${sign}${h}${m ? `:${String(m).padStart(2, '0')}` : ''}`;
}
