/**
 * Waste bin: fill grows at a site-dependent daily rate with a diurnal shape;
 * trucks empty it on a fixed round or, at treated sites, when it crosses the
 * threshold. Intervention bins also carry a shadow bin that receives exactly the
 * same waste but keeps the fixed round: that is the counterfactual for the truth.
 */
import type { Site, WasteDevice } from '../../server/src/config/portfolio-schema.js';
import { isMarketDay, isPublicHoliday } from './calendar.js';
import { airTemp, dayWeather } from './climate.js';
import { DAY_MS, HOUR_MS, dayStart, isWeekend, localDay, localHour, weekday } from './clock.js';
import {
  clamp,
  round,
  treated,
  type DeviceModel,
  type ModelContext,
  type ModelEvent,
  type StepResult,
} from './model.js';
import { Rng, hashNormal } from './prng.js';
import { wasteSettings, type WasteSettings } from './scenario.js';
import type { Side } from './truth.js';

/** Fill can run past 1: the overflow piles up beside the bin, the sensor still reads full. */
const MAX_TRUE_FILL = 1.3;
const RESIDUAL_FILL = 0.02;

interface Bin {
  fill: number;
  day: number;
  overflowed: boolean;
}

export function baseDailyRate(site: Site | undefined): number {
  const tags = site?.tags ?? [];
  if (tags.includes('market')) return 0.26;
  if (site?.id === 'central-square') return 0.24;
  if (tags.includes('centre')) return 0.18;
  if (tags.includes('corridor')) return 0.17;
  if (tags.includes('residential')) return 0.13;
  return 0.15;
}

/** Waste arrives while people are about: little at night, most between 8 and 20 h. */
function diurnalWeight(hour: number): number {
  if (hour < 6) return 0.25 / 0.958;
  if (hour < 8) return 0.7 / 0.958;
  if (hour < 20) return 1.45 / 0.958;
  if (hour < 23) return 0.8 / 0.958;
  return 0.3 / 0.958;
}

export class WasteModel implements DeviceModel {
  private readonly rng: Rng;
  private readonly settings: WasteSettings;
  private readonly rate: number;
  private readonly busy: boolean;
  private readonly market: boolean;
  private readonly actual: Bin;
  private readonly shadow: Bin | undefined;
  private battery: number;
  private last: number | undefined;
  private readonly roundHours: number[];

  constructor(
    private readonly ctx: ModelContext,
    private readonly device: WasteDevice,
  ) {
    this.rng = new Rng(ctx.seed, 'waste', device.id);
    this.settings = wasteSettings(ctx.simulation, `${ctx.experiment?.id ?? device.pilot}.simulation`);
    const tags = ctx.site?.tags ?? [];
    this.busy = tags.includes('market') || tags.includes('centre');
    this.market = tags.includes('market');
    const capacity = device.capacity_l ?? 1100;
    this.rate = baseDailyRate(ctx.site) * clamp(1100 / capacity, 0.3, 3) * this.rng.range(0.5, 1.4);
    const fill = this.rng.range(0.05, 0.5);
    this.actual = { fill, day: Number.NaN, overflowed: false };
    this.shadow = ctx.arm === 'intervention' ? { fill, day: Number.NaN, overflowed: false } : undefined;
    this.battery = this.rng.range(3.4, 3.67);
    this.roundHours = [...new Set([this.settings.schedule_hour, ...this.settings.smart_round_hours])].sort(
      (a, b) => a - b,
    );
  }

  private dailyRate(day: number): number {
    let factor = Math.exp(0.35 * hashNormal(this.ctx.seed, 'bin-day', this.device.id, day));
    if (isWeekend(day) || isPublicHoliday(day)) factor *= this.busy ? 1.3 : 1.1;
    if (this.market && isMarketDay(day)) factor *= 1.35;
    return this.rate * factor;
  }

  /** Continues from the stored fill and battery (a demo restarted on its own history). */
  resume(latest: Readonly<Record<string, number>>): void {
    if (latest.fill !== undefined) {
      this.actual.fill = latest.fill;
      if (this.shadow) this.shadow.fill = latest.fill;
    }
    if (latest.battery_v !== undefined) this.battery = latest.battery_v;
  }

  step(ms: number): StepResult {
    const from = this.last ?? ms - this.device.reporting_interval_s * 1000;
    this.last = ms;
    const events: ModelEvent[] = [];
    let t = from;
    for (const at of this.roundsBetween(from, ms)) {
      this.grow(t, at);
      this.round(at, events);
      t = at;
    }
    this.grow(t, ms);
    return { fields: this.read(ms, ms - from), events };
  }

  private roundsBetween(from: number, to: number): number[] {
    const out: number[] = [];
    for (let day = localDay(from); day <= localDay(to); day++) {
      for (const hour of this.roundHours) {
        const at = dayStart(day) + hour * HOUR_MS;
        if (at > from && at <= to) out.push(at);
      }
    }
    return out;
  }

  private grow(from: number, to: number): void {
    if (to <= from) return;
    const mid = (from + to) / 2;
    const noise = Math.max(0, 1 + this.rng.normal(0, 0.35));
    const added =
      this.dailyRate(localDay(mid)) * diurnalWeight(localHour(mid)) * ((to - from) / DAY_MS) * noise;
    for (const [bin, side] of this.bins()) {
      this.rollDay(bin, side, localDay(to - 1));
      bin.fill = Math.min(MAX_TRUE_FILL, bin.fill + added);
      if (bin.fill >= 1) bin.overflowed = true;
    }
  }

  private *bins(): Generator<[Bin, Side]> {
    yield [this.actual, 'actual'];
    if (this.shadow) yield [this.shadow, 'counterfactual'];
  }

  /** Closes a bin-day for the overflow and collections-per-week KPIs. */
  private rollDay(bin: Bin, side: Side, day: number): void {
    if (bin.day === day) return;
    if (!Number.isNaN(bin.day) && this.recording(dayStart(bin.day))) {
      const id = this.ctx.experiment?.id ?? '';
      this.ctx.truth?.add(id, 'overflow_bin_days', side, bin.overflowed ? 1 : 0, 1);
      this.ctx.truth?.add(id, 'collections_per_bin_week', side, 0, 1 / 7);
    }
    bin.day = day;
    bin.overflowed = bin.fill >= 1;
  }

  private recording(ms: number): boolean {
    return this.ctx.truth !== undefined && this.ctx.arm === 'intervention' && ms >= this.ctx.startMs;
  }

  private round(at: number, events: ModelEvent[]): void {
    const hour = Math.round(localHour(at));
    const scheduled =
      this.settings.control_schedule.includes(weekday(localDay(at))) && hour === this.settings.schedule_hour;
    const smart = treated(this.ctx, at) && this.settings.intervention_policy === 'threshold';
    for (const [bin, side] of this.bins()) {
      const byThreshold = side === 'actual' && smart;
      const collect = byThreshold
        ? this.settings.smart_round_hours.includes(hour) && bin.fill >= this.settings.collection_threshold
        : scheduled;
      if (!collect) continue;
      const before = Math.min(1, bin.fill);
      bin.fill = RESIDUAL_FILL;
      if (side === 'actual')
        events.push({ at, type: 'collection', detail: { fill_before: round(before, 3) } });
      if (this.recording(at)) {
        const id = this.ctx.experiment?.id ?? '';
        this.ctx.truth?.add(
          id,
          'wasted_trip_share',
          side,
          before < this.settings.wasted_trip_fill ? 1 : 0,
          1,
        );
        this.ctx.truth?.add(id, 'fill_at_collection', side, before, 1);
        this.ctx.truth?.add(id, 'collections_per_bin_week', side, 1, 0);
      }
    }
  }

  private read(ms: number, elapsedMs: number): Record<string, number> {
    const fill = clamp(this.actual.fill + this.rng.normal(0, 0.012), 0, 1);
    const air = airTemp(this.ctx.seed, ms);
    const hour = localHour(ms);
    const sun = dayWeather(this.ctx.seed, localDay(ms)).rain
      ? 0
      : 2.5 * Math.max(0, Math.sin((Math.PI * (hour - 7)) / 12));
    const temp = air + sun + this.rng.normal(0, 0.3);
    // Lithium cells sag in the cold; the drain itself is slow (about 0.07 V a year: they last years).
    this.battery -= (0.0002 * elapsedMs) / 86_400_000;
    const battery = clamp(this.battery + 0.004 * (air - 15) + this.rng.normal(0, 0.004), 2, 3.7);
    const fields: Record<string, number> = {};
    const cal = this.device.calibration;
    if (this.device.sensor === 'ultrasonic' && cal) {
      const distance = cal.empty_mm - fill * (cal.empty_mm - cal.full_mm) + this.rng.normal(0, 6);
      fields.distance_mm = Math.round(clamp(distance, cal.full_mm, cal.empty_mm));
    } else {
      fields.fill = round(fill, 3);
      fields.tilt_deg = round(Math.abs(this.rng.normal(2, 0.7)), 1);
    }
    fields.battery_v = round(battery, 3);
    fields.temp_c = round(temp, 1);
    return fields;
  }
}
