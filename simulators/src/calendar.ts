/** Georgian public holidays and school calendar (the server's), and market days, for the models. */
import { dateOfDay } from '../../server/src/calendar/city-calendar.js';
import {
  isOccupied as occupiedOn,
  isPublicHoliday as holidayOn,
  type BuildingType,
} from '../../server/src/domains/energy/day-type.js';
import { weekday } from './clock.js';

// One calendar for the product and the simulators: the server's (holidays, Orthodox Easter, breaks).
export type { BuildingType };

// The models ask about the same day for every reading of every device: answered once per day
// (a year of history asks about 400 days some 900,000 times).
const holidays = new Map<number, boolean>();
const occupied = new Map<BuildingType, Map<number, boolean>>();

export function isPublicHoliday(day: number): boolean {
  let answer = holidays.get(day);
  if (answer === undefined) holidays.set(day, (answer = holidayOn(dateOfDay(day))));
  return answer;
}

/** Whether a building is in normal use on a day (staff and pupils present). */
export function isOccupied(type: BuildingType, day: number): boolean {
  let days = occupied.get(type);
  if (!days) occupied.set(type, (days = new Map<number, boolean>()));
  let answer = days.get(day);
  if (answer === undefined) days.set(day, (answer = occupiedOn(type, dateOfDay(day))));
  return answer;
}

/** Big market days at the Green Bazaar: Saturday and Wednesday bring traders from the villages. */
export function isMarketDay(day: number): boolean {
  const wd = weekday(day);
  return wd === 3 || wd === 6;
}
