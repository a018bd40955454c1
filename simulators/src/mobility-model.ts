/**
 * Multimodal counter: 15-minute counts by class and direction. Weekdays have
 * a commuter double peak (8–9 h and 17–19 h local), weekends a flat midday
 * hump; rain keeps pedestrians and riders at home; treated sites get the
 * planted uplift. Expected (noise-free) counts feed the truth, Poisson draws the payload.
 */
import type { MobilityDevice, Site } from '../../server/src/config/portfolio-schema.js';
import type { TravelClass } from '../../server/src/contract/index.js';
import { isPublicHoliday } from './calendar.js';
import { dayWeather } from './climate.js';
import { DAY_MS, isWeekend, localDay, localHour } from './clock.js';
import { clamp, sinceLast, treated, type DeviceModel, type ModelContext, type StepResult } from './model.js';
import { Rng } from './prng.js';
import { mobilitySettings, type MobilitySettings } from './scenario.js';

type Totals = Record<TravelClass, number>;

/** Daily totals, both directions, by site character. */
const DAILY: Record<string, Totals> = {
  corridor: { pedestrian: 9000, bicycle: 180, escooter: 300, car: 14000, bus: 700 },
  centre: { pedestrian: 12000, bicycle: 150, escooter: 350, car: 6000, bus: 300 },
  market: { pedestrian: 15000, bicycle: 120, escooter: 200, car: 5000, bus: 400 },
  residential: { pedestrian: 4000, bicycle: 80, escooter: 90, car: 7000, bus: 350 },
};
const RESIDENTIAL = DAILY.residential as Totals;
const DAY_OFF: Totals = { pedestrian: 0.85, bicycle: 1.2, escooter: 1.3, car: 0.7, bus: 0.6 };
const RAIN: Totals = { pedestrian: 0.7, bicycle: 0.45, escooter: 0.5, car: 1.08, bus: 1.12 };
/** Peak heights over the base: commuters (cars, pedestrians) peak hardest, buses least. */
const PEAK: Totals = { pedestrian: 1.6, bicycle: 1.3, escooter: 1.1, car: 1.8, bus: 0.8 };
const ACTIVE: readonly TravelClass[] = ['pedestrian', 'bicycle', 'escooter'];

const gauss = (h: number, mu: number, sd: number) => Math.exp(-((h - mu) ** 2) / (2 * sd * sd));

function shape(hour: number, dayOff: boolean, peak: number): number {
  const night = hour < 5.5 || hour >= 23 ? 0.15 : 1;
  if (dayOff) return night * (0.3 + 1.0 * gauss(hour, 13.5, 3.5) + 0.4 * gauss(hour, 19.5, 1.5));
  return (
    night * (0.3 + peak * gauss(hour, 8.5, 0.6) + 0.35 * gauss(hour, 13, 1.5) + peak * gauss(hour, 18, 0.9))
  );
}

/** Mean of each shape over the day, so that the shape redistributes but never changes the daily total. */
const meanShape = new Map<string, number>();
function normalisedShape(hour: number, dayOff: boolean, peak: number): number {
  const key = `${dayOff}:${peak}`;
  let mean = meanShape.get(key);
  if (mean === undefined) {
    mean = 0;
    for (let i = 0; i < 288; i++) mean += shape((i + 0.5) / 12, dayOff, peak) / 288;
    meanShape.set(key, mean);
  }
  return shape(hour, dayOff, peak) / mean;
}

function siteTotals(site: Site | undefined): Totals {
  const tags = site?.tags ?? [];
  const kind = ['corridor', 'market', 'centre', 'residential'].find((t) => tags.includes(t)) ?? 'residential';
  return DAILY[kind] ?? RESIDENTIAL;
}

export class MobilityModel implements DeviceModel {
  private readonly rng: Rng;
  private readonly settings: MobilitySettings;
  private readonly totals: Totals;
  private lastMs: number | undefined;

  constructor(
    private readonly ctx: ModelContext,
    private readonly device: MobilityDevice,
  ) {
    this.rng = new Rng(ctx.seed, 'mobility', device.id);
    this.settings = mobilitySettings(ctx.simulation, `${ctx.experiment?.id ?? device.pilot}.simulation`);
    const scale = this.rng.range(0.8, 1.2);
    const base = siteTotals(ctx.site);
    this.totals = {
      pedestrian: base.pedestrian * scale,
      bicycle: base.bicycle * scale,
      escooter: base.escooter * scale,
      car: base.car * scale,
      bus: base.bus * scale,
    };
  }

  private uplift(cls: TravelClass): number {
    const s = this.settings;
    const u = {
      pedestrian: s.pedestrian_uplift,
      bicycle: s.bicycle_uplift,
      escooter: s.escooter_uplift,
      car: s.car_uplift,
      bus: 0,
    };
    return 1 + u[cls];
  }

  /** Expected counts for the interval ending at `ms`: [actual, counterfactual]. */
  expected(cls: TravelClass, ms: number, intervalS: number): [number, number] {
    const mid = ms - (intervalS * 1000) / 2;
    const day = localDay(mid);
    const weather = dayWeather(this.ctx.seed, day);
    const dayOff = isWeekend(day) || isPublicHoliday(day);
    let lambda = this.totals[cls] * (intervalS / 86_400) * normalisedShape(localHour(mid), dayOff, PEAK[cls]);
    if (dayOff) lambda *= DAY_OFF[cls];
    if (weather.rain) lambda *= RAIN[cls];
    // Riders are fair-weather people: fewer in the cold months.
    if (cls === 'bicycle' || cls === 'escooter') lambda *= clamp((weather.meanC - 2) / 16, 0.25, 1.2);
    return [treated(this.ctx, mid) ? lambda * this.uplift(cls) : lambda, lambda];
  }

  step(ms: number): StepResult {
    // Whole seconds, as the contract counts them.
    const intervalS = Math.max(
      1,
      Math.round(sinceLast(this.lastMs, ms, this.device.reporting_interval_s) / 1000),
    );
    this.lastMs = ms;
    const hour = localHour(ms - (intervalS * 1000) / 2);
    // Mornings flow into the centre, evenings out of it.
    const inShare = clamp(0.5 + 0.18 * (gauss(hour, 8.5, 1.5) - gauss(hour, 18, 1.5)), 0.2, 0.8);
    const counts: Record<string, { in: number; out: number }> = {};
    const recording = this.ctx.truth !== undefined && treated(this.ctx, ms - (intervalS * 1000) / 2);
    let [activeActual, activeCf, allActual, allCf] = [0, 0, 0, 0];
    for (const cls of this.device.classes) {
      const [lambda, counterfactual] = this.expected(cls, ms, intervalS);
      counts[cls] = { in: this.rng.poisson(lambda * inShare), out: this.rng.poisson(lambda * (1 - inShare)) };
      if (!recording) continue;
      const days = (intervalS * 1000) / DAY_MS;
      if (cls !== 'car' && cls !== 'bus') {
        const id = this.ctx.experiment?.id ?? '';
        this.ctx.truth?.add(id, `daily_${cls}`, 'actual', lambda, days);
        this.ctx.truth?.add(id, `daily_${cls}`, 'counterfactual', counterfactual, days);
      }
      if (ACTIVE.includes(cls)) {
        activeActual += lambda;
        activeCf += counterfactual;
      }
      allActual += lambda;
      allCf += counterfactual;
    }
    if (recording) {
      const id = this.ctx.experiment?.id ?? '';
      this.ctx.truth?.add(id, 'modal_split_active', 'actual', activeActual, allActual);
      this.ctx.truth?.add(id, 'modal_split_active', 'counterfactual', activeCf, allCf);
    }
    return { fields: { interval_s: intervalS, counts }, events: [] };
  }
}
