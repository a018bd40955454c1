import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../config/portfolio.js';
import { classify, type ClassifyOptions } from './classify.js';

const registry = loadRegistry('config/portfolio.yaml');
const options: ClassifyOptions = {
  topicRoot: 'kutaisi/v1',
  maxAgeMs: 400 * 86_400_000,
  maxFutureMs: 300_000,
};
const now = Date.UTC(2026, 10, 22, 12);
const run = (topic: string, payload: unknown) =>
  classify(
    registry,
    options,
    topic,
    Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
    now,
  );
const binTopic = 'kutaisi/v1/waste/bin-nikea-02/telemetry';
const wasteOk = { ts: now - 1000, seq: 7, fill: 0.5, battery_v: 3.6, temp_c: 9 };

describe('classify', () => {
  it('turns a valid waste payload into a reading with the registry site', () => {
    const outcome = run(binTopic, { ...wasteOk, src: 'sim' });
    expect(outcome).toMatchObject({
      kind: 'reading',
      reading: {
        device: 'bin-nikea-02',
        domain: 'waste',
        site: 'nikea',
        ts: now - 1000,
        seq: 7,
        simulated: true,
      },
    });
    if (outcome.kind === 'reading')
      expect(outcome.reading.metrics).toEqual({ fill: 0.5, battery_v: 3.6, temp_c: 9 });
  });

  it('converts ultrasonic distance to fill with the bin calibration (1200 mm empty, 150 mm full)', () => {
    const outcome = run('kutaisi/v1/waste/bin-nikea-01/telemetry', {
      ts: now,
      seq: 1,
      distance_mm: 675,
      battery_v: 3.6,
      temp_c: 9,
    });
    expect(outcome.kind).toBe('reading');
    if (outcome.kind === 'reading') {
      expect(outcome.reading.metrics.fill).toBeCloseTo(0.5, 12);
      expect(outcome.reading.metrics.distance_mm).toBe(675);
    }
    const beyond = run('kutaisi/v1/waste/bin-nikea-01/telemetry', {
      ts: now,
      seq: 2,
      distance_mm: 1500,
      battery_v: 3.6,
      temp_c: 9,
    });
    if (beyond.kind === 'reading') expect(beyond.reading.metrics.fill).toBe(0);
  });

  it('flattens mobility counts and keeps energy registers', () => {
    const mobility = run('kutaisi/v1/mobility/counter-nikea/telemetry', {
      ts: now,
      seq: 1,
      interval_s: 900,
      counts: { bicycle: { in: 3, out: 4 } },
    });
    if (mobility.kind !== 'reading') throw new Error(JSON.stringify(mobility));
    expect(mobility.reading.metrics).toEqual({ interval_s: 900, bicycle_in: 3, bicycle_out: 4 });
    const energy = run('kutaisi/v1/energy/meter-city-hall/telemetry', {
      ts: '2026-11-22T15:59:00+04:00',
      seq: 1,
      energy_kwh: 10,
      power_kw: 2,
    });
    if (energy.kind !== 'reading') throw new Error(JSON.stringify(energy));
    expect(energy.reading.ts).toBe(now - 60_000);
  });

  it('needs only ts and the measurement: seq, battery and temperature are optional', () => {
    const fill = run(binTopic, { ts: now - 1000, fill: 0.42 });
    if (fill.kind !== 'reading') throw new Error(JSON.stringify(fill));
    expect(fill.reading.seq).toBeUndefined();
    expect(fill.reading.metrics).toEqual({ fill: 0.42 });
    const distance = run('kutaisi/v1/waste/bin-nikea-01/telemetry', { ts: now, distance_mm: 675, temp_c: 4 });
    if (distance.kind !== 'reading') throw new Error(JSON.stringify(distance));
    expect(distance.reading.metrics).toEqual({ temp_c: 4, distance_mm: 675, fill: 0.5 });
    const meter = 'kutaisi/v1/energy/meter-city-hall/telemetry';
    const register = run(meter, { ts: now, energy_kwh: 812.5 });
    const power = run(meter, { ts: now, power_kw: 3.25, export_kwh: 1 });
    if (register.kind !== 'reading' || power.kind !== 'reading') throw new Error('expected readings');
    expect(register.reading.metrics).toEqual({ energy_kwh: 812.5 });
    expect(power.reading.metrics).toEqual({ power_kw: 3.25, export_kwh: 1 });
    expect(run(meter, { ts: now, seq: 1, export_kwh: 1 })).toMatchObject({
      kind: 'rejected',
      reason: 'schema_violation',
      detail: 'payload: expected energy_kwh or power_kw',
    });
  });

  it('passes status and event messages through', () => {
    expect(run('kutaisi/v1/waste/bin-nikea-02/status', { state: 'lost' })).toMatchObject({
      kind: 'status',
      status: { device: 'bin-nikea-02', state: 'lost', ts: now },
    });
    expect(run('kutaisi/v1/energy/meter-city-hall/event', { ts: now, type: 'register_reset' })).toMatchObject(
      {
        kind: 'event',
        event: { type: 'register_reset' },
      },
    );
  });

  it.each([
    ['kutaisi/v1/waste/bin-nikea-02/config', wasteOk, 'topic_invalid'],
    ['kutaisi/v1/waste/bin-unknown/telemetry', wasteOk, 'unknown_device'],
    ['kutaisi/v1/energy/bin-nikea-02/telemetry', wasteOk, 'domain_mismatch'],
    [binTopic, `{"pad":"${'x'.repeat(17_000)}"}`, 'payload_too_large'],
    [binTopic, '{"ts": 1,', 'json_malformed'],
    [binTopic, '', 'json_malformed'],
    [binTopic, '[1,2]', 'not_an_object'],
    [binTopic, '42', 'not_an_object'],
    [binTopic, { ...wasteOk, battery_v: 'high' }, 'schema_violation'],
    [binTopic, { ts: now, seq: 1, battery_v: 3.6, temp_c: 9 }, 'schema_violation'],
    [binTopic, { ...wasteOk, temp_c: 900 }, 'out_of_range'],
    [binTopic, { ...wasteOk, ts: 'last tuesday' }, 'ts_invalid'],
    [binTopic, { ...wasteOk, ts: now + 301_000 }, 'ts_in_future'],
    [binTopic, { ...wasteOk, ts: now - 401 * 86_400_000 }, 'ts_too_old'],
    [
      'kutaisi/v1/waste/bin-nikea-02/telemetry',
      { ts: now, seq: 1, distance_mm: 600, battery_v: 3.6, temp_c: 9 },
      'calibration_missing',
    ],
    ['kutaisi/v1/waste/bin-nikea-02/status', { state: 'asleep' }, 'schema_violation'],
  ] as const)('rejects %s %j as %s', (topic, payload, reason) => {
    const outcome = run(topic, payload);
    expect(outcome).toMatchObject({ kind: 'rejected', reason });
    if (outcome.kind === 'rejected') expect(outcome.detail.length).toBeGreaterThan(0);
  });

  it('never throws on arbitrary bytes', () => {
    for (let i = 0; i < 500; i += 1) {
      const bytes = Buffer.from(Array.from({ length: (i * 7) % 90 }, (_, j) => (i * 31 + j * 17) % 256));
      expect(() => classify(registry, options, binTopic, bytes, now)).not.toThrow();
    }
  });
});
