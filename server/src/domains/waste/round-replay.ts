/**
 * What the old round would have done with the same waste. Smart collection changes when trucks
 * come, not how fast bins fill, so the counterfactual of an intervention bin can be read off its own
 * fill readings: the waste that arrived between readings (the rise, and across one of the new
 * collections the neighbouring intervals' rate), collected instead at the slots of the round the
 * bin was on before the intervention (learned from its baseline collections). Each bin-day of the
 * replay carries the same KPI inputs as a measured one (collections, wasted trips, fill at
 * collection, overflow), so the effect is measured minus replayed, bin-day by bin-day.
 *
 * Unlike a difference-in-differences, this needs no control bins whose share moves like the
 * intervention bins' would have: bins near empty at every visit (a wasted share near zero) cannot
 * fall by what the controls' share falls, and bins near a threshold react to a season more than
 * others. It needs a round that is regular enough to learn; learnRound says how regular it was.
 */
import { dateOfDay, weekdayOfDay, type LocalCalendar } from '../../calendar/city-calendar.js';
import { detectCollections, type Collection, type FillColumns, type WasteOptions } from './collections.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** A collection slot of a round: local weekday (0 = Sunday) and minute of the day of the first reading after it. */
export interface RoundSlot {
  weekday: number;
  minute: number;
}

export interface LearnedRound {
  slots: RoundSlot[];
  /** Share of the baseline's collections that fell on the slots: how well the round is known. */
  explained: number;
  /** Fill just after a collection (the median measured), where the replayed bin restarts. */
  residual: number;
  collections: number;
}

export interface ReplayDay {
  date: string;
  collections: number;
  wasted_trips: number;
  fill_at_collection_sum: number;
  overflow: boolean;
}

/** A slot as one number (minutes run 0 to 1440 inclusive: a reading in the day's last half-minute rounds up). */
const slotKey = (s: RoundSlot) => s.weekday * 1441 + s.minute;

// Called for every reading of every bin: day numbers, not date strings.
function slotOf(t: number, calendar: LocalCalendar): RoundSlot {
  const day = calendar.dayNumber(t);
  return { weekday: weekdayOfDay(day), minute: Math.round((t - calendar.startOfDay(day)) / 60_000) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The round a bin was on: the (weekday, time) slots at which at least half of the baseline's weeks
 * saw a collection. A bin collected on demand has no such slot and explains little.
 */
export function learnRound(
  baseline: FillColumns,
  calendar: LocalCalendar,
  options: Pick<WasteOptions, 'collectionDrop'>,
): LearnedRound {
  const collections = detectCollections(baseline, options.collectionDrop);
  const first = baseline.t[0] ?? 0;
  const last = baseline.t[baseline.t.length - 1] ?? 0;
  const weeks = Math.max(1, (last - first) / WEEK_MS);
  const counts = new Map<number, { slot: RoundSlot; n: number }>();
  for (const c of collections) {
    const slot = slotOf(c.at, calendar);
    const entry = counts.get(slotKey(slot)) ?? { slot, n: 0 };
    entry.n++;
    counts.set(slotKey(slot), entry);
  }
  const slots = [...counts.values()].filter((e) => e.n >= weeks / 2).map((e) => e.slot);
  const on = new Set(slots.map(slotKey));
  const explained = collections.filter((c) => on.has(slotKey(slotOf(c.at, calendar)))).length;
  return {
    slots,
    explained: collections.length === 0 ? 0 : explained / collections.length,
    residual: collections.length === 0 ? 0 : Math.max(0, median(collections.map((c) => c.fillAfter))),
    collections: collections.length,
  };
}

/**
 * The waste that arrived in each interval: the rise between readings; across a drop (a collection,
 * when the bin's own fill says nothing of the arrivals) the mean rise of the intervals either side.
 * Differences of the readings themselves, not clipped at zero: the sensor's noise then cancels over
 * any stretch instead of adding up.
 */
export function arrivals(series: FillColumns, minDrop: number): Float64Array {
  // Plain loops over typed arrays: this runs over every reading of every replayed bin.
  const { t, fill } = series;
  const n = t.length;
  const rise = new Float64Array(n);
  const unknown = new Uint8Array(n);
  for (let i = 1; i < n; i++) {
    const step = (fill[i] as number) - (fill[i - 1] as number);
    if (-step > minDrop || (t[i] as number) - (t[i - 1] as number) > 6 * 3_600_000) unknown[i] = 1;
    else rise[i] = step;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!unknown[i]) {
      out[i] = rise[i] as number;
      continue;
    }
    let sum = 0;
    let count = 0;
    for (const j of [i - 2, i - 1, i + 1, i + 2])
      if (j >= 0 && j < n && !unknown[j]) {
        sum += rise[j] as number;
        count++;
      }
    out[i] = count ? sum / count : 0;
  }
  return out;
}

/** The bin-days of the old round replayed on the bin's reporting-period readings. */
export function replayRound(
  series: FillColumns,
  round: LearnedRound,
  calendar: LocalCalendar,
  options: Pick<WasteOptions, 'collectionDrop' | 'wastedTripFill' | 'overflowFill'>,
): ReplayDay[] {
  const inflow = arrivals(series, options.collectionDrop);
  const on = new Set(round.slots.map(slotKey));
  const days = new Map<string, ReplayDay>();
  const day = (date: string) => {
    let d = days.get(date);
    if (!d)
      days.set(
        date,
        (d = { date, collections: 0, wasted_trips: 0, fill_at_collection_sum: 0, overflow: false }),
      );
    return d;
  };
  // The replay starts where the bin was: its first reading, as the old round would have found it.
  let fill = series.fill[0] ?? 0;
  // The bin's real collections, in time order like the readings: a pointer, not a lookup per reading.
  const actual = detectCollections(series, options.collectionDrop);
  let nextActual = 0;
  let lastActual = Number.NEGATIVE_INFINITY;
  let lastReplayed = Number.NEGATIVE_INFINITY;
  // The day's entry, weekday and midnight change once a day, not per reading.
  let dayNumber = Number.NaN;
  let d: ReplayDay | undefined;
  let midnight = 0;
  let weekday = 0;
  for (let i = 0; i < series.t.length; i++) {
    const at = series.t[i] as number;
    const measured = series.fill[i] as number;
    const n = calendar.dayNumber(at);
    if (n !== dayNumber || !d) {
      dayNumber = n;
      d = day(dateOfDay(n));
      midnight = calendar.startOfDay(n);
      weekday = weekdayOfDay(n);
    }
    while (nextActual < actual.length && (actual[nextActual] as Collection).at <= at) {
      if ((actual[nextActual] as Collection).at === at) lastActual = at;
      nextActual++;
    }
    if (i > 0 && on.has(slotKey({ weekday, minute: Math.round((at - midnight) / 60_000) }))) {
      // The first reading after the truck: the bin was emptied from the fill of the reading before.
      const before = Math.min(1, fill);
      d.collections++;
      d.fill_at_collection_sum += before;
      if (before < options.wastedTripFill) d.wasted_trips++;
      fill = round.residual;
      lastReplayed = at;
    } else fill += inflow[i] as number;
    // Emptied no later than the real bin, the replayed one holds at least as much: where the sensor
    // reads full (and clamps), the sum of rises would lose what a clamped reading cannot show.
    if (lastReplayed <= lastActual && measured >= options.overflowFill) fill = Math.max(fill, measured);
    // As a measured bin-day counts: the same threshold on the (replayed) fill.
    if (fill >= options.overflowFill) d.overflow = true;
  }
  return [...days.values()];
}
