import { describe, expect, it } from 'vitest';
import { LocalCalendar } from '../../calendar/city-calendar.js';
import { readWeatherCsv, WeatherCsvError } from './weather-csv.js';

const calendar = new LocalCalendar('Asia/Tbilisi');

describe('a meteorological export as station readings', () => {
  it('reads daily means as readings ending at the next local midnight', () => {
    const csv =
      'date,tavg,tmin,tmax,prcp\n2025-11-01,9.4,5.1,14.2,0.0\n2025-11-02,7.8,4.0,11.9,6.3\n2025-11-03,,,,\n';
    const rows = readWeatherCsv(csv, calendar);
    expect(rows.errors).toEqual([]);
    expect(rows.payloads).toEqual([
      { ts: Date.parse('2025-11-02T00:00:00+04:00'), temp_c: 9.4, interval_s: 86_400, rain_mm: 0 },
      { ts: Date.parse('2025-11-03T00:00:00+04:00'), temp_c: 7.8, interval_s: 86_400, rain_mm: 6.3 },
    ]);
    expect(rows.layout).toMatch(/daily mean/);
  });

  it('reads local times without an offset in the city zone, semicolons and decimal commas', () => {
    const csv = 'Time;Temp;RHum\n2026-01-10 14:00;6,5;71\n2026-01-10T15:00:00Z;5.9;73\n';
    const rows = readWeatherCsv(csv, calendar);
    expect(rows.payloads).toEqual([
      { ts: Date.parse('2026-01-10T14:00:00+04:00'), temp_c: 6.5, humidity_pct: 71 },
      { ts: Date.parse('2026-01-10T15:00:00Z'), temp_c: 5.9, humidity_pct: 73 },
    ]);
  });

  it('reports unreadable rows by line and refuses files it cannot understand', () => {
    const rows = readWeatherCsv('date,tavg\n2025-13-45x,3\n2025-11-02,warm\n2025-11-03,4.1\n', calendar);
    expect(rows.errors.map((e) => e.line)).toEqual([2, 3]);
    expect(rows.payloads).toHaveLength(1);
    expect(() => readWeatherCsv('when,tavg\nx,1\n', calendar)).toThrow(WeatherCsvError);
    expect(() => readWeatherCsv('date,temp\n2025-11-01,3\n', calendar)).toThrow(/daily mean/);
    expect(() => readWeatherCsv('timestamp,tavg\n2025-11-01T00:00:00Z,3\n', calendar)).toThrow(
      /--interval-s/,
    );
  });
});
