import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../config/portfolio.js';
import type { Reading } from '../contract/index.js';
import {
  MAX_MESSAGE_BYTES,
  batchSize,
  decodeBatch,
  emptyBatch,
  encodeBatch,
  type ClusterBatch,
} from './cluster-codec.js';

const registry = loadRegistry('config/portfolio.yaml');
const T = Date.UTC(2026, 10, 2, 8, 0, 0);

const bin: Reading = {
  device: 'bin-nikea-02',
  domain: 'waste',
  site: 'nikea',
  ts: T,
  seq: 7,
  metrics: { fill: 0.62, battery_v: 3.61, temp_c: 11.5 },
  simulated: true,
  receivedAt: T + 40,
};
const counter: Reading = {
  device: 'counter-rustaveli-ave',
  domain: 'mobility',
  site: 'rustaveli-ave',
  ts: T,
  seq: 1,
  metrics: { interval_s: 900, pedestrian_in: 41, pedestrian_out: 37 },
  simulated: false,
  receivedAt: T + 41,
};
const decode = (message: unknown) => decodeBatch(registry, Buffer.from(JSON.stringify(message)));

describe('cluster codec', () => {
  it('round-trips readings, statuses, events and acknowledgements', () => {
    const batch: ClusterBatch = {
      readings: [bin, counter],
      statuses: [
        {
          value: { device: 'bin-nikea-02', domain: 'waste', state: 'lost', ts: T, reason: 'will' },
          receivedAt: T + 1,
        },
      ],
      events: [
        {
          value: { device: 'bin-nikea-02', domain: 'waste', type: 'collection', ts: T, detail: { crew: 2 } },
          receivedAt: T + 2,
        },
      ],
      acks: [{ device: 'bin-nikea-02', rule: 'fill_high', by: 'nino', comment: null, at: T + 3 }],
    };
    const decoded = decodeBatch(registry, Buffer.from(encodeBatch(batch)));
    expect(decoded).toEqual({ batch, rejected: 0, reason: undefined });
  });

  it('is compact: a waste reading takes well under 100 bytes', () => {
    const one = encodeBatch({ ...emptyBatch(), readings: [bin] }).length;
    const two = encodeBatch({ ...emptyBatch(), readings: [bin, bin] }).length;
    expect(two - one).toBeLessThan(100);
  });

  it('takes domain and site from its own registry, not from the peer', () => {
    const { batch } = decode({ v: 1, r: [['bin-nikea-02', T, 1, T, 0, { fill: 0.5 }]] });
    expect(batch.readings[0]).toMatchObject({ domain: 'waste', site: 'nikea', simulated: false });
  });

  const good: Record<'r' | 's' | 'e' | 'a', unknown[]> = {
    r: ['bin-nikea-02', T, 1, T, 0, { fill: 0.5 }],
    s: ['bin-nikea-02', 'lost', T, T],
    e: ['bin-nikea-02', 'collection', T, T],
    a: ['bin-nikea-02', 'fill_high', 'nino', 'on it', T],
  };
  it.each([
    ['an unknown device', 'r', ['bin-atlantis', T, 1, T, 0, { fill: 0.5 }]],
    ['a metric of another domain', 'r', ['bin-nikea-02', T, 1, T, 0, { power_kw: 3 }]],
    ['a prototype key', 'r', ['bin-nikea-02', T, 1, T, 0, JSON.parse('{"__proto__":{"x":1}}') as object]],
    ['a string value', 'r', ['bin-nikea-02', T, 1, T, 0, { fill: '0.5' }]],
    ['no metrics', 'r', ['bin-nikea-02', T, 1, T, 0, {}]],
    ['a fractional sequence', 'r', ['bin-nikea-02', T, 1.5, T, 0, { fill: 0.5 }]],
    ['a negative time', 'r', ['bin-nikea-02', -5, 1, T, 0, { fill: 0.5 }]],
    ['an entry that is not a list', 'r', { device: 'bin-nikea-02' }],
    ['an unknown state', 's', ['bin-nikea-02', 'asleep', T, T]],
    ['a bad event type', 'e', ['bin-nikea-02', 'Collection!', T, T]],
    ['an unknown rule', 'a', ['bin-nikea-02', 'meltdown', 'nino', null, T]],
    ['an acknowledgement of an unknown device', 'a', ['bin-atlantis', 'fill_high', 'nino', null, T]],
  ] as const)('refuses %s, counts it and keeps the good entry beside it', (_what, section, bad) => {
    const { batch, rejected, reason } = decode({ v: 1, [section]: [bad, good[section]] });
    expect(rejected).toBe(1);
    expect(reason).toEqual(expect.any(String));
    expect(batchSize(batch)).toBe(1);
  });

  it('refuses a section that is not a list', () => {
    expect(decode({ v: 1, r: 'readings', e: [good.e] })).toMatchObject({
      rejected: 1,
      batch: { events: [{}] },
    });
  });

  it.each([
    ['not JSON', Buffer.from('{"v":1,')],
    ['not an object', Buffer.from('[1,2]')],
    ['another version', Buffer.from('{"v":2,"r":[]}')],
    ['too large', Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20)],
  ])('refuses a message that is %s whole', (_what, payload) => {
    expect(decodeBatch(registry, payload)).toMatchObject({ rejected: 1, batch: emptyBatch() });
  });
});
