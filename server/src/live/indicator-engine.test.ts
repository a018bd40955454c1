import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../config/portfolio.js';
import type { DeviceEntity, Reading } from '../contract/index.js';
import { FULL_FILL, OVERFLOW_FILL } from '../domains/waste/fill-thresholds.js';
import { DeviceTracker } from './device-tracker.js';
import { IndicatorEngine } from './indicator-engine.js';

const registry = loadRegistry('config/portfolio.yaml');
const T0 = Date.UTC(2026, 10, 2, 8, 0, 0);
const BIN = 'bin-nikea-02';

function setup() {
  const tracker = new DeviceTracker(registry);
  const engine = new IndicatorEngine(registry, tracker, T0);
  const read = (metrics: Record<string, number>, ts = T0) => {
    const r: Reading = {
      device: BIN,
      domain: 'waste',
      site: 'nikea',
      ts,
      seq: 1,
      metrics,
      simulated: false,
      receivedAt: ts,
    };
    tracker.onReading(r);
    engine.onReading(r);
  };
  return { tracker, engine, read };
}

describe('device state shared between the tracker and the live entities', () => {
  it('never changes an entity already handed out: a reading replaces the values object', () => {
    const { tracker, engine, read } = setup();
    read({ fill: 0.5, battery_v: 3.6, temp_c: 9, tilt_deg: 2 });
    engine.takeChanges(T0);
    const before = engine.get(`device:${BIN}`) as DeviceEntity;
    expect(before.values).toEqual({ fill: 0.5, battery_v: 3.6, temp_c: 9, tilt_deg: 2 });
    // A reading without tilt: the newest of each metric, tilt kept from before.
    read({ fill: 0.6, battery_v: 3.6, temp_c: 9 }, T0 + 1);
    expect(before.values).toEqual({ fill: 0.5, battery_v: 3.6, temp_c: 9, tilt_deg: 2 });
    expect(tracker.get(BIN)?.values).toEqual({ fill: 0.6, battery_v: 3.6, temp_c: 9, tilt_deg: 2 });
    engine.takeChanges(T0 + 1);
    const after = engine.get(`device:${BIN}`) as DeviceEntity;
    expect(after).not.toBe(before);
    expect(after.values).toEqual({ fill: 0.6, battery_v: 3.6, temp_c: 9, tilt_deg: 2 });
    // An older reading does not move the values back.
    read({ fill: 0.1, battery_v: 3.6, temp_c: 9, tilt_deg: 2 }, T0 - 1);
    expect(tracker.get(BIN)?.values.fill).toBe(0.6);
  });

  it('keeps the values of a reading that carries every known metric as they came, and restores missing ones', () => {
    const { tracker, read } = setup();
    const metrics = { fill: 0.5, battery_v: 3.6, temp_c: 9 };
    read(metrics);
    expect(tracker.get(BIN)?.values).toBe(metrics);
    tracker.restoreValues(new Map([[BIN, { tilt_deg: { value: 4, ts: T0 }, fill: { value: 0.2, ts: T0 } }]]));
    expect(tracker.get(BIN)?.values).toEqual({ fill: 0.5, battery_v: 3.6, temp_c: 9, tilt_deg: 4 });
    expect(metrics).toEqual({ fill: 0.5, battery_v: 3.6, temp_c: 9 });
  });

  it('lists every device entity, then the sites and pilots, and finds each by key', () => {
    const { engine } = setup();
    const all = [...engine.entities()];
    const devices = all.filter((e) => e.scope === 'device');
    expect(devices.map((e) => e.id)).toEqual([...registry.devices.keys()]);
    expect(all.slice(0, devices.length)).toEqual(devices);
    for (const entity of all) expect(engine.get(entity.key)).toBe(entity);
    expect(engine.get('device:no-such-bin')).toBeUndefined();
    expect(engine.get('devicebin-nikea-02')).toBeUndefined();
  });

  it('re-sends only sites and pilots after a baseline refresh, and the devices it is told of', () => {
    const { engine } = setup();
    engine.takeChanges(T0);
    engine.touchGroups();
    const changes = engine.takeChanges(T0 + 1);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.filter((e) => e.scope === 'device')).toEqual([]);
    engine.touch([BIN, 'no-such-bin']);
    const touched = engine.takeChanges(T0 + 2);
    expect(touched.filter((e) => e.scope === 'device').map((e) => e.id)).toEqual([BIN]);
    expect(touched.map((e) => e.key)).toContain('site:nikea:waste');
  });
});

describe('site and pilot totals kept as device entities change', () => {
  const bins = [...registry.devices.values()].filter((d) => d.domain === 'waste');

  /** The totals counted afresh from the tracker, as the engine did before it kept running totals. */
  function bruteForce(tracker: DeviceTracker, devices: typeof bins, now: number) {
    const fills = devices.map((d) => tracker.get(d.id)?.values.fill).filter((f) => f !== undefined);
    const seen = devices.map((d) => tracker.get(d.id)?.lastSeen).filter((t) => t !== undefined);
    return {
      online: devices.filter((d) => tracker.health(d.id, now) === 'online').length,
      lastSeen: seen.length ? Math.max(...seen) : null,
      reporting: fills.length,
      full: fills.filter((f) => f >= FULL_FILL).length,
      overflowing: fills.filter((f) => f >= OVERFLOW_FILL).length,
      meanFill: fills.length ? fills.reduce((a, b) => a + b, 0) / fills.length : null,
    };
  }

  it('match a count from scratch after every frame, through fills, silences and health checks', () => {
    const tracker = new DeviceTracker(registry);
    const engine = new IndicatorEngine(registry, tracker, T0, { healthEveryMs: 60_000 });
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    let now = T0;
    let healthChecked = 0;
    for (let frame = 0; frame < 300; frame++) {
      now += 20_000;
      for (let k = 0; k < 3; k++) {
        const bin = bins[Math.floor(random() * bins.length)];
        if (!bin) continue;
        // Fills around the full and overflow lines, and some readings from the past (not newer).
        const fill = [0.1, 0.5, 0.79, FULL_FILL, 0.94, OVERFLOW_FILL, 1][Math.floor(random() * 7)] ?? 0;
        const ts = random() < 0.1 ? now - 3_600_000 : now;
        const r: Reading = {
          device: bin.id,
          domain: 'waste',
          site: bin.site,
          ts,
          seq: frame,
          metrics: { fill, battery_v: 3.6, temp_c: 10 },
          simulated: false,
          receivedAt: now,
        };
        tracker.onReading(r);
        engine.onReading(r);
      }
      engine.takeChanges(now);
      // Judged at the last health check: compare with the tracker as of then, unless one just ran.
      if (frame % 3 !== 0) continue;
      for (const key of ['site:nikea:waste', 'site:central-square:waste', 'pilot:smart-waste']) {
        const entity = engine.get(key);
        if ((entity?.scope !== 'site' && entity?.scope !== 'pilot') || entity.domain !== 'waste')
          throw new Error(`${key} is not a waste group`);
        const devices = bins.filter((d) => key.startsWith('pilot:') || key === `site:${d.site}:waste`);
        const expected = bruteForce(tracker, devices, now);
        const { meanFill, ...counts } = entity.indicators;
        expect({ ...counts, lastSeen: entity.lastSeen }).toEqual({
          bins: devices.length,
          reporting: expected.reporting,
          full: expected.full,
          overflowing: expected.overflowing,
          lastSeen: expected.lastSeen,
        });
        if (expected.meanFill === null) expect(meanFill).toBeNull();
        else expect(meanFill).toBeCloseTo(expected.meanFill, 12);
        expect(entity.online).toBeLessThanOrEqual(devices.length);
        // Health moves with silence alone: it is exact right after a health check.
        if ((now - T0 - 20_000) % 60_000 === 0) {
          expect(entity.online).toBe(expected.online);
          healthChecked++;
        }
      }
    }
    expect(healthChecked).toBeGreaterThan(30);
  });
});
