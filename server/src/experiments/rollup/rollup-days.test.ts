import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../config/portfolio.js';
import type { Reading } from '../../contract/index.js';
import { LocalCalendar } from '../../calendar/city-calendar.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { analysisWindow, findExperiment, loadDomainDays, type ExperimentRef } from '../experiment-data.js';
import { withDefaults } from '../settings.js';
import { expectClose } from '../../../../test/helpers/expect-close.js';
import { KpiRollup } from './kpi-rollup.js';

const registry = loadRegistry('config/portfolio.yaml');
const calendar = new LocalCalendar(registry.portfolio.timezone);
const settings = withDefaults();
const ref = findExperiment(registry, 'smart-collection') as ExperimentRef;
const STEP = 15 * 60_000;
const at = (date: string, hour: number) => calendar.startOf(date) + hour * 3_600_000;

/**
 * One bin filling 0.4 % every 15 minutes and emptied every second morning, silent from
 * 08-28 08:00 to 09-03 12:00: it was emptied during the silence, so the first reading after
 * it is far below the last one before (a collection, when the window holds both).
 */
function fillReadings(): Reading[] {
  const out: Reading[] = [];
  let fill = 0.1;
  for (let t = at('2026-08-20', 0); t < at('2026-09-10', 0); t += STEP) {
    if (calendar.hourOf(t) === 10 && calendar.dateOf(t).slice(-1) === '2') fill = 0.05;
    fill = Math.min(1, fill + 0.004);
    if (t >= at('2026-08-28', 8) && t < at('2026-09-03', 12)) continue;
    out.push(reading(t, fill));
  }
  return out;
}

function reading(ts: number, fill: number): Reading {
  return {
    device: 'bin-nikea-01',
    domain: 'waste',
    site: 'nikea',
    ts,
    seq: ts / STEP,
    metrics: { fill: Math.round(fill * 1000) / 1000 },
    simulated: true,
    receivedAt: ts,
  };
}

describe('rollups around an outage', () => {
  const store = new DuckDbStore(':memory:');
  let rollup: KpiRollup;

  beforeAll(async () => {
    await store.open();
    await store.write(fillReadings());
    rollup = KpiRollup.of(store, registry, calendar, settings) as KpiRollup;
    await rollup.refresh();
  });
  afterAll(async () => {
    await store.close();
  });

  const compare = async (from: string, to: string) => {
    const window = analysisWindow(ref, calendar, calendar.startOf(from), calendar.startOf(to));
    const raw = await loadDomainDays(store, registry, ref, calendar, window, settings);
    const rolled = await loadDomainDays(store, registry, ref, calendar, window, settings, rollup);
    expectClose(rolled, raw, `${from}..${to}`);
    return raw;
  };

  it('leaves out the drop across the outage when the window starts inside it, as the raw readings do', async () => {
    const inside = await compare('2026-08-31', '2026-09-09');
    const across = await compare('2026-08-25', '2026-09-09');
    const collectionsOn = (days: typeof inside, date: string) =>
      inside.domain === 'waste'
        ? days.days.find((d) => d.date === date && d.device === 'bin-nikea-01')
        : undefined;
    // The same first reading after the outage is a collection only when the window also holds the reading before it.
    expect((collectionsOn(across, '2026-09-03') as { collections: number }).collections).toBe(1);
    expect((collectionsOn(inside, '2026-09-03') as { collections: number }).collections).toBe(0);
    await compare('2026-08-25', '2026-09-01');
    await compare('2026-08-22', '2026-09-04');
  });

  it('does not trust a record whose reading before lies farther back than a late reading could reach', async () => {
    // A late reading in the outage, after the bin was emptied: too far before the next data day to recompute it.
    await store.write([reading(at('2026-08-29', 14), 0.06)]);
    await rollup.refresh();
    await compare('2026-08-25', '2026-09-09');
    await compare('2026-08-31', '2026-09-09');
    await compare('2026-08-21', '2026-09-08');
  });
});
