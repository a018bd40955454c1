/**
 * Tasmota's telemetry: `tele/<topic>/SENSOR` (the default FullTopic `%prefix%/%topic%/`); the
 * external id is `<topic>`, the level before `SENSOR`. The energy monitor's `ENERGY.Total` (kWh,
 * the import register) becomes energy_kwh and `ENERGY.Power` (W) power_kw, summed over channels.
 * `Time` is the device's local clock without an offset: it is read in the portfolio's time zone.
 * A device with a map gets the whole message instead (another Tasmota sensor, e.g. a DS18B20).
 */
import { LocalCalendar } from '../../calendar/city-calendar.js';
import { defined, isObject, mismatch, total, type SourceFormat } from './format.js';

const calendars = new Map<string, LocalCalendar>();

/** Epoch ms of a local wall-clock time `YYYY-MM-DDTHH:MM:SS` in a time zone (text with an offset is taken as is). */
export function localTimeToEpoch(text: string, timeZone: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(text)) return undefined;
  const wall = Date.parse(`${text}Z`);
  if (!Number.isFinite(wall)) return undefined;
  let calendar = calendars.get(timeZone);
  if (!calendar) calendars.set(timeZone, (calendar = new LocalCalendar(timeZone)));
  // Two passes: the offset at the guess, then at the corrected instant (as LocalCalendar.startOf).
  const guess = wall - calendar.offsetMs(wall);
  return wall - calendar.offsetMs(guess);
}

export const tasmota: SourceFormat = {
  defaultTopic: 'tele/+/SENSOR',
  acceptsArray: false,
  builtInDomain: 'energy',
  decode(message, ctx) {
    const levels = ctx.topic.split('/');
    const device = levels[levels.length - 2];
    if (levels[levels.length - 1] !== 'SENSOR' || !device)
      return mismatch('expected a Tasmota telemetry topic …/<topic>/SENSOR');
    if (!isObject(message)) return mismatch('expected a Tasmota SENSOR object');
    let ts: string | number = ctx.now;
    if (message.Time !== undefined) {
      if (typeof message.Time !== 'string') return mismatch('Time: expected the device time as text');
      const local = localTimeToEpoch(message.Time, ctx.timeZone);
      // With an offset configured on the device (`Timezone`), the text carries it.
      ts = local ?? message.Time;
    }
    const energy = isObject(message.ENERGY) ? message.ENERGY : {};
    const power = total(energy.Power);
    const fields = defined({
      energy_kwh: total(energy.Total),
      power_kw: power === undefined ? undefined : power / 1000,
    });
    return { ok: true, readings: [{ externalIds: [device], object: message, base: { ts }, fields }] };
  },
};
