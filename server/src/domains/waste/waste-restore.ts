/**
 * A bin's last collection after a restart: three days of its fill fed through its state as the
 * stream would have fed them (a collection is a confirmed drop, fill-thresholds.ts).
 */
import { DAY_MS } from '../../calendar/city-calendar.js';
import { seriesOnce } from '../device-series.js';
import type { FromStore } from '../domain-module.js';
import { wasteReading, type WasteState } from './waste-state.js';

export async function restoreWaste({ store, devices, states, now }: FromStore<WasteState>) {
  const fills = await seriesOnce(store, devices, {
    metric: 'fill',
    from: now - 3 * DAY_MS,
    to: now + 1,
    stepMs: 900_000,
    agg: 'last',
  });
  for (const [id, s] of fills) {
    const state = states.get(id);
    if (state) s.values.forEach((v, i) => wasteReading(state, s.t[i] ?? 0, v ?? undefined));
  }
  // A restored collection shows in the bin's own entity (the other domains' restores only in aggregates).
  return fills.keys();
}
