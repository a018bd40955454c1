/** City day and hour boundaries: the server's own helpers (pure, no dependencies). */
export { DAY_MS, HOUR_MS, localDayStart, localHour } from '../../../server/src/calendar/city-calendar.js';
