/**
 * Weather station: publishes exactly the weather every other model uses (climate.ts), so that a
 * server normalising energy by the station's readings sees the temperatures the buildings saw.
 * Readings on the quarter-hour average to the day's mean (the diurnal swing cancels over a day).
 */
import { airTemp, dayWeather } from './climate.js';
import { HOUR_MS, localDay, localHour } from './clock.js';
import { round, type DeviceModel, type ModelContext, type StepResult } from './model.js';
import { hashUnit } from './prng.js';

/** Rain of a rainy day, mm: mostly light, now and then a downpour (Kutaisi gets ~1,400 mm a year). */
function dailyRainMm(seed: number, day: number): number {
  return 2 + 25 * hashUnit(seed, 'rain-mm', day) ** 2;
}

export class WeatherModel implements DeviceModel {
  private lastMs: number | undefined;

  constructor(private readonly ctx: ModelContext) {}

  step(ms: number): StepResult {
    const { seed } = this.ctx;
    const day = localDay(ms);
    const weather = dayWeather(seed, day);
    const hour = localHour(ms);
    const temp = airTemp(seed, ms);
    const since = this.lastMs === undefined ? 0 : Math.min(ms - this.lastMs, 24 * HOUR_MS);
    this.lastMs = ms;
    // Rain falls evenly over a rainy day: the interval's share of the day's total.
    const rain = weather.rain ? (dailyRainMm(seed, day) * since) / (24 * HOUR_MS) : 0;
    const humidity = Math.min(100, (weather.rain ? 88 : 68) - 2.5 * (temp - weather.meanC));
    const wind = 1 + 4 * hashUnit(seed, 'wind', day, Math.floor(hour));
    return {
      fields: {
        temp_c: round(temp, 2),
        humidity_pct: round(Math.max(5, humidity), 1),
        rain_mm: round(rain, 2),
        wind_ms: round(wind, 1),
      },
      events: [],
    };
  }
}
