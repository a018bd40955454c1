/**
 * What a store offers the daily rollups (server/src/experiments/rollup/): raw points to compute
 * from, a place to keep one record per device and local day, and a way to learn which readings
 * changed since the rollups last looked. DuckDB keeps the records in a table of the same file and
 * tells changes by the write number on each row; InfluxDB keeps them in a measurement, and the
 * server tells changes by what its store writer stored (rollup-journal.ts).
 */

export interface PointsQuery {
  devices: readonly string[];
  metrics: readonly string[];
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

/** One device's readings in time order: the value of each metric per time, null where a reading lacked it. */
export interface DevicePoints {
  t: number[];
  values: Record<string, (number | null)[]>;
}

/** One record of the rollups: a device, a local date, and what the rollup layer keeps for it (JSON). */
export interface StoredDay {
  device: string;
  date: string;
  data: string;
}

export interface ChangeSet {
  /** Pass back to learn what changes after this call. */
  mark: number;
  /** Per device, the UTC days (epoch ms of their start) that hold a changed reading. */
  changes: { device: string; day: number }[];
}

export interface RollupStorage {
  /**
   * How far back (in mark units) a refresh looks again beyond its mark: changes whose mark a
   * writer's clock put behind it (InfluxDB, several instances). 0 where marks never go back.
   */
  readonly refreshOverlap: number;
  /** How many devices' raw points one load should ask for (DuckDB scans all at once; InfluxDB reads per series). */
  readonly devicesPerLoad: number;
  /** Readings stored or completed since `mark` (all of them without a mark). */
  changesSince(mark: number | undefined): Promise<ChangeSet>;
  readDays(devices: readonly string[], fromDate: string, toDate: string): Promise<StoredDay[]>;
  /**
   * Replaces the records of the given device-dates and removes those of `removed`, and keeps the
   * mark (when given), at once.
   */
  writeDays(
    days: readonly StoredDay[],
    removed: readonly { device: string; date: string }[],
    mark: number | undefined,
  ): Promise<void>;
  /** The mark kept by the last writeDays; undefined before the first. */
  readMark(): Promise<number | undefined>;
}

export const UTC_DAY_MS = 86_400_000;
