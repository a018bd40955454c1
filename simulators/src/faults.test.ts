import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import { parseTopic, validateTelemetry, DEFAULT_TOPIC_ROOT } from '../../server/src/contract/index.js';
import { DEFAULT_PORTFOLIO } from './cli-args.js';
import { parseTime } from './clock.js';
import { FaultSpecError, parseFaults } from './faults.js';
import { generateRange } from './generate.js';
import { Truth, sumFamilies as sum } from './truth.js';

const registry = loadRegistry(DEFAULT_PORTFOLIO);

describe('fault injection', () => {
  it('parses rates and aliases, and rejects unknown faults', () => {
    expect(parseFaults('offline=0.01,stuck=0.005,out-of-order=0.1,skew=0.2')).toEqual({
      offline: 0.01,
      stuck: 0.005,
      out_of_order: 0.1,
      clock_skew: 0.2,
    });
    expect(parseFaults('')).toEqual({});
    expect(() => parseFaults('gremlins=1')).toThrow(FaultSpecError);
    expect(() => parseFaults('spike')).toThrow(FaultSpecError);
  });

  it('logs every fault, and counts clean readings that all pass the validators', () => {
    const truth = new Truth();
    const faults = parseFaults(
      'offline=0.003,stuck=0.003,spike=0.003,duplicate=0.003,ooo=0.003,malformed=0.003,skew=0.001,reset=0.002',
    );
    const seen = { clean: 0, faulty: 0, invalidFaulty: 0, raw: 0 };
    const kinds = new Set<string>();
    for (const batch of generateRange({
      registry,
      seed: 9,
      truth,
      faults,
      now: () => Number.MAX_SAFE_INTEGER,
      from: parseTime('2026-10-01') ?? 0,
      to: parseTime('2026-10-15') ?? 0,
    })) {
      for (const m of batch.messages) {
        if (m.kind !== 'telemetry') continue;
        const topic = parseTopic(DEFAULT_TOPIC_ROOT, m.topic);
        if (!topic.ok) throw new Error(topic.reason);
        m.faults.forEach((k) => kinds.add(k));
        if (m.faults.length === 0) {
          seen.clean += 1;
          expect(validateTelemetry(topic.value.domain, m.payload).ok).toBe(true);
          continue;
        }
        seen.faulty += 1;
        if (typeof m.payload === 'string') seen.raw += 1;
        else if (!validateTelemetry(topic.value.domain, m.payload).ok) seen.invalidFaulty += 1;
        if (m.faults.includes('malformed') && typeof m.payload !== 'string') {
          expect(validateTelemetry(topic.value.domain, m.payload).ok).toBe(false);
        }
      }
    }
    const p = truth.published;
    expect(sum(p, 'clean')).toBe(seen.clean);
    expect(sum(p, 'faulty')).toBe(seen.faulty);
    expect(sum(p, 'skipped_offline')).toBeGreaterThan(0);
    for (const kind of ['stuck', 'spike', 'duplicate', 'out_of_order', 'malformed', 'clock_skew', 'reset'])
      expect(kinds).toContain(kind);
    for (const kind of [
      'offline',
      'stuck',
      'spike',
      'duplicate',
      'out_of_order',
      'malformed',
      'clock_skew',
      'reset',
    ]) {
      expect(truth.faultCounts[kind as keyof typeof truth.faultCounts], kind).toBeGreaterThan(0);
    }
    expect(seen.raw + seen.invalidFaulty).toBeGreaterThan(0);
    const expected = sum(p, 'expected_stored');
    // Duplicates and malformed messages are the ones the server must not store (skews never count as future here).
    expect(expected).toBe(
      seen.clean + seen.faulty - (truth.faultCounts.duplicate ?? 0) - seen.raw - seen.invalidFaulty,
    );
  });

  it('injects no faults by default', () => {
    const truth = new Truth();
    for (const _ of generateRange({
      registry,
      seed: 9,
      truth,
      from: parseTime('2026-10-01') ?? 0,
      to: parseTime('2026-10-03') ?? 0,
    })) {
      // drain
    }
    expect(truth.faultLog).toEqual([]);
    expect(sum(truth.published, 'faulty')).toBe(0);
  });
});
