import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../config/portfolio.js';
import type { DeviceEntity, Reading } from '../contract/index.js';
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
