import { describe, expect, it } from 'vitest';
import { buildTopic, parseTopic, subscriptionFilters } from './topics.js';

describe('topics', () => {
  it('builds and parses a telemetry topic under the default root', () => {
    const topic = buildTopic('kutaisi/v1', 'waste', 'bin-1', 'telemetry');
    expect(topic).toBe('kutaisi/v1/waste/bin-1/telemetry');
    expect(parseTopic('kutaisi/v1', topic)).toEqual({
      ok: true,
      value: { domain: 'waste', deviceId: 'bin-1', kind: 'telemetry' },
    });
  });

  it('honours a configured root', () => {
    expect(parseTopic('city/x', 'city/x/energy/m_1/status')).toEqual({
      ok: true,
      value: { domain: 'energy', deviceId: 'm_1', kind: 'status' },
    });
    expect(subscriptionFilters('city/x')).toEqual([
      'city/x/waste/+/+',
      'city/x/mobility/+/+',
      'city/x/energy/+/+',
      'city/x/weather/+/+',
    ]);
  });

  it.each([
    ['other/v1/waste/bin-1/telemetry', 'not under'],
    ['kutaisi/v1/water/bin-1/telemetry', 'unknown domain'],
    ['kutaisi/v1/waste/Bin-1/telemetry', 'device id'],
    ['kutaisi/v1/waste/-bin/telemetry', 'device id'],
    [`kutaisi/v1/waste/${'a'.repeat(65)}/telemetry`, 'device id'],
    ['kutaisi/v1/waste/bin-1/config', 'unknown message kind'],
    ['kutaisi/v1/waste/bin-1/telemetry/extra', 'must be'],
    ['kutaisi/v1/waste/bin-1', 'must be'],
  ])('rejects %s', (topic, reason) => {
    const parsed = parseTopic('kutaisi/v1', topic);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('refuses to build a topic for an invalid device id', () => {
    expect(() => buildTopic('kutaisi/v1', 'waste', 'BAD ID', 'telemetry')).toThrow(/invalid device id/);
  });
});
