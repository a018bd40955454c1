import { describe, expect, it } from 'vitest';
import { dayOf } from '../../../../simulators/src/clock.js';
import { isOccupied, orthodoxEaster } from './day-type.js';
import {
  DailySeriesTemperatureSource,
  NormalsTemperatureSource,
  heatingDegreeDays,
} from './temperature-source.js';
import { normalTemp } from '../../../../simulators/src/climate.js';

describe('building day type', () => {
  it('knows Orthodox Easter', () => {
    expect(orthodoxEaster(2026)).toBe('2026-04-12');
    expect(orthodoxEaster(2027)).toBe('2027-05-02');
  });

  it('closes schools and kindergartens on holidays, weekends and their breaks', () => {
    const cases: [Parameters<typeof isOccupied>[0], string, boolean][] = [
      ['school', '2026-04-10', false], // Orthodox Good Friday
      ['school', '2026-04-14', true],
      ['school', '2026-05-26', false], // Independence Day
      ['school', '2026-07-15', false], // summer break
      ['school', '2026-01-10', false], // winter break
      ['school', '2026-11-21', false], // Saturday
      ['kindergarten', '2026-08-12', false],
      ['kindergarten', '2026-07-15', true],
      ['office', '2026-07-15', true],
      ['office', '2026-11-23', false], // St George's Day
    ];
    for (const [type, date, open] of cases) expect(isOccupied(type, date), `${type} ${date}`).toBe(open);
  });
});

describe('temperature sources', () => {
  it('interpolates the Kutaisi normals like the simulators’ climate model', () => {
    const normals = new NormalsTemperatureSource();
    expect(normals.dailyMeanC('2026-01-15')).toBe(3);
    expect(normals.dailyMeanC('2026-07-15')).toBe(23);
    for (const date of ['2026-03-02', '2026-10-30', '2026-12-31']) {
      expect(normals.dailyMeanC(date)).toBeCloseTo(normalTemp(dayOf(date)), 10);
    }
  });

  it('reads a daily series from CSV and computes HDD (base 18 °C)', () => {
    const source = DailySeriesTemperatureSource.fromCsv('date,mean_temp_c\n2026-01-01,2.5\n2026-01-02, 19\n');
    expect(source.dailyMeanC('2026-01-01')).toBe(2.5);
    expect(source.dailyMeanC('2026-01-03')).toBeNull();
    expect(heatingDegreeDays(2.5)).toBe(15.5);
    expect(heatingDegreeDays(19)).toBe(0);
  });
});
