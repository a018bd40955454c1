/**
 * Property-based fuzz of the ingest classifier (topic + payload → reading | status | event | rejection).
 * Whatever arrives, classify() must not throw, and its answer must honour the contract
 * (contract-invariants.ts). The seed is fixed and printed; FUZZ_SEED=n replays or widens a run.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import { MAX_PAYLOAD_BYTES, REJECT_REASONS, SOURCE_REJECT_REASONS } from '../../server/src/contract/index.js';
import { classify, type ClassifyOptions, type Outcome } from '../../server/src/ingest/classify.js';
import { contractViolations } from './contract-invariants.js';
import { anyMessage, fuzzRuns, fuzzSeed, serialize, validMessage, type FuzzContext } from './fuzz-inputs.js';

const SEED = fuzzSeed(20_260_501);
const RUNS = fuzzRuns(6000);
const registry = loadRegistry('config/portfolio.yaml');
const options: ClassifyOptions = {
  topicRoot: 'kutaisi/v1',
  maxAgeMs: 400 * 86_400_000,
  maxFutureMs: 300_000,
};
const now = Date.UTC(2026, 4, 1, 9);
const ctx: FuzzContext = { registry, topicRoot: options.topicRoot, now };

const tally = new Map<string, number>();
const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
const keyOf = (o: Outcome) => (o.kind === 'rejected' ? `rejected:${o.reason}` : `accepted:${o.kind}`);

function judge(topic: string, payload: Buffer): Outcome {
  let outcome: Outcome;
  try {
    outcome = classify(registry, options, topic, payload, now);
  } catch (error) {
    throw new Error(`classify threw on ${JSON.stringify(topic.slice(0, 120))}: ${String(error)}`);
  }
  const violations = contractViolations(registry, options, topic, payload, now, outcome);
  if (violations.length > 0)
    throw new Error(
      `contract broken (${violations.join('; ')}) for topic ${JSON.stringify(topic.slice(0, 120))}, ` +
        `payload ${JSON.stringify(payload.subarray(0, 200).toString('utf8'))} → ${JSON.stringify(outcome).slice(0, 300)}`,
    );
  count(keyOf(outcome));
  return outcome;
}

describe(`ingest classifier fuzz (seed ${SEED})`, () => {
  afterAll(() => {
    const rejected = [...tally].filter(([k]) => k.startsWith('rejected:'));
    const accepted = [...tally].filter(([k]) => k.startsWith('accepted:'));
    const sum = (list: [string, number][]) => list.reduce((s, [, n]) => s + n, 0);
    console.log(
      `fuzz mqtt payload (seed ${SEED}): classified ${sum([...tally])}, accepted ${sum(accepted)} ` +
        `(${accepted.map(([k, n]) => `${k.slice(9)} ${n}`).join(', ')}), rejected ${sum(rejected)} ` +
        `(${rejected.map(([k, n]) => `${k.slice(9)} ${n}`).join(', ')}), crashes 0, rejections without a listed reason 0`,
    );
  });

  it(`classifies ${RUNS} arbitrary messages without throwing, each answer within the contract`, () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(anyMessage(ctx), (m) => {
        seen.add(keyOf(judge(m.topic, m.payload)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Not vacuous: the generators reach readings, statuses, events and nearly every rejection reason.
    for (const kind of ['reading', 'status', 'event']) expect(seen).toContain(`accepted:${kind}`);
    // The native topics cannot reach the reasons only source messages are given.
    const native = REJECT_REASONS.filter((r) => !(SOURCE_REJECT_REASONS as readonly string[]).includes(r));
    const reasons = native.filter((r) => seen.has(`rejected:${r}`));
    expect(reasons.length, `reasons reached: ${reasons.join(', ')}`).toBeGreaterThanOrEqual(
      native.length - 1,
    );
  });

  it('accepts every valid message, as the kind its topic names', () => {
    fc.assert(
      fc.property(validMessage(ctx), ({ device, kind, payload }) => {
        const topic = `${options.topicRoot}/${device.domain}/${device.id}/${kind}`;
        const outcome = judge(topic, Buffer.from(serialize(payload)));
        expect(outcome.kind).toBe(kind === 'telemetry' ? 'reading' : kind);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('draws the size limit at exactly MAX_PAYLOAD_BYTES', () => {
    fc.assert(
      fc.property(validMessage(ctx, ['telemetry']), fc.integer({ min: -2, max: 2 }), (m, delta) => {
        const topic = `${options.topicRoot}/${m.device.domain}/${m.device.id}/telemetry`;
        const body = serialize({ ...m.payload, pad: '' });
        const padded = body.replace(
          '"pad":""',
          `"pad":"${'x'.repeat(MAX_PAYLOAD_BYTES + delta - body.length)}"`,
        );
        expect(Buffer.byteLength(padded)).toBe(MAX_PAYLOAD_BYTES + delta);
        expect(judge(topic, Buffer.from(padded)).kind).toBe(delta > 0 ? 'rejected' : 'reading');
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
