/**
 * The crew's list: bins to collect within a horizon, ranked by predicted time to full (fill
 * reaching 100 %), grouped by site. A bin is on the list when it is already at or above its
 * collection threshold, or when its fill trend (see alerts/fill-rate.ts) reaches full within the horizon.
 */
import type { Registry } from '../../config/registry.js';
import type { AlertEngine } from '../../alerts/alert-engine.js';

const HOUR_MS = 3_600_000;

export type PlanReason = 'overflowing' | 'above_threshold' | 'predicted_full';

export interface PlannedBin {
  device: string;
  fill: number;
  /** Fill per hour from the trend, null while unknown. */
  fill_rate_per_h: number | null;
  /** Epoch ms the bin is predicted to reach full, null when it is not rising. */
  predicted_full_at: number | null;
  /** Hours from now to full (0 when already full), null when unknown. */
  hours_to_full: number | null;
  last_reading: number;
  reason: PlanReason;
}

export interface PlannedSite {
  site: string;
  name: { en: string; ka: string };
  bins: PlannedBin[];
}

export interface CollectionPlan {
  generated_at: number;
  horizon_h: number;
  sites: PlannedSite[];
}

export function collectionPlan(
  registry: Registry,
  engine: AlertEngine,
  now: number,
  horizonH: number,
): CollectionPlan {
  const bySite = new Map<string, PlannedBin[]>();
  for (const device of registry.devices.values()) {
    if (device.domain !== 'waste') continue;
    const forecast = engine.forecast(device.id);
    const t = engine.thresholds(device.id);
    if (!forecast || !t) continue;
    const hours = forecast.fullAt === null ? null : Math.max(0, (forecast.fullAt - now) / HOUR_MS);
    const reason: PlanReason | undefined =
      forecast.fill >= t.overflow_fill
        ? 'overflowing'
        : forecast.fill >= t.fill_threshold
          ? 'above_threshold'
          : hours !== null && hours <= horizonH
            ? 'predicted_full'
            : undefined;
    if (!reason) continue;
    const list = bySite.get(device.site) ?? [];
    list.push({
      device: device.id,
      fill: forecast.fill,
      fill_rate_per_h: forecast.ratePerHour,
      predicted_full_at: forecast.fullAt,
      hours_to_full: reason === 'overflowing' ? 0 : hours,
      last_reading: forecast.ts,
      reason,
    });
    bySite.set(device.site, list);
  }
  const rank = (b: PlannedBin) => (b.reason === 'overflowing' ? -1 : (b.hours_to_full ?? Infinity));
  const sites = [...bySite.entries()].map(([site, bins]) => ({
    site,
    name: registry.sites.get(site)?.name ?? { en: site, ka: site },
    bins: bins.sort((a, b) => rank(a) - rank(b) || b.fill - a.fill),
  }));
  sites.sort((a, b) => rank(a.bins[0] as PlannedBin) - rank(b.bins[0] as PlannedBin));
  return { generated_at: now, horizon_h: horizonH, sites };
}

const CSV_HEADER = [
  'site',
  'site_name',
  'device',
  'fill_pct',
  'hours_to_full',
  'predicted_full_at',
  'reason',
  'last_reading',
];

function cell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function planCsv(plan: CollectionPlan, lang: 'en' | 'ka' = 'en'): string {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const rows = [CSV_HEADER.join(',')];
  for (const site of plan.sites) {
    for (const b of site.bins) {
      rows.push(
        [
          site.site,
          site.name[lang],
          b.device,
          Math.round(b.fill * 100),
          b.hours_to_full === null ? null : Math.round(b.hours_to_full * 10) / 10,
          iso(b.predicted_full_at),
          b.reason,
          iso(b.last_reading),
        ]
          .map(cell)
          .join(','),
      );
    }
  }
  return `${rows.join('\n')}\n`;
}
