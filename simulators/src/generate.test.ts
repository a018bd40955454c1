import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import {
  validateTelemetry,
  validateEvent,
  parseTopic,
  DEFAULT_TOPIC_ROOT,
} from '../../server/src/contract/index.js';
import { DEFAULT_PORTFOLIO } from './cli-args.js';
import { parseTime } from './clock.js';
import { dryRun, generateRange } from './generate.js';
import { Truth, sumFamilies as sum } from './truth.js';

const registry = loadRegistry(DEFAULT_PORTFOLIO);
const range = (from: string, to: string) => ({ from: parseTime(from) ?? 0, to: parseTime(to) ?? 0 });

function capture(seed: number, extra: object = {}): string {
  const chunks: string[] = [];
  dryRun({ registry, seed, ...range('2026-03-01', '2026-03-04'), ...extra }, (c) => chunks.push(c));
  return chunks.join('');
}

describe('dry-run generation', () => {
  it('gives byte-identical output for the same seed and options', () => {
    const a = capture(42);
    const b = capture(42);
    expect(a.length).toBeGreaterThan(1000);
    expect(a).toBe(b);
    expect(capture(43)).not.toBe(a);
  });

  it('stays byte-identical with faults enabled, and faults do not change the clean readings', () => {
    const faults = {
      offline: 0.01,
      stuck: 0.01,
      spike: 0.01,
      duplicate: 0.01,
      out_of_order: 0.01,
      malformed: 0.01,
    };
    expect(capture(7, { faults })).toBe(capture(7, { faults }));
    const clean = new Set(capture(7).split('\n'));
    const faulty = capture(7, { faults }).split('\n');
    const shared = faulty.filter((line) => clean.has(line)).length;
    expect(shared / faulty.length).toBeGreaterThan(0.85);
  });

  it('publishes only payloads that pass the contract validators, on contract topics', () => {
    const truth = new Truth();
    let telemetry = 0;
    for (const batch of generateRange({ registry, seed: 3, truth, ...range('2026-09-01', '2026-09-29') })) {
      for (const m of batch.messages) {
        const topic = parseTopic(DEFAULT_TOPIC_ROOT, m.topic);
        expect(topic.ok).toBe(true);
        if (!topic.ok) continue;
        expect(m.faults).toEqual([]);
        if (m.kind === 'event') {
          expect(validateEvent(m.payload).ok).toBe(true);
          continue;
        }
        telemetry += 1;
        const check = validateTelemetry(topic.value.domain, m.payload);
        if (!check.ok) throw new Error(`${m.topic}: ${check.reason} ${check.detail}`);
      }
    }
    // 23 portfolio devices (22 in the pilots and a weather station) × 96 readings a day × 28 days, no faults by default.
    expect(telemetry).toBe(23 * 96 * 28);
    const p = truth.published;
    expect(sum(p, 'clean')).toBe(telemetry);
    expect(sum(p, 'faulty')).toBe(0);
    expect(p.waste.events).toBeGreaterThan(0);
  });
});
