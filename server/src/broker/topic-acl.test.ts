import { describe, expect, it } from 'vitest';
import { canPublish, canSubscribe, covers, topicRules } from './topic-acl.js';

const root = 'kutaisi/v1';
const binA = topicRules(root, { kind: 'device', id: 'bin-a', domain: 'waste' });
const service = topicRules(root, { kind: 'service' });

describe('covers', () => {
  it.each([
    ['a/b/#', 'a/b/c', true],
    ['a/b/#', 'a/b/c/d', true],
    ['a/b/#', 'a/b', true],
    ['a/b/#', 'a/b/#', true],
    ['a/b/#', 'a/b/+', true],
    ['a/b/#', 'a/#', false],
    ['a/b/#', 'a/+/c', false],
    ['a/b/#', '#', false],
    ['a/+/c', 'a/x/c', true],
    ['a/+/c', 'a/+/c', true],
    ['a/+/c', 'a/#', false],
    ['a/+/c', 'a/x/c/d', false],
    ['a/b/c', 'a/b/c', true],
    ['a/b/c', 'a/b', false],
    ['a/b/c', 'a/b/+', false],
    ['a/b/c', 'a/b/cd', false],
  ])('%s covers %s: %s', (pattern, filter, expected) => {
    expect(covers(pattern, filter)).toBe(expected);
  });
});

describe('a device', () => {
  it('publishes to its own telemetry, status and event topics', () => {
    for (const kind of ['telemetry', 'status', 'event'])
      expect(canPublish(binA, `${root}/waste/bin-a/${kind}`)).toBe(true);
  });

  it.each([
    [`${root}/waste/bin-b/telemetry`, "another device's topic"],
    [`${root}/energy/bin-a/telemetry`, 'its id under another domain'],
    [`${root}/waste/bin-a/config`, 'an unknown kind'],
    [`${root}/waste/bin-a/telemetry/x`, 'a deeper topic'],
    [`${root}/waste/bin-a`, 'its subtree root'],
    [`${root}/alerts/waste/bin-a`, 'the alerts tree'],
    [`${root}/cluster/x/deltas`, 'the cluster exchange'],
    [`other/v1/waste/bin-a/telemetry`, 'another root'],
    [`${root}/waste/+/telemetry`, 'a wildcard topic'],
    ['$SYS/broker/x', 'the $SYS tree'],
  ])('may not publish to %s (%s)', (topic) => {
    expect(canPublish(binA, topic)).toBe(false);
  });

  it('subscribes to its own subtree only', () => {
    expect(canSubscribe(binA, `${root}/waste/bin-a/#`)).toBe(true);
    expect(canSubscribe(binA, `${root}/waste/bin-a/status`)).toBe(true);
    expect(canSubscribe(binA, `${root}/waste/bin-a/+`)).toBe(true);
    for (const filter of [
      `${root}/waste/bin-b/#`,
      `${root}/waste/bin-b/telemetry`,
      `${root}/waste/+/telemetry`,
      `${root}/waste/#`,
      `${root}/#`,
      '#',
      `$share/g/${root}/waste/bin-a/#`,
      '$SYS/#',
    ])
      expect(canSubscribe(binA, filter), filter).toBe(false);
  });
});

describe('the service identity', () => {
  it('reads every device topic, directly or through a shared subscription', () => {
    for (const filter of [
      `${root}/waste/+/+`,
      `${root}/#`,
      `${root}/cluster/+/deltas`,
      `$share/ingest/${root}/waste/+/+`,
      `$share/ingest/${root}/#`,
    ])
      expect(canSubscribe(service, filter), filter).toBe(true);
  });

  it('reads nothing outside the root', () => {
    for (const filter of ['#', '+/v1/#', 'other/#', '$SYS/#', `$share/g/#`, `$share/+/${root}/#`, `$share/g`])
      expect(canSubscribe(service, filter), filter).toBe(false);
  });

  it('writes alerts and the cluster exchange, never device topics', () => {
    expect(canPublish(service, `${root}/alerts/waste/bin-a`)).toBe(true);
    expect(canPublish(service, `${root}/cluster/node-1/deltas`)).toBe(true);
    expect(canPublish(service, `${root}/waste/bin-a/telemetry`)).toBe(false);
    expect(canPublish(service, `${root}/waste/bin-a/status`)).toBe(false);
  });
});
