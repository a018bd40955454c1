/**
 * Local time in Kutaisi for the models: the city's calendar (server/src/calendar/city-calendar.ts)
 * in the portfolio's zone, counted in local day numbers (days since 1970-01-01, local time).
 */
import {
  CITY_TIME_ZONE,
  calendarFor,
  dateOfDay,
  dayOfDate,
  isWeekendDay,
  partsOfDay,
  weekdayOfDay,
} from '../../server/src/calendar/city-calendar.js';

export { DAY_MS, HOUR_MS } from '../../server/src/calendar/city-calendar.js';

const city = calendarFor(CITY_TIME_ZONE);

/** Local day number of an instant. */
export const localDay = (ms: number): number => city.dayNumber(ms);
/** Epoch ms of the local midnight starting a day. */
export const dayStart = (day: number): number => city.startOfDay(day);
/** Local hour of day as a fraction, 0 ≤ h < 24. */
export const localHour = (ms: number): number => city.hourOf(ms);
/** 0 = Sunday … 6 = Saturday. */
export const weekday = weekdayOfDay;
export const isWeekend = isWeekendDay;
/** YYYY-MM-DD of a local day. */
export const dateOf = dateOfDay;
/** Local day of a YYYY-MM-DD date. */
export const dayOf = dayOfDate;
/** Year, month 1..12 and day of month of a local day. */
export const monthDay = partsOfDay;

/**
 * Parses a CLI time: YYYY-MM-DD (local midnight in Kutaisi), an ISO 8601
 * date-time, or epoch milliseconds. Returns null when it is none of these.
 */
export function parseTime(text: string): number | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text))
    return Number.isFinite(Date.parse(`${text}T00:00:00Z`)) ? city.startOf(text) : null;
  if (/^\d{12,}$/.test(text)) return Number(text);
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}
