/**
 * The acceptance check of the store layout and the daily rollups: on a fixed seed (simulated
 * readings of every pilot, with the field fault mix: gaps, duplicates, out-of-order and
 * skewed readings, register resets), every experiment's effects and daily KPI tables are the
 * same (to 1e-9) when read from a file in the earlier long layout, from the wide layout, and
 * through the rollups, for windows that start and end on all kinds of days; also after late
 * readings arrive (before the rollups have seen them, and after); series likewise, at daily steps
 * (served from the daily aggregates) and at 3 hours (from the readings).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import type { Reading } from '../../server/src/contract/index.js';
import { LocalCalendar } from '../../server/src/calendar/city-calendar.js';
import { experimentEffects, type EffectsInput } from '../../server/src/experiments/effects.js';
import {
  analysisWindow,
  experimentDevices,
  findExperiment,
  loadDomainDays,
  type ExperimentRef,
} from '../../server/src/experiments/experiment-data.js';
import { KpiRollup } from '../../server/src/experiments/rollup/kpi-rollup.js';
import { seededRandom } from '../../server/src/experiments/stats/seeded-random.js';
import { withDefaults } from '../../server/src/experiments/settings.js';
import { DuckDbStore } from '../../server/src/store/duckdb/duckdb-store.js';
import { LongLayoutStore } from '../../server/src/store/duckdb/long-layout-fixture.js';
import type { TelemetryStore } from '../../server/src/store/port.js';
import { loadSettings } from '../../server/src/config/settings.js';
import { InfluxStore } from '../../server/src/store/influx/influx-store.js';
import { parseFaults } from '../../simulators/src/faults.js';
import { warnOnce } from '../helpers/brokers.js';
import { binaryAvailable, createInfluxd } from '../helpers/influxd.js';
import { expectClose } from '../helpers/expect-close.js';
import { PORTFOLIO, backfill } from './sim-backfill.js';

const registry = loadRegistry(PORTFOLIO);
const calendar = new LocalCalendar(registry.portfolio.timezone);
const settings = withDefaults({ bootstrap: { replicates: 99, blockDays: 7, seed: 3 } });
const RANGES: [string, string][] = [
  ['2026-04-10', '2026-05-05'],
  ['2026-08-12', '2026-09-24'],
];

/** Windows (epoch ms) per experiment: the default and ones cut on a gap, a fault, a month end, a single day. */
function windows(ref: ExperimentRef): { from?: number; to: number }[] {
  const d = (date: string) => calendar.startOf(date);
  if (ref.pilot.domain === 'energy')
    return [
      { from: d('2026-04-10'), to: d('2026-05-05') },
      { from: d('2026-04-12'), to: d('2026-04-29') },
      { from: d('2026-04-20'), to: d('2026-04-21') },
      { from: d('2026-04-20'), to: d('2026-04-23') },
    ];
  return [
    { to: d('2026-09-24') },
    { from: d('2026-08-20'), to: d('2026-09-11') },
    { from: d('2026-08-31'), to: d('2026-09-02') },
    { from: d('2026-08-14'), to: d('2026-09-19') },
    // Starting and ending inside bin-nikea-01's four-day outage (until its readings arrive late).
    { from: d('2026-09-05'), to: d('2026-09-20') },
    { from: d('2026-08-20'), to: d('2026-09-06') },
  ];
}

const EXPERIMENTS = ['smart-collection', 'rustaveli-bike-lane', 'school-retrofit'];

interface Stores {
  /** The store under test, read raw and through its rollups. */
  wide: TelemetryStore;
  /** The same readings in DuckDB's long layout (the reference), and its own daily series aggregates checked. */
  long: LongLayoutStore;
  seriesAggregates: boolean;
  close(): Promise<void>;
}

function equalitySuite(name: string, available: boolean, open: () => Promise<Stores>): void {
  describe.skipIf(!available)(`effects and daily KPI tables: long layout = ${name} = its rollups`, () => {
    const late: Reading[] = [];
    let rollup: KpiRollup;
    let wide: TelemetryStore;
    let long: LongLayoutStore;
    let stores: Stores;

    beforeAll(async () => {
      stores = await open();
      ({ wide, long } = stores);
      const random = seededRandom(11);
      // Both stores get the same batches; a few readings (and four days of one bin) are held back to arrive late.
      const tee = {
        write: async (readings: readonly Reading[]) => {
          const now: Reading[] = [];
          for (const r of readings) {
            const date = calendar.dateOf(r.ts);
            const outage = r.device === 'bin-nikea-01' && date >= '2026-09-04' && date <= '2026-09-07';
            if (outage || random() < 0.004) late.push(r);
            else now.push(r);
          }
          await long.write(now);
          return wide.write(now);
        },
      } as unknown as TelemetryStore;
      await backfill({
        store: tee,
        seed: 5,
        ranges: RANGES,
        domains: ['waste', 'mobility', 'energy'],
        faults: parseFaults(
          'offline=0.002,stuck=0.001,spike=0.0005,duplicate=0.003,out_of_order=0.002,clock_skew=0.0002,reset=0.0001',
        ),
        registry,
      });
      rollup = KpiRollup.of(wide, registry, calendar, settings) as KpiRollup;
      await rollup.refresh();
    }, 300_000);

    afterAll(async () => {
      await stores?.close();
    });

    const input = (store: TelemetryStore, withRollup: boolean): EffectsInput => ({
      store,
      registry,
      calendar,
      settings,
      ...(withRollup ? { rollup } : {}),
    });

    async function compareAll(label: string): Promise<number> {
      let compared = 0;
      for (const id of EXPERIMENTS) {
        const ref = findExperiment(registry, id) as ExperimentRef;
        for (const w of windows(ref)) {
          const window = analysisWindow(ref, calendar, w.from, w.to);
          const tag = `${label} ${id} ${new Date(window.from).toISOString()}..${new Date(window.to).toISOString()}`;
          const rawDays = await loadDomainDays(wide, registry, ref, calendar, window, settings);
          const rolledDays = await loadDomainDays(wide, registry, ref, calendar, window, settings, rollup);
          expectClose(rolledDays, rawDays, `${tag} days`);
          const fromLong = await experimentEffects(input(long, false), ref, window);
          const fromWide = await experimentEffects(input(wide, false), ref, window);
          const fromRollup = await experimentEffects(input(wide, true), ref, window);
          expectClose(fromWide, fromLong, `${tag} wide vs long`);
          expectClose(fromRollup, fromLong, `${tag} rollup vs long`);
          compared += fromLong.effects.length;
        }
      }
      return compared;
    }

    /** Series of every pilot and the weather station, pooled and per device, at daily steps (aggregates) and 3 h (readings). */
    async function compareSeries(label: string): Promise<void> {
      const cases = [
        { pilot: 'smart-waste', metric: 'fill', aggs: ['mean', 'min', 'max', 'sum', 'count'] as const },
        { pilot: 'active-mobility', metric: 'pedestrian_in', aggs: ['sum', 'count', 'max'] as const },
        { pilot: 'school-energy', metric: 'power_kw', aggs: ['mean', 'min'] as const },
      ];
      const ranges = [
        [calendar.startOf('2026-08-12') + 5 * 3_600_000, calendar.startOf('2026-09-24') - 7 * 3_600_000],
        [Date.UTC(2026, 3, 1), Date.UTC(2026, 8, 30)],
      ] as const;
      const station = { key: 'wx', devices: ['wx-kutaisi-centre'] };
      for (const c of cases) {
        const devices = registry.devicesWhere({ pilot: c.pilot }).map((d) => d.id);
        const selectorSets = [[{ key: c.pilot, devices }], devices.map((d) => ({ key: d, devices: [d] }))];
        for (const [from, to] of ranges)
          for (const step of [86_400_000, 7 * 86_400_000, 3 * 3_600_000])
            for (const agg of c.aggs)
              for (const selectors of selectorSets) {
                const query = { selectors, metric: c.metric, from, to, step, agg };
                expectClose(
                  await wide.series(query),
                  await long.series(query),
                  `${label} ${c.metric} ${agg} ${step}`,
                );
              }
      }
      // `last` is defined per device (a pooled bucket's newest reading can be a tie between devices).
      for (const [from, to] of ranges) {
        const query = {
          selectors: [station],
          metric: 'temp_c',
          from,
          to,
          step: 86_400_000,
          agg: 'last' as const,
        };
        expectClose(await wide.series(query), await long.series(query), `${label} temp_c last`);
      }
    }

    it('answers the same from all three, with the rollups up to date', async () => {
      const status = rollup.status();
      expect(status.last_refresh?.dates).toBeGreaterThan(1000);
      expect(await compareAll('fresh')).toBeGreaterThan(20);
      if (stores.seriesAggregates) await compareSeries('fresh');
      // Most device-windows came from the records (the rest from raw on purpose: windows of a few days, outages).
      const { from_records, from_raw } = rollup.status().served;
      console.log(
        `rollup equality: ${from_records} device-windows from the records, ${from_raw} from raw readings`,
      );
      expect(from_records).toBeGreaterThan(from_raw);
    }, 300_000);

    it('answers the same once late readings arrive: before the rollups have seen them, and after', async () => {
      expect(late.length).toBeGreaterThan(300);
      // A re-delivery that completes readings already stored (a merge) arrives with them.
      const completed = late.slice(0, 20).map((r) => ({ ...r, metrics: { ...r.metrics } }));
      await long.write(late);
      await wide.write(late);
      await wide.write(completed);
      const pending = await rollup.pending();
      expect(pending.dirty.size).toBeGreaterThan(0);
      await compareAll('late, not yet rolled up');
      if (stores.seriesAggregates) await compareSeries('late');
      await rollup.refresh();
      expect((await rollup.pending()).dirty.size).toBe(0);
      await compareAll('late, rolled up');
    }, 300_000);

    it('covers every device of the experiments from the records, not from raw readings, once up to date', async () => {
      const ref = findExperiment(registry, 'smart-collection') as ExperimentRef;
      const window = analysisWindow(ref, calendar, undefined, calendar.startOf('2026-09-24'));
      const reads: number[] = [];
      const counting = new Proxy(wide, {
        get(target, property, receiver) {
          const value: unknown = Reflect.get(target, property, receiver);
          if (property === 'points' && typeof value === 'function')
            return (q: { from: number; to: number }) => {
              reads.push(q.to - q.from);
              return (value as (q: unknown) => unknown).call(target, q);
            };
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const viaProxy = KpiRollup.of(counting, registry, calendar, settings) as KpiRollup;
      await loadDomainDays(counting, registry, ref, calendar, window, settings, viaProxy);
      // Two edge loads of a few days each; no load of the whole window (which a fallback would need).
      expect(reads.length).toBe(2);
      expect(Math.max(...reads)).toBeLessThan(5 * 86_400_000);
      expect(experimentDevices(registry, ref).length).toBe(12);
    }, 60_000);
  });
}

equalitySuite('DuckDB wide layout', true, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kutaisi-rollup-eq-'));
  const wide = new DuckDbStore(join(dir, 'wide.duckdb'));
  const long = new LongLayoutStore(join(dir, 'long.duckdb'));
  await wide.open();
  await long.open();
  return {
    wide,
    long,
    seriesAggregates: true,
    close: async () => {
      await wide.close();
      await long.close();
    },
  };
});

// InfluxDB keeps the rollups' records in a measurement and tells changes by a journal written with the readings.
const influxAvailable = binaryAvailable('influxd');
if (!influxAvailable)
  warnOnce('influxd is not installed: the rollup equality suite runs against DuckDB only.');
equalitySuite('InfluxDB 1.x', influxAvailable, async () => {
  const influxd = await createInfluxd();
  await influxd.start();
  const settings = loadSettings({
    INFLUX_URL: influxd.url,
    INFLUX_API: 'v1',
    INFLUX_DATABASE: 'rollup_equality',
  }).influx;
  if (!settings) throw new Error('no InfluxDB settings');
  const wide = new InfluxStore(settings);
  const long = new LongLayoutStore(join(mkdtempSync(join(tmpdir(), 'kutaisi-rollup-eq-')), 'long.duckdb'));
  await wide.open();
  await long.open();
  return {
    wide,
    long,
    seriesAggregates: false,
    close: async () => {
      await wide.close();
      await long.close();
      await influxd.stop();
    },
  };
});
