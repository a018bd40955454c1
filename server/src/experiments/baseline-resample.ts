/**
 * A building's baseline refitted on bootstrap resamples without re-sorting its days. A moving-block
 * resample draws baseline dates with repetition; refitting is then the same least squares with each
 * day weighted by how often its date was drawn. The days of each type are sorted by temperature once
 * here, and a replicate only fills in the weights (Option C and the comparison group refit every
 * building hundreds of times; sorting each resample was a third of a cold analysis).
 */
import { changePointOf, tempOf, type ModelDay } from './change-point.js';
import { HingeSums } from './hinge-sums.js';
import type { BaselineFit } from './option-c.js';

/** As fitBaseline: fewer baseline days than this give no model. */
const MIN_BASELINE_DAYS = 10;

interface DayTypeDays {
  temps: Float64Array;
  y: Float64Array;
  /** Each day's position in the baseline's list of dates. */
  dateIndex: Int32Array;
  weights: Float64Array;
}

function sortedByTemperature(days: readonly ModelDay[], indexOf: (date: string) => number): DayTypeDays {
  const sorted = [...days].sort((a, b) => tempOf(a) - tempOf(b));
  return {
    temps: Float64Array.from(sorted, tempOf),
    y: Float64Array.from(sorted, (d) => d.y),
    dateIndex: Int32Array.from(sorted, (d) => indexOf(d.date)),
    weights: new Float64Array(sorted.length),
  };
}

export class BaselineResampler {
  private readonly occupied: DayTypeDays;
  private readonly unoccupied: DayTypeDays;

  /** `days`: one building's baseline days; `indexOf`: a date's position in the drawn list of dates. */
  constructor(days: readonly ModelDay[], indexOf: (date: string) => number) {
    this.occupied = sortedByTemperature(
      days.filter((d) => d.occupied),
      indexOf,
    );
    this.unoccupied = sortedByTemperature(
      days.filter((d) => !d.occupied),
      indexOf,
    );
  }

  /** The day-type models on a resample where date i was drawn `draws[i]` times; null as fitBaseline. */
  fit(draws: ArrayLike<number>): Pick<BaselineFit, 'occupied' | 'unoccupied'> | null {
    let total = 0;
    for (const type of [this.occupied, this.unoccupied])
      for (let i = 0; i < type.weights.length; i++) {
        type.weights[i] = draws[type.dateIndex[i] as number] as number;
        total += type.weights[i] as number;
      }
    if (total < MIN_BASELINE_DAYS) return null;
    const fitType = (type: DayTypeDays) => changePointOf(new HingeSums(type.temps, type.y, type.weights));
    const occupied = fitType(this.occupied);
    const unoccupied = fitType(this.unoccupied);
    return occupied || unoccupied ? { occupied, unoccupied } : null;
  }
}

/** How often each of `length` indices occurs in `drawn`. */
export function drawCounts(drawn: readonly number[], length: number): Int32Array {
  const counts = new Int32Array(length);
  for (const i of drawn) counts[i] = (counts[i] as number) + 1;
  return counts;
}
