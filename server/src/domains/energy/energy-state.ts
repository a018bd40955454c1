/**
 * A meter's rolling state for the live indicators: its import register at local midnight and now,
 * and its hour-of-day power profile of the previous week (restored from the store). Fed only by
 * the reading stream.
 */
import { HOUR_MS, localDayStart } from '../../calendar/city-calendar.js';

export interface EnergyState {
  dayStart: number;
  /** Import register at local midnight (the last reading of the previous day, else the first of today). */
  dayStartRegister: number | undefined;
  lastRegister: number | undefined;
  lastRegisterTs: number;
  /** Mean kW per local hour of day over the previous 7 days. */
  profile: (number | null)[] | undefined;
}

export function newEnergy(now: number, tz: string): EnergyState {
  return {
    dayStart: localDayStart(now, tz),
    dayStartRegister: undefined,
    lastRegister: undefined,
    lastRegisterTs: 0,
    profile: undefined,
  };
}

export function energyReading(
  state: EnergyState,
  ts: number,
  register: number | undefined,
  tz: string,
): void {
  if (register === undefined || ts < state.lastRegisterTs) return;
  const dayStart = localDayStart(ts, tz);
  if (dayStart > state.dayStart) {
    state.dayStart = dayStart;
    state.dayStartRegister = state.lastRegisterTs >= dayStart - HOUR_MS ? state.lastRegister : undefined;
  }
  state.dayStartRegister ??= register;
  // A meter swap or register reset: restart the day's count from here rather than go negative.
  if (state.dayStartRegister > register) state.dayStartRegister = register;
  state.lastRegister = register;
  state.lastRegisterTs = ts;
}

export function kwhToday(state: EnergyState, now: number, tz: string): number | null {
  if (state.lastRegister === undefined || state.dayStartRegister === undefined) return null;
  if (state.dayStart < localDayStart(now, tz)) return 0;
  return state.lastRegister - state.dayStartRegister;
}

/** Expected kW at `now` and kWh from midnight to `now`, from the hour-of-day profile. */
export function energyBaseline(
  state: EnergyState,
  hourOfDay: number,
  hourFraction: number,
): { kw: number | null; kwhToDate: number | null } {
  const profile = state.profile;
  if (!profile) return { kw: null, kwhToDate: null };
  let kwh = 0;
  for (let h = 0; h < hourOfDay; h++) {
    const kw = profile[h];
    if (kw === null || kw === undefined) return { kw: profile[hourOfDay] ?? null, kwhToDate: null };
    kwh += kw;
  }
  const kw = profile[hourOfDay] ?? null;
  return { kw, kwhToDate: kw === null ? null : kwh + kw * hourFraction };
}
