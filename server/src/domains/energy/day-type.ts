/**
 * Whether a building is in normal use on a date: Georgian public holidays
 * (fixed dates plus Orthodox Easter Friday–Monday), weekends, and the usual
 * school and kindergarten breaks. The school calendar changes by ministry
 * decree; `BreakWindows` can be overridden per deployment.
 */
import { dayOfDate, isWeekendDay } from '../../calendar/city-calendar.js';

export type BuildingType = 'school' | 'kindergarten' | 'office' | 'other';

const FIXED_HOLIDAYS = new Set([
  '01-01',
  '01-02',
  '01-07',
  '01-19',
  '03-03',
  '03-08',
  '04-09',
  '05-09',
  '05-12',
  '05-26',
  '08-28',
  '10-14',
  '11-23',
]);

/** Inclusive MM-DD windows when a building type is closed (a window may wrap the new year). */
export type BreakWindows = Record<BuildingType, readonly (readonly [string, string])[]>;

export const DEFAULT_BREAKS: BreakWindows = {
  school: [
    ['06-15', '09-14'],
    ['12-25', '01-14'],
  ],
  kindergarten: [['08-01', '08-31']],
  office: [],
  other: [],
};

const DAY = 86_400_000;

/** Orthodox Easter Sunday as a Gregorian YYYY-MM-DD (Meeus' Julian algorithm + 13 days; 1900–2099). */
export function orthodoxEaster(year: number): string {
  const d = (19 * (year % 19) + 15) % 30;
  const e = (2 * (year % 4) + 4 * (year % 7) - d + 34) % 7;
  const month = Math.floor((d + e + 114) / 31);
  const dom = ((d + e + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, dom) + 13 * DAY).toISOString().slice(0, 10);
}

export function isPublicHoliday(date: string): boolean {
  if (FIXED_HOLIDAYS.has(date.slice(5))) return true;
  const easter = Date.parse(`${orthodoxEaster(Number(date.slice(0, 4)))}T00:00:00Z`);
  const t = Date.parse(`${date}T00:00:00Z`);
  return t >= easter - 2 * DAY && t <= easter + DAY;
}

export function isWeekend(date: string): boolean {
  return isWeekendDay(dayOfDate(date));
}

function within(md: string, [from, to]: readonly [string, string]): boolean {
  return from <= to ? md >= from && md <= to : md >= from || md <= to;
}

export function isOccupied(type: BuildingType, date: string, breaks: BreakWindows = DEFAULT_BREAKS): boolean {
  if (isWeekend(date) || isPublicHoliday(date)) return false;
  return !breaks[type].some((w) => within(date.slice(5), w));
}
