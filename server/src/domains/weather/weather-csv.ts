/**
 * A meteorological service's export (CSV) as weather-station payloads of the contract, for
 * `npm run weather:import`. The columns are recognised by name, as the common exports spell them:
 *
 *   time     `date` (YYYY-MM-DD: one row per day) or `timestamp` / `time` / `datetime`
 *            (ISO 8601; without an offset it is the city's local time)
 *   mean     `tavg`, `tmean`, `temp_mean_c`, `mean_temp_c` — a mean over the row's period
 *   instant  `temp`, `temp_c`, `temperature`, `air_temp_c` — the temperature at the time
 *   optional `prcp` / `rain_mm` / `precipitation` (mm over the period), `rhum` / `humidity_pct` / `humidity`
 *
 * A daily mean becomes a reading at the next local midnight with `interval_s: 86400` (a mean over
 * the interval ending at ts, as the contract says); an instantaneous value a plain reading.
 */
import { parse } from 'csv-parse/sync';
import type { WeatherTelemetry } from '../../contract/index.js';
import { addDays, type LocalCalendar } from '../../calendar/city-calendar.js';

const DAY_S = 86_400;
const COLUMNS = {
  date: ['date', 'day'],
  timestamp: ['timestamp', 'time', 'datetime', 'ts'],
  mean: ['tavg', 'tmean', 'temp_mean_c', 'mean_temp_c', 'temperature_mean'],
  instant: ['temp', 'temp_c', 'temperature', 'air_temp_c'],
  rain: ['prcp', 'rain_mm', 'precipitation', 'precip_mm'],
  humidity: ['rhum', 'humidity_pct', 'humidity', 'rh'],
} as const;

export interface WeatherRows {
  payloads: WeatherTelemetry[];
  /** Rows that could not be read, with their line number (the header is line 1). */
  errors: { line: number; message: string }[];
  /** How the columns were understood, for the command's summary. */
  layout: string;
}

export class WeatherCsvError extends Error {}

function find(header: readonly string[], names: readonly string[]): number {
  return header.findIndex((h) => names.includes(h.trim().toLowerCase()));
}

const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Epoch ms of a timestamp; a local time without an offset is read in the portfolio's time zone. */
export function parseStationTime(text: string, calendar: LocalCalendar): number | null {
  const local = LOCAL_TIME.exec(text.trim());
  if (local) {
    const [, date = '', hh = '0', mm = '0', ss = '0'] = local;
    const midnight = calendar.startOf(date);
    return Number.isFinite(midnight)
      ? midnight + ((Number(hh) * 60 + Number(mm)) * 60 + Number(ss)) * 1000
      : null;
  }
  const ms = Date.parse(text.trim());
  return Number.isFinite(ms) && /[zZ]|[+-]\d{2}:?\d{2}$/.test(text.trim()) ? ms : null;
}

const number = (text: string | undefined): number | undefined => {
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text.trim().replace(',', '.'));
  return Number.isFinite(value) ? value : Number.NaN;
};

export function readWeatherCsv(
  text: string,
  calendar: LocalCalendar,
  options: { intervalS?: number } = {},
): WeatherRows {
  // One delimiter per file, from the header: a semicolon file may use decimal commas in its values.
  const firstLine = text.split('\n', 1)[0] ?? '';
  const delimiter = [';', '\t', ','].find((d) => firstLine.includes(d)) ?? ',';
  const records: string[][] = parse(text, {
    delimiter,
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
    bom: true,
  });
  const [header = [], ...rows] = records;
  const at = Object.fromEntries(
    Object.entries(COLUMNS).map(([k, names]) => [k, find(header, names)]),
  ) as Record<keyof typeof COLUMNS, number>;
  const daily = at.date >= 0 && at.timestamp < 0;
  if (!daily && at.timestamp < 0)
    throw new WeatherCsvError(
      `no time column: expected one of ${[...COLUMNS.date, ...COLUMNS.timestamp].join(', ')}`,
    );
  const temperature = at.mean >= 0 ? at.mean : at.instant;
  if (temperature < 0)
    throw new WeatherCsvError(
      `no temperature column: expected one of ${[...COLUMNS.mean, ...COLUMNS.instant].join(', ')}`,
    );
  const isMean = at.mean >= 0;
  if (daily && !isMean)
    throw new WeatherCsvError('a date column needs a daily mean temperature (tavg, tmean, temp_mean_c)');
  const intervalS = daily ? DAY_S : isMean ? options.intervalS : undefined;
  if (isMean && intervalS === undefined)
    throw new WeatherCsvError(
      'mean temperatures by timestamp need --interval-s (the averaging period, in seconds)',
    );

  const payloads: WeatherTelemetry[] = [];
  const errors: WeatherRows['errors'] = [];
  rows.forEach((row, i) => {
    const line = i + 2;
    const when = row[daily ? at.date : at.timestamp] ?? '';
    let ts: number | null;
    if (daily) {
      const date = when.trim();
      ts = /^\d{4}-\d{2}-\d{2}$/.test(date) ? calendar.startOf(addDays(date, 1)) : null;
    } else ts = parseStationTime(when, calendar);
    if (ts === null || !Number.isFinite(ts)) {
      errors.push({ line, message: `cannot read the time "${when}"` });
      return;
    }
    const temp = number(row[temperature]);
    if (temp === undefined) return; // a gap in the record, not an error
    if (Number.isNaN(temp)) {
      errors.push({ line, message: `cannot read the temperature "${row[temperature] ?? ''}"` });
      return;
    }
    const payload: WeatherTelemetry = { ts, temp_c: temp };
    if (intervalS !== undefined) payload.interval_s = intervalS;
    const rain = at.rain >= 0 ? number(row[at.rain]) : undefined;
    if (rain !== undefined && !Number.isNaN(rain)) payload.rain_mm = rain;
    const humidity = at.humidity >= 0 ? number(row[at.humidity]) : undefined;
    if (humidity !== undefined && !Number.isNaN(humidity)) payload.humidity_pct = humidity;
    payloads.push(payload);
  });
  const layout = `${daily ? 'daily' : 'timestamped'} ${isMean ? 'mean' : 'instantaneous'} temperature from column "${header[temperature] ?? ''}"`;
  return { payloads, errors, layout };
}
