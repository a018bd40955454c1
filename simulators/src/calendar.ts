/** Georgian public holidays and school calendar, for occupancy and market days. */
import { dayOf, isWeekend, monthDay, weekday } from './clock.js';

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

/** Orthodox Easter Sunday (Gregorian date) by Meeus' Julian algorithm; valid 1900–2099. */
export function orthodoxEaster(year: number): number {
  const a = year % 4;
  const b = year % 7;
  const c = year % 19;
  const d = (19 * c + 15) % 30;
  const e = (2 * a + 4 * b - d + 34) % 7;
  const month = Math.floor((d + e + 114) / 31);
  const dom = ((d + e + 114) % 31) + 1;
  const julian = dayOf(`${year}-${String(month).padStart(2, '0')}-${String(dom).padStart(2, '0')}`);
  return julian + 13;
}

export function isPublicHoliday(day: number): boolean {
  const { year, month, dom } = monthDay(day);
  if (FIXED_HOLIDAYS.has(`${String(month).padStart(2, '0')}-${String(dom).padStart(2, '0')}`)) return true;
  const easter = orthodoxEaster(year);
  return day >= easter - 2 && day <= easter + 1;
}

function within(day: number, from: string, to: string): boolean {
  const { month, dom } = monthDay(day);
  const md = `${String(month).padStart(2, '0')}-${String(dom).padStart(2, '0')}`;
  return from <= to ? md >= from && md <= to : md >= from || md <= to;
}

export type BuildingType = 'school' | 'kindergarten' | 'office' | 'other';

/** Whether a building is in normal use on a day (staff and pupils present). */
export function isOccupied(type: BuildingType, day: number): boolean {
  if (isWeekend(day) || isPublicHoliday(day)) return false;
  if (type === 'school') return !within(day, '06-15', '09-14') && !within(day, '12-25', '01-14');
  if (type === 'kindergarten') return !within(day, '08-01', '08-31');
  return true;
}

/** Big market days at the Green Bazaar: Saturday and Wednesday bring traders from the villages. */
export function isMarketDay(day: number): boolean {
  const wd = weekday(day);
  return wd === 6 || wd === 3;
}
