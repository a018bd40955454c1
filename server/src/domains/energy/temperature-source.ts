/**
 * Daily mean outdoor temperature for heating degree days. Production needs a
 * measured daily series (a weather station or reanalysis feed) — normals only
 * give the same HDD every year, which normalises nothing. The normals source
 * exists so that the product works before such a feed is configured, and says
 * so in its name, which every energy effect reports.
 */
export interface TemperatureSource {
  readonly name: string;
  /** Daily mean °C for a local date, or null when the source has no value. */
  dailyMeanC(date: string): number | null;
}

export const HDD_BASE_C = 18;

/** Kutaisi monthly mean air temperature, °C, January first (climate normals). */
export const KUTAISI_MONTHLY_NORMALS_C = [3, 4.5, 8, 13, 18, 21, 23, 23, 19.5, 14.5, 9.5, 5.5] as const;

export function heatingDegreeDays(meanC: number, baseC = HDD_BASE_C): number {
  return Math.max(0, baseC - meanC);
}

/** Normals interpolated linearly between mid-month anchors (the 15th). */
export class NormalsTemperatureSource implements TemperatureSource {
  readonly name = 'kutaisi-monthly-normals';

  constructor(private readonly normals: readonly number[] = KUTAISI_MONTHLY_NORMALS_C) {}

  dailyMeanC(date: string): number | null {
    const [, month = 1, dom = 1] = date.split('-').map(Number);
    const at = (m: number) => this.normals[((m % 12) + 12) % 12] as number;
    const here = at(month - 1);
    const other = dom >= 15 ? at(month) : at(month - 2);
    return here + ((other - here) * Math.abs(dom - 15)) / 30.4;
  }
}

/** A measured daily series: `date,mean_temp_c` CSV lines or `[{date, mean_temp_c}]` JSON. */
export class DailySeriesTemperatureSource implements TemperatureSource {
  constructor(
    private readonly byDate: ReadonlyMap<string, number>,
    readonly name = 'daily-series',
  ) {}

  static fromRecords(records: readonly { date: string; mean_temp_c: number }[], name?: string) {
    return new DailySeriesTemperatureSource(new Map(records.map((r) => [r.date, r.mean_temp_c])), name);
  }

  static fromCsv(text: string, name?: string): DailySeriesTemperatureSource {
    const map = new Map<string, number>();
    for (const line of text.split(/\r?\n/)) {
      const [date = '', value = ''] = line.split(',').map((s) => s.trim());
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || value === '') continue; // header and blanks
      const n = Number(value);
      if (Number.isFinite(n)) map.set(date, n);
    }
    return new DailySeriesTemperatureSource(map, name);
  }

  dailyMeanC(date: string): number | null {
    return this.byDate.get(date) ?? null;
  }
}
