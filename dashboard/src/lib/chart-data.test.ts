import { describe, expect, it } from 'vitest';
import { breakGaps, isEmpty, isolatedPoints, maxGapFor } from './chart-data.js';

const MIN = 60_000;
const DAY = 86_400_000;

/** The x ranges a line is drawn across: runs of consecutive non-null values (undefined is joined). */
function drawnSegments(data: ReturnType<typeof breakGaps>, series = 1): [number, number][] {
  const xs = data[0] as number[];
  const ys = data[series] ?? [];
  const segments: [number, number][] = [];
  let start: number | undefined;
  let end: number | undefined;
  ys.forEach((v, i) => {
    if (v === null) {
      if (start !== undefined && end !== undefined) segments.push([start, end]);
      start = end = undefined;
    } else if (v !== undefined) {
      start ??= xs[i];
      end = xs[i];
    }
  });
  if (start !== undefined && end !== undefined) segments.push([start, end]);
  return segments;
}

describe('breakGaps', () => {
  it('draws a metric with a gap of weeks with a break', () => {
    // Daily values in May, none from June to mid-September, daily again after.
    const may = Array.from({ length: 31 }, (_, i) => Date.UTC(2026, 4, 1) + i * DAY);
    const autumn = Array.from({ length: 20 }, (_, i) => Date.UTC(2026, 8, 15) + i * DAY);
    const xs = [...may, ...autumn];
    const ys = xs.map((_, i) => 100 + i);
    const data = breakGaps([xs, ys], DAY);
    const segments = drawnSegments(data);
    expect(segments).toEqual([
      [may[0], may[30]],
      [autumn[0], autumn[19]],
    ]);
    // The break is a null row inserted between the last day of May and the first of the autumn.
    const breakAt = (data[0] as number[]).findIndex((x) => x > (may[30] ?? 0) && x < (autumn[0] ?? 0));
    expect(breakAt).toBeGreaterThan(0);
    expect(data[1]?.[breakAt]).toBeNull();
  });

  it('joins the short holes between a sensor’s reports and breaks the long ones', () => {
    // 5-minute buckets of a sensor reporting every 15 minutes: two empty buckets between readings are normal.
    const xs = Array.from({ length: 40 }, (_, i) => i * 5 * MIN);
    const ys = xs.map((_, i) => (i % 3 === 0 && (i < 15 || i > 27) ? i : null));
    const data = breakGaps([xs, ys], maxGapFor(15 * MIN, 5 * MIN));
    // Readings at 0..70 min, then nothing until 90 min... (i = 30 is the first after the outage).
    expect(drawnSegments(data)).toEqual([
      [0, 12 * 5 * MIN],
      [30 * 5 * MIN, 39 * 5 * MIN],
    ]);
  });

  it('breaks each series on its own gaps', () => {
    const xs = [0, 1, 2, 3, 4, 5].map((h) => h * 60 * MIN);
    const a = [1, null, null, null, 5, 6];
    const b = [1, 2, 3, 4, 5, 6];
    const data = breakGaps([xs, a, b], 2 * 60 * MIN);
    expect(drawnSegments(data, 1)).toEqual([
      [0, 0],
      [4 * 60 * MIN, 5 * 60 * MIN],
    ]);
    expect(drawnSegments(data, 2)).toEqual([[0, 5 * 60 * MIN]]);
  });

  it('leaves data without gaps as it is', () => {
    const xs = [0, 1, 2].map((d) => d * DAY);
    expect(breakGaps([xs, [1, 2, 3]], DAY)).toEqual([xs, [1, 2, 3]]);
  });
});

describe('isolatedPoints and isEmpty', () => {
  it('finds values with a break on both sides', () => {
    expect(isolatedPoints([null, 3, null, 4, undefined, 5, null, 7])).toEqual([1, 7]);
  });
  it('calls a chart with only nulls empty', () => {
    expect(
      isEmpty([
        [1, 2],
        [null, undefined],
      ]),
    ).toBe(true);
    expect(
      isEmpty([
        [1, 2],
        [null, 0],
      ]),
    ).toBe(false);
  });
});
