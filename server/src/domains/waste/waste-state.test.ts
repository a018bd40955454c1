import { describe, expect, it } from 'vitest';
import { newWaste, wasteReading } from './waste-state.js';

// 10:00 local time in Kutaisi (UTC+4).
const NOW = Date.UTC(2026, 10, 2, 6, 0, 0);

describe('bin collections, live', () => {
  const at = (i: number) => NOW + i * 900_000;

  it('sees the collection of a bin a third full once the next reading stays down, and not a glitch', () => {
    const bin = newWaste();
    [0.2, 0.25, 0.31].forEach((fill, i) => wasteReading(bin, at(i), fill));
    // One low reading, then back up: a glitch.
    wasteReading(bin, at(3), 0.1);
    wasteReading(bin, at(4), 0.32);
    expect(bin.lastCollection).toBeNull();
    // 0.33 → 0.04 (a drop the 30-point rule missed), confirmed by 0.05.
    wasteReading(bin, at(5), 0.33);
    wasteReading(bin, at(6), 0.04);
    expect(bin.lastCollection).toBeNull();
    // A re-delivered reading does not confirm its own drop.
    wasteReading(bin, at(6), 0.04);
    expect(bin.lastCollection).toBeNull();
    wasteReading(bin, at(7), 0.05);
    expect(bin.lastCollection).toBe(at(6));
  });
});
