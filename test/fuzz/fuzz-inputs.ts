/**
 * fast-check inputs for the ingest fuzz tests: topics and payloads that are valid, slightly wrong
 * (one field mutated) or hostile (random bytes, arbitrary JSON, deep nesting, oversize, wildcards,
 * unicode, very long levels). Both the in-process and the over-the-wire fuzz draw from here.
 */
import fc from 'fast-check';
import type { Registry } from '../../server/src/config/registry.js';
import type { DeviceConfig } from '../../server/src/config/portfolio-schema.js';
import { DOMAINS, MAX_PAYLOAD_BYTES, TRAVEL_CLASSES, type Domain } from '../../server/src/contract/index.js';

/** The seed every fuzz run uses unless FUZZ_SEED says otherwise (to replay or widen a run). */
export function fuzzSeed(fallback: number): number {
  const text = process.env.FUZZ_SEED;
  const seed = text === undefined || text === '' ? fallback : Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got "${text}"`);
  return seed;
}

/** How many runs a property gets: the test's own number unless FUZZ_RUNS asks for a longer hunt. */
export function fuzzRuns(fallback: number): number {
  const runs = Number(process.env.FUZZ_RUNS ?? fallback);
  return Number.isSafeInteger(runs) && runs > 0 ? runs : fallback;
}

export interface FuzzMessage {
  topic: string;
  payload: Buffer;
  /** Which generator made it, for the figures. */
  label: string;
}

const DAY = 86_400_000;
const KINDS = ['telemetry', 'status', 'event'] as const;

/** A piece of JSON text placed verbatim: literals JSON.stringify cannot write (1e999, NaN, deep brackets). */
class RawJson {
  constructor(readonly text: string) {}
}

function serialize(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(serialize).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${serialize(v)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** A value that should not be where it is put: wrong types, NaN-like text, huge or tiny numbers, nesting. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e309', '0x10', '', ' ', 'null', 'true', '٣', '3,6', '½'),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, 2 ** 64, -1, -0, 5e-324, 0.1, 1e10 + 1, 86_401, 1_000_001),
  fc.constantFrom(
    ...['1e999', '-1e999', '1e-400', '-0.0', '123456789012345678901234567890'].map((t) => new RawJson(t)),
  ),
  fc.integer({ min: 1, max: 4000 }).map((n) => new RawJson(`${'['.repeat(n)}${']'.repeat(n)}`)),
  fc.integer({ min: 1, max: 2000 }).map((n) => new RawJson(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`)),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.array(fc.integer(), { maxLength: 4 }),
  fc.jsonValue({ maxDepth: 3 }),
);

function isoOrEpoch(ms: number): fc.Arbitrary<string | number> {
  return fc.constantFrom<string | number>(
    ms,
    new Date(ms).toISOString(),
    // The same instant written with the Tbilisi offset, as a device on local time would.
    new Date(ms + 4 * 3_600_000).toISOString().replace('Z', '+04:00'),
  );
}

/** A timestamp inside the ingest's horizon (400 days back, none ahead) for the given clock. */
function validTs(now: number): fc.Arbitrary<string | number> {
  return fc.integer({ min: 1000, max: 399 * DAY }).chain((age) => isoOrEpoch(now - age));
}

const unit = (lo: number, hi: number) =>
  fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
const seq = fc.oneof(fc.nat(1000), fc.nat({ max: Number.MAX_SAFE_INTEGER }));
// Built once: a stringMatching arbitrary compiles its regex, too slow to repeat inside chain().
const eventType = fc.stringMatching(/^[a-z][a-z0-9_]{0,63}$/);

function validTelemetry(device: DeviceConfig, now: number): fc.Arbitrary<Record<string, unknown>> {
  const common = { ts: validTs(now), seq, src: fc.constantFrom(undefined, 'sim') };
  const drop = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  switch (device.domain) {
    case 'waste': {
      const calibrated = device.calibration !== undefined;
      return fc
        .record({
          ...common,
          fill: calibrated ? fc.option(unit(0, 1), { nil: undefined }) : unit(0, 1),
          distance_mm: calibrated ? unit(0, 10_000) : fc.constant(undefined),
          battery_v: unit(0, 15),
          temp_c: unit(-50, 150),
          tilt_deg: fc.option(unit(0, 180), { nil: undefined }),
        })
        .map(drop);
    }
    case 'mobility':
      return fc
        .record({
          ...common,
          interval_s: fc.integer({ min: 1, max: 86_400 }),
          counts: fc
            .subarray([...TRAVEL_CLASSES], { minLength: 1 })
            .chain((classes) =>
              fc
                .tuple(...classes.map(() => fc.tuple(fc.nat(1_000_000), fc.nat(1_000_000))))
                .map((pairs) =>
                  Object.fromEntries(classes.map((c, i) => [c, { in: pairs[i]?.[0], out: pairs[i]?.[1] }])),
                ),
            ),
          vendor_extra: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
        })
        .map(drop);
    case 'energy':
      return fc
        .record({
          ...common,
          energy_kwh: unit(0, 1e10),
          power_kw: unit(-100_000, 100_000),
          export_kwh: fc.option(unit(0, 1e10), { nil: undefined }),
        })
        .map(drop);
    case 'weather':
      return fc
        .record({
          ...common,
          temp_c: unit(-60, 60),
          interval_s: fc.option(fc.integer({ min: 1, max: 86_400 }), { nil: undefined }),
          humidity_pct: fc.option(unit(0, 100), { nil: undefined }),
          rain_mm: fc.option(unit(0, 500), { nil: undefined }),
          wind_ms: fc.option(unit(0, 100), { nil: undefined }),
        })
        .map(drop);
  }
}

function validPayload(
  device: DeviceConfig,
  kind: (typeof KINDS)[number],
  now: number,
): fc.Arbitrary<Record<string, unknown>> {
  if (kind === 'telemetry') return validTelemetry(device, now);
  if (kind === 'status')
    return fc
      .record(
        {
          state: fc.constantFrom('online', 'offline', 'lost'),
          ts: validTs(now),
          reason: fc.string({ maxLength: 200 }),
        },
        { requiredKeys: ['state'] },
      )
      .map((o) => ({ ...o }));
  return fc.record({ ts: validTs(now), type: eventType });
}

/** Timestamps just outside the horizon, in the future, in epoch seconds, or not quite ISO 8601. */
function strayTs(now: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.integer({ min: 360_000, max: 400 * DAY }).chain((ahead) => isoOrEpoch(now + ahead)),
    fc.integer({ min: 401 * DAY, max: 20 * 365 * DAY }).chain((age) => isoOrEpoch(now - age)),
    fc.constant(Math.floor(now / 1000)),
    fc.constantFrom(
      '2026-02-30T10:00:00Z',
      '2026-05-01 09:00:00Z',
      '2026-05-01T09:00:00',
      '2026-05-01T25:00Z',
    ),
    fc.constantFrom(now + 0.5, -now, '9'.repeat(39), 'T'.repeat(10)),
  );
}

const FIELDS = [
  'ts',
  'seq',
  'fill',
  'distance_mm',
  'battery_v',
  'temp_c',
  'tilt_deg',
  'interval_s',
  'counts',
  'counts.bicycle',
  'counts.car.in',
  'counts.pedestrian.out',
  'energy_kwh',
  'power_kw',
  'export_kwh',
  'state',
  'type',
  'src',
  '__proto__',
];

type Mutation = { op: 'set' | 'delete' | 'rename'; path: string; value: unknown; to: string };

/** Renames a vendor might make; fill → distance_mm turns a bin without calibration into one it cannot convert. */
const RENAMES: [string, string][] = [
  ['fill', 'distance_mm'],
  ['ts', 'time'],
  ['battery_v', 'battery_mv'],
  ['counts', 'count'],
  ['energy_kwh', 'kwh'],
  ['state', 'status'],
];

/** Replaces, deletes, renames or adds one field (also inside `counts`): the payload is then valid only by chance. */
function mutation(now: number): fc.Arbitrary<Mutation> {
  const set = fc.record({
    op: fc.constantFrom<'set' | 'delete'>('set', 'set', 'delete'),
    path: fc.oneof({ arbitrary: fc.constantFrom(...FIELDS), weight: 4 }, fc.string({ maxLength: 12 })),
    value: fc.oneof({ arbitrary: hostileValue, weight: 3 }, strayTs(now)),
    to: fc.constant(''),
  });
  const rename = fc
    .constantFrom(...RENAMES)
    .map(([path, to]): Mutation => ({ op: 'rename', path, value: undefined, to }));
  return fc.oneof({ arbitrary: set, weight: 3 }, rename);
}

function applyMutation(target: Record<string, unknown>, m: Mutation): void {
  const keys = m.path.split('.');
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
    if (typeof next !== 'object' || next === null) return;
    node = next as Record<string, unknown>;
  }
  const last = keys.at(-1) ?? '';
  const put = (key: string, value: unknown) =>
    Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
  if (m.op === 'set') put(last, m.value);
  else if (m.op === 'delete') delete node[last];
  else if (Object.prototype.hasOwnProperty.call(node, last)) {
    put(m.to, node[last]);
    delete node[last];
  }
}

export interface FuzzContext {
  registry: Registry;
  topicRoot: string;
  /** The ingest's clock for generating timestamps. */
  now: number;
}

const deviceOf = (ctx: FuzzContext) => fc.constantFrom(...ctx.registry.portfolio.devices);

/** A valid message: a registered device, its own domain, a payload that honours the contract. */
export function validMessage(ctx: FuzzContext, kinds: readonly (typeof KINDS)[number][] = KINDS) {
  return fc
    .tuple(deviceOf(ctx), fc.constantFrom(...kinds))
    .chain(([device, kind]) =>
      validPayload(device, kind, ctx.now).map((payload) => ({ device, kind, payload })),
    );
}

const topicOf = (ctx: FuzzContext, domain: string, device: string, kind: string) =>
  `${ctx.topicRoot}/${domain}/${device}/${kind}`;

/** A valid telemetry/status/event payload with one to three mutations. */
function mutatedMessage(ctx: FuzzContext): fc.Arbitrary<FuzzMessage> {
  return fc
    .tuple(validMessage(ctx), fc.array(mutation(ctx.now), { minLength: 1, maxLength: 3 }))
    .map(([{ device, kind, payload }, mutations]) => {
      const copy = structuredClone(payload);
      for (const m of mutations) applyMutation(copy, m);
      return {
        topic: topicOf(ctx, device.domain, device.id, kind),
        payload: Buffer.from(serialize(copy)),
        label: 'mutated payload',
      };
    });
}

/** A registered device's topic with a payload that is not even close: bytes, arbitrary JSON, deep nesting, oversize. */
function hostilePayload(ctx: FuzzContext): fc.Arbitrary<FuzzMessage> {
  const topic = fc
    .tuple(deviceOf(ctx), fc.constantFrom(...KINDS))
    .map(([device, kind]) => topicOf(ctx, device.domain, device.id, kind));
  const body = fc.oneof(
    fc.uint8Array({ maxLength: 300 }).map((b) => ({ payload: Buffer.from(b), label: 'random bytes' })),
    fc.jsonValue().map((v) => ({ payload: Buffer.from(JSON.stringify(v) ?? ''), label: 'arbitrary JSON' })),
    fc.object().map((v) => ({ payload: Buffer.from(serialize(v)), label: 'arbitrary JSON' })),
    fc.integer({ min: 1, max: 20_000 }).map((n) => ({
      payload: Buffer.from(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
      label: 'deep nesting',
    })),
    fc.integer({ min: 1, max: 20_000 }).map((n) => ({
      payload: Buffer.from(`${'['.repeat(n)}`),
      label: 'deep nesting',
    })),
    fc.integer({ min: MAX_PAYLOAD_BYTES - 64, max: MAX_PAYLOAD_BYTES * 4 }).map((n) => ({
      payload: Buffer.from(`{"pad":"${'x'.repeat(n)}"}`),
      label: 'oversize',
    })),
  );
  return fc.tuple(topic, body).map(([t, b]) => ({ topic: t, ...b }));
}

/** Levels that look almost right, or not at all. */
const level = (ctx: FuzzContext) =>
  fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      '+',
      '#',
      '..',
      'TELEMETRY',
      'Waste',
      'bin-nikea-02 ',
      'bin_nikea_02',
      ...DOMAINS,
      ...KINDS,
    ),
    fc.constantFrom(...ctx.registry.portfolio.devices.map((d) => d.id)),
    fc.string({ maxLength: 20 }),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,70}$/),
  );

export interface TopicOptions {
  /** Only topics a client may publish to (no wildcards, no U+0000, well-formed UTF-8), for the wire fuzz. */
  publishable: boolean;
}

/** Topics that are wrong in structure, device or domain; payloads are valid for some registered device. */
function hostileTopic(ctx: FuzzContext, options: TopicOptions): fc.Arbitrary<FuzzMessage> {
  const domainOf = (d: DeviceConfig) => d.domain;
  const wrongDomain = fc
    .tuple(validMessage(ctx), fc.constantFrom<Domain>(...DOMAINS))
    .filter(([m, domain]) => domainOf(m.device) !== domain)
    .map(([m, domain]) => ({ topic: topicOf(ctx, domain, m.device.id, m.kind), payload: m.payload }));
  const unknownDevice = fc
    .tuple(validMessage(ctx), fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,63}$/))
    .filter(([, id]) => ctx.registry.device(id) === undefined)
    .map(([m, id]) => ({ topic: topicOf(ctx, m.device.domain, id, m.kind), payload: m.payload }));
  const levels = fc
    .tuple(validMessage(ctx), fc.array(level(ctx), { maxLength: 6 }))
    .map(([m, ls]) => ({ topic: [ctx.topicRoot, ...ls].join('/'), payload: m.payload }));
  const longLevel = fc
    .tuple(
      validMessage(ctx),
      fc.oneof(fc.integer({ min: 60, max: 70 }), fc.integer({ min: 1000, max: 60_000 })),
    )
    .map(([m, n]) => ({ topic: topicOf(ctx, m.device.domain, 'a'.repeat(n), m.kind), payload: m.payload }));
  const otherRoot = fc
    .tuple(
      validMessage(ctx),
      fc.constantFrom('kutaisi/v2', 'Kutaisi/v1', '', 'x'),
      fc.string({ maxLength: 8 }),
    )
    .map(([m, root, junk]) => ({
      topic: `${root}${junk}/${m.device.domain}/${m.device.id}/${m.kind}`,
      payload: m.payload,
    }));
  const anyText = fc
    .tuple(validMessage(ctx), fc.string({ unit: options.publishable ? 'grapheme' : 'binary', maxLength: 80 }))
    .map(([m, text]) => ({ topic: text, payload: m.payload }));
  return fc
    .oneof(wrongDomain, unknownDevice, levels, longLevel, otherRoot, anyText)
    .filter(({ topic }) => !options.publishable || isPublishable(topic))
    .map(({ topic, payload }) => ({
      topic,
      payload: Buffer.from(serialize(payload)),
      label: 'hostile topic',
    }));
}

/**
 * What an MQTT client may publish to on any broker: non-empty, no wildcards, no U+0000 or other
 * C0/C1 controls (Mosquitto refuses them), not a `$` system topic, ≤ 65,535 bytes.
 */
export function isPublishable(topic: string): boolean {
  return (
    topic.length > 0 &&
    !topic.startsWith('$') &&
    // eslint-disable-next-line no-control-regex
    !/[+#\u0000-\u001f\u007f-\u009f]/.test(topic) &&
    // A lone surrogate does not survive a round trip through UTF-8.
    Buffer.from(topic, 'utf8').toString('utf8') === topic &&
    Buffer.byteLength(topic) <= 65_535
  );
}

/** Every kind of message, weighted so that each kind of trouble is well represented. */
export function anyMessage(
  ctx: FuzzContext,
  options: TopicOptions = { publishable: false },
): fc.Arbitrary<FuzzMessage> {
  const valid = validMessage(ctx).map(({ device, kind, payload }) => ({
    topic: topicOf(ctx, device.domain, device.id, kind),
    payload: Buffer.from(serialize(payload)),
    label: 'valid',
  }));
  return fc.oneof(
    { arbitrary: valid, weight: 2 },
    { arbitrary: mutatedMessage(ctx), weight: 4 },
    { arbitrary: hostilePayload(ctx), weight: 2 },
    { arbitrary: hostileTopic(ctx, options), weight: 2 },
  );
}

export { serialize };
