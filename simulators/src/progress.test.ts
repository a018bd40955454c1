import { describe, expect, it } from 'vitest';
import { Progress, formatSeconds } from './progress.js';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
}

describe('Progress', () => {
  it('draws one line on a terminal: bar, percent, count, rate and ETA, ended by a newline', () => {
    const { writes, stream: out } = stream(true);
    const progress = new Progress('history', 'readings', out);
    progress.update(0.43, 12_345, true);
    expect(writes[0]).toMatch(/^\rhistory █+░+ {2}43\.0% {2}12,345 readings {2}[\d,]+\/s {2}ETA \d+:\d\d/);
    progress.done(20_000);
    expect(writes.at(-2)).toContain('100.0%  20,000 readings');
    expect(writes.at(-1)).toBe('\n');
  });

  it('writes nothing without a terminal (a log file would fill with bars)', () => {
    const { writes, stream: out } = stream(false);
    const progress = new Progress('history', 'readings', out);
    expect(progress.enabled).toBe(false);
    progress.update(0.5, 10, true);
    progress.done(20);
    expect(writes).toEqual([]);
  });

  it('formats seconds as m:ss or h:mm:ss', () => {
    expect(formatSeconds(75)).toBe('1:15');
    expect(formatSeconds(3_725)).toBe('1:02:05');
    expect(formatSeconds(Number.NaN)).toBe('--:--');
  });
});
