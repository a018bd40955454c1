/**
 * What a line chart may join. uPlot draws a line through `undefined` and breaks it at `null`;
 * the store's buckets hold `null` wherever a bucket had no reading, including the short, normal
 * holes between a sensor's reports. So a hole stays a break only where the points around it are
 * farther apart than `maxGapMs`, and where two neighbouring x values are that far apart a row of
 * nulls is inserted between them: no line is ever drawn across missing data.
 */
export type Value = number | null | undefined;
export type ChartData = Value[][];

export function breakGaps(data: readonly (readonly Value[])[], maxGapMs: number): ChartData {
  const xs = data[0] ?? [];
  const columns = data.slice(1);
  const outX: Value[] = [];
  const outColumns: Value[][] = columns.map(() => []);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    const previous = i > 0 ? (xs[i - 1] as number) : undefined;
    if (previous !== undefined && x - previous > maxGapMs) {
      outX.push(previous + (x - previous) / 2);
      for (const column of outColumns) column.push(null);
    }
    outX.push(x);
    columns.forEach((column, c) => outColumns[c]?.push(column[i] ?? null));
  }
  return [outX, ...outColumns.map((column) => spanShortHoles(outX as number[], column, maxGapMs))];
}

/** Nulls between two values at most `maxGapMs` apart become `undefined` (joined); longer runs stay null. */
function spanShortHoles(xs: readonly number[], column: Value[], maxGapMs: number): Value[] {
  const out = column.slice();
  let lastValue = -1;
  for (let i = 0; i < out.length; i++) {
    if (out[i] === null || out[i] === undefined) continue;
    if (lastValue >= 0 && i - lastValue > 1 && (xs[i] ?? 0) - (xs[lastValue] ?? 0) <= maxGapMs) {
      for (let k = lastValue + 1; k < i; k++) out[k] = undefined;
    }
    lastValue = i;
  }
  return out;
}

/** Indices of values with a break (or the edge) on both sides: drawn as a dot, or they would not show at all. */
export function isolatedPoints(column: readonly Value[]): number[] {
  const isolated: number[] = [];
  const neighbour = (from: number, step: 1 | -1): Value => {
    for (let k = from + step; k >= 0 && k < column.length; k += step)
      if (column[k] !== undefined) return column[k];
    return null;
  };
  column.forEach((v, i) => {
    if (v === null || v === undefined) return;
    if (neighbour(i, -1) === null && neighbour(i, 1) === null) isolated.push(i);
  });
  return isolated;
}

/** True when no series holds a single value: the chart shows its empty state. */
export function isEmpty(data: readonly (readonly Value[])[]): boolean {
  return data.slice(1).every((column) => column.every((v) => v === null || v === undefined));
}

/**
 * The longest distance a line may join: two reporting intervals, and never less than one bucket of
 * the series (consecutive buckets are one step apart; a missing bucket is then a break).
 */
export function maxGapFor(reportingIntervalMs: number, stepMs = 0): number {
  return Math.max(2 * reportingIntervalMs, stepMs);
}
