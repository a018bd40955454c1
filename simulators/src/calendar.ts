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

export function isPublicHoliday(day: number): boolean {
  return holidayOn(dateOfDay(day));
}

/** Whether a building is in normal use on a day (staff and pupils present). */
export function isOccupied(type: BuildingType, day: number): boolean {
  return occupiedOn(type, dateOfDay(day));
}

/** Big market days at the Green Bazaar: Saturday and Wednesday bring traders from the villages. */
export function isMarketDay(day: number): boolean {
  const wd = weekday(day);
  return wd === 3 || wd === 6;
}
