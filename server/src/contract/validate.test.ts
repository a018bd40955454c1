import { describe, expect, it } from 'vitest';
import { parseTimestamp, validateEvent, validateStatus, validateTelemetry } from './validate.js';

const ts = 1_790_000_000_000;

describe('telemetry validators', () => {
  const valid = {
    waste: [
      { ts, seq: 1, fill: 0.5, battery_v: 3.6, temp_c: 12 },
      {
        ts: '2026-09-01T10:00:00Z',
        seq: 2,
        distance_mm: 800,
        battery_v: 3.6,
        temp_c: -3,
        tilt_deg: 4,
        vendor_x: 'ok',
      },
      { ts, seq: 0, fill: 0, battery_v: 3.1, temp_c: 20, src: 'sim' },
      // Only ts and the measurement are required: a fill sensor without thermometer or counter.
      { ts, fill: 0.4 },
      { ts, distance_mm: 620, battery_v: 3.5 },
    ],
    mobility: [
      { ts, seq: 1, interval_s: 900, counts: { pedestrian: { in: 10, out: 7 }, bicycle: { in: 1, out: 0 } } },
      { ts, seq: 9, interval_s: 60, counts: { car: { in: 0, out: 0 }, truck: { in: 1, out: 1 } } },
      { ts, interval_s: 900, counts: { pedestrian: { in: 4, out: 2 } } },
    ],
    energy: [
      { ts, seq: 1, energy_kwh: 12345.6, power_kw: 4.2 },
      { ts, seq: 1, energy_kwh: 0, power_kw: -1.5, export_kwh: 3 },
      { ts, energy_kwh: 512.25 },
      { ts, power_kw: 7.5 },
    ],
  } as const;

  for (const [domain, payloads] of Object.entries(valid)) {
    it.each(payloads.map((p) => [p]))(`accepts a valid ${domain} payload %#`, (payload) => {
      expect(validateTelemetry(domain as 'waste', payload)).toEqual({ ok: true, value: payload });
    });
  }

  it.each([
    ['waste', { ts, seq: 1, fill: 1.2, battery_v: 3.6, temp_c: 12 }, 'out_of_range', '/fill'],
    ['waste', { ts, seq: 1, fill: -0.1, battery_v: 3.6, temp_c: 12 }, 'out_of_range', '/fill'],
    ['waste', { ts, seq: 1, fill: '0.5', battery_v: 3.6, temp_c: 12 }, 'schema_violation', '/fill'],
    ['waste', { seq: 1, fill: 0.5 }, 'schema_violation', 'ts'],
    ['waste', { ts, fill: 0.5, battery_v: '3.6' }, 'schema_violation', '/battery_v'],
    ['waste', { ts, seq: -1, fill: 0.5, battery_v: 3.6, temp_c: 12 }, 'out_of_range', '/seq'],
    ['waste', { ts, seq: 1.5, fill: 0.5, battery_v: 3.6, temp_c: 12 }, 'schema_violation', '/seq'],
    ['waste', { ts, seq: 1, fill: 0.5, battery_v: 3.6, temp_c: 12, src: 'real' }, 'schema_violation', '/src'],
    ['mobility', { ts, seq: 1, interval_s: 900, counts: {} }, 'schema_violation', '/counts'],
    [
      'mobility',
      { ts, seq: 1, interval_s: 0, counts: { car: { in: 1, out: 1 } } },
      'out_of_range',
      '/interval_s',
    ],
    [
      'mobility',
      { ts, seq: 1, interval_s: 900, counts: { car: { in: -1, out: 1 } } },
      'out_of_range',
      '/counts/car/in',
    ],
    [
      'mobility',
      { ts, seq: 1, interval_s: 900, counts: { car: { in: 1 } } },
      'schema_violation',
      '/counts/car',
    ],
    ['energy', { ts, seq: 1, energy_kwh: -5, power_kw: 1 }, 'out_of_range', '/energy_kwh'],
    ['energy', { ts, power_kw: 1, energy_kwh: null }, 'schema_violation', '/energy_kwh'],
    ['mobility', { ts, counts: { car: { in: 1, out: 1 } } }, 'schema_violation', 'interval_s'],
    ['energy', { ts: true, seq: 1, energy_kwh: 5, power_kw: 1 }, 'schema_violation', '/ts'],
  ] as const)('rejects %s payload %j as %s', (domain, payload, reason, where) => {
    const result = validateTelemetry(domain, payload);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.detail).toContain(where);
    }
  });
});

describe('status and event validators', () => {
  it('accepts the last-will status and a plain event', () => {
    expect(validateStatus({ state: 'lost' }).ok).toBe(true);
    expect(validateStatus({ state: 'online', ts, reason: 'boot' }).ok).toBe(true);
    expect(validateEvent({ ts, type: 'lid_opened', detail: { by: 'crew' } }).ok).toBe(true);
  });

  it('rejects unknown states and malformed event types', () => {
    expect(validateStatus({ state: 'sleeping' })).toMatchObject({ ok: false, reason: 'schema_violation' });
    expect(validateStatus({})).toMatchObject({ ok: false, reason: 'schema_violation' });
    expect(validateEvent({ ts, type: 'Bad Type' })).toMatchObject({ ok: false, reason: 'schema_violation' });
    expect(validateEvent({ type: 'reset' })).toMatchObject({ ok: false, reason: 'schema_violation' });
  });
});

describe('parseTimestamp', () => {
  it('reads ISO 8601 with a zone and epoch milliseconds', () => {
    expect(parseTimestamp('2026-09-01T10:00:00Z')).toBe(Date.UTC(2026, 8, 1, 10));
    expect(parseTimestamp('2026-09-01T14:00:00.250+04:00')).toBe(Date.UTC(2026, 8, 1, 10, 0, 0, 250));
    expect(parseTimestamp(ts)).toBe(ts);
  });

  it('refuses zone-less text, dates alone, epoch seconds and garbage', () => {
    expect(parseTimestamp('2026-09-01T10:00:00')).toBeNull();
    expect(parseTimestamp('2026-09-01')).toBeNull();
    expect(parseTimestamp(1_790_000_000)).toBeNull();
    expect(parseTimestamp('yesterday at noon')).toBeNull();
    expect(parseTimestamp('2026-13-45T99:00:00Z')).toBeNull();
  });
});
