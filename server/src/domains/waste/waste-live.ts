/**
 * The live engine's hooks for bins: each bin's last collection (an event, or a confirmed drop in
 * fill), and the site's and pilot's fill indicators from the group's running totals (a waste pilot
 * has tens of thousands of bins: group-tally.ts keeps the sums as device entities change).
 */
import { newWaste, wasteReading, type WasteState } from './waste-state.js';
import type { GroupTally } from '../../live/group-tally.js';
import { pooledSeries } from '../../live/series-sums.js';
import type { LiveDevice, LiveGroups } from '../domain-module.js';
import { restoreWaste } from './waste-restore.js';

export function wasteIndicators(bins: number, tally: GroupTally) {
  const { reporting, fillSum, full, overflowing } = tally;
  return { bins, reporting, meanFill: reporting ? fillSum / reporting : null, full, overflowing };
}

export const wasteLive: LiveDevice<WasteState> = {
  newState: newWaste,
  onReading: (state, reading) => {
    wasteReading(state, reading.ts, reading.metrics.fill);
    return undefined;
  },
  onEvent: (state, event) => {
    if (event.type !== 'collection') return false;
    state.lastCollection = Math.max(state.lastCollection ?? 0, event.ts);
    return true;
  },
  entity: (e, state) => ({
    key: e.key,
    scope: 'device',
    id: e.id,
    domain: e.domain,
    pilot: e.pilot,
    site: e.site,
    lastSeen: e.lastSeen,
    health: e.health,
    values: e.values,
    lastCollection: state.lastCollection,
  }),
  restore: restoreWaste,
};

export const wasteGroups: LiveGroups<WasteState> = {
  tallyFill: true,
  hourly: false,
  aggregate: ({ base, devices, tally }) => ({
    ...base,
    domain: 'waste',
    indicators: wasteIndicators(devices.length, tally),
  }),
  headline: (entity) => (entity.domain === 'waste' ? entity.indicators.meanFill : null),
  trend: {
    counter: false,
    restore: (store, devices, range) => pooledSeries(store, devices, range, 'fill', 'mean'),
  },
};
