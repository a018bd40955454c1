/**
 * Which temperature each site's energy use is normalised with: the daily means of the weather
 * station the portfolio names for the site (or for the city), computed from the stored readings.
 * Only when no station has a single day of data in the window do the bundled monthly normals stand
 * in — and then the result says so, because normals give every year the same degree days and so
 * normalise nothing: a mild reporting autumn would pass for savings.
 */
import type { Registry } from '../../config/registry.js';
import type { TelemetryStore } from '../../store/port.js';
import { NormalsTemperatureSource } from '../energy/temperature-source.js';
import type { LocalCalendar } from '../../calendar/city-calendar.js';
import { readStationPoints, stationDays, type StationDay } from './station-days.js';

export interface StationCoverage {
  station: string;
  /** Days of the window with a daily mean, and how many of them came from imported daily means. */
  days: number;
  imported_days: number;
}

export interface SiteTemperatures {
  /** `station` when measured, `normals` when no station had data. */
  readonly kind: 'station' | 'normals';
  /** What the diagnostics report: the station ids, or the normals' name. */
  readonly name: string;
  readonly coverage: StationCoverage[];
  /** Daily mean °C at the site's station on a local date; null when that day is missing. */
  dailyMeanC(site: string, date: string): number | null;
}

/** The station the portfolio names for a site, else the city's, else the first weather device. */
export function stationFor(registry: Registry, site: string): string | undefined {
  const config = registry.portfolio.weather;
  return (
    config?.sites?.[site] ??
    config?.station ??
    registry.portfolio.devices.find((d) => d.domain === 'weather')?.id
  );
}

export async function loadSiteTemperatures(
  store: TelemetryStore,
  registry: Registry,
  calendar: LocalCalendar,
  sites: readonly string[],
  window: { from: number; to: number },
  minCoverage: number,
): Promise<SiteTemperatures> {
  const stationOf = new Map(sites.map((site) => [site, stationFor(registry, site)]));
  const days = new Map<string, Map<string, StationDay>>();
  for (const id of new Set([...stationOf.values()])) {
    const device = id === undefined ? undefined : registry.device(id);
    if (!device || device.domain !== 'weather') continue;
    const points = await readStationPoints(store, device, window.from, window.to);
    days.set(device.id, stationDays(points, calendar, minCoverage));
  }
  const coverage = [...days].map(([station, byDate]) => ({
    station,
    days: byDate.size,
    imported_days: [...byDate.values()].filter((d) => d.origin === 'daily_mean').length,
  }));
  if (coverage.every((c) => c.days === 0)) {
    const normals = new NormalsTemperatureSource();
    return {
      kind: 'normals',
      name: normals.name,
      coverage,
      dailyMeanC: (_site, date) => normals.dailyMeanC(date),
    };
  }
  return {
    kind: 'station',
    name: coverage
      .filter((c) => c.days > 0)
      .map((c) => c.station)
      .join(', '),
    coverage,
    dailyMeanC: (site, date) => {
      const station = stationOf.get(site);
      return (station === undefined ? undefined : days.get(station)?.get(date)?.mean_c) ?? null;
    },
  };
}
