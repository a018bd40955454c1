/**
 * What the contract promises about any classified message, written independently of classify():
 * a rejection carries a known reason and a detail; an accepted message came from a registered
 * device in its own domain, and every number it carries is finite and inside the schema's range.
 */
import type { Registry } from '../../server/src/config/registry.js';
import {
  DEVICE_STATES,
  MAX_PAYLOAD_BYTES,
  METRICS,
  REJECT_REASONS,
  TelemetrySchemas,
  parseTopic,
  type Domain,
} from '../../server/src/contract/index.js';
import type { ClassifyOptions, Outcome } from '../../server/src/ingest/classify.js';

interface LooseSchema {
  minimum?: number;
  maximum?: number;
  properties?: Record<string, LooseSchema>;
}

/** The allowed range of a stored metric, read from the payload schema (the one source of truth). */
export function metricRange(domain: Domain, metric: string): { min: number; max: number } | undefined {
  const props = (TelemetrySchemas[domain] as LooseSchema).properties ?? {};
  let schema: LooseSchema | undefined = props[metric];
  if (domain === 'mobility' && metric !== 'interval_s') {
    const cut = metric.lastIndexOf('_');
    schema = props.counts?.properties?.[metric.slice(0, cut)]?.properties?.[metric.slice(cut + 1)];
  }
  if (schema?.minimum === undefined || schema.maximum === undefined) return undefined;
  return { min: schema.minimum, max: schema.maximum };
}

function parseObject(payload: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The value a payload gave for a stored metric, where it is copied rather than derived. */
function payloadValue(domain: Domain, json: Record<string, unknown>, metric: string): unknown {
  if (domain !== 'mobility' || metric === 'interval_s') return json[metric];
  const cut = metric.lastIndexOf('_');
  const counts = json.counts as Record<string, Record<string, unknown> | undefined>;
  return counts[metric.slice(0, cut)]?.[metric.slice(cut + 1)];
}

export function contractViolations(
  registry: Registry,
  options: ClassifyOptions,
  topic: string,
  payload: Buffer,
  now: number,
  outcome: Outcome,
): string[] {
  const bad: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) bad.push(what);
  };
  const parsed = parseTopic(options.topicRoot, topic);
  const inWindow = (ts: number) =>
    Number.isSafeInteger(ts) && ts >= now - options.maxAgeMs && ts <= now + options.maxFutureMs;

  if (!parsed.ok) {
    check(
      outcome.kind === 'rejected' && outcome.reason === 'topic_invalid',
      'a malformed topic is topic_invalid',
    );
    return bad;
  }
  if (payload.length > MAX_PAYLOAD_BYTES)
    check(
      outcome.kind === 'rejected' && outcome.reason === 'payload_too_large',
      'an oversize payload is payload_too_large',
    );

  if (outcome.kind === 'rejected') {
    check(
      (REJECT_REASONS as readonly string[]).includes(outcome.reason),
      `reason "${outcome.reason}" is listed`,
    );
    check(outcome.reason !== 'topic_invalid', 'a well-formed topic is not topic_invalid');
    check(
      typeof outcome.detail === 'string' && outcome.detail.length > 0 && outcome.detail.length <= 1000,
      'a rejection has a detail of 1..1000 characters',
    );
    return bad;
  }

  const { domain, deviceId, kind } = parsed.value;
  const device = registry.device(deviceId);
  check(device?.domain === domain, 'accepted only from a registered device in its own domain');
  check(payload.length <= MAX_PAYLOAD_BYTES, 'accepted only within the size limit');
  const json = parseObject(payload);
  if (!json) return [...bad, 'accepted only a JSON object'];

  switch (outcome.kind) {
    case 'reading': {
      const r = outcome.reading;
      check(kind === 'telemetry', 'a reading comes from a telemetry topic');
      check(r.device === deviceId && r.domain === domain && r.site === device?.site, 'device, domain, site');
      check(inWindow(r.ts), `ts ${r.ts} inside the ingest horizon`);
      check(
        json.seq === undefined
          ? r.seq === undefined
          : Number.isSafeInteger(r.seq) && (r.seq ?? -1) >= 0 && r.seq === json.seq,
        'seq as sent (a safe integer ≥ 0), or none',
      );
      check(r.simulated === (json.src === 'sim'), 'simulated flag follows src');
      const names = new Set(METRICS[domain].map((m) => m.name));
      check(Object.keys(r.metrics).length > 0, 'at least one metric');
      for (const [name, value] of Object.entries(r.metrics)) {
        const range = metricRange(domain, name);
        check(names.has(name), `metric ${name} belongs to ${domain}`);
        check(Number.isFinite(value), `metric ${name} is finite`);
        check(
          range !== undefined && value >= range.min && value <= range.max,
          `metric ${name}=${value} in range`,
        );
        // Fill may be derived from the ultrasonic distance; everything else is copied as sent.
        if (!(name === 'fill' && json.fill === undefined))
          check(Object.is(payloadValue(domain, json, name), value), `metric ${name} equals the payload's`);
      }
      return bad;
    }
    case 'status':
      check(kind === 'status', 'a status comes from a status topic');
      check(outcome.status.device === deviceId, 'status device');
      check((DEVICE_STATES as readonly string[]).includes(outcome.status.state), 'known state');
      check(inWindow(outcome.status.ts), 'status ts inside the horizon');
      return bad;
    case 'event':
      check(kind === 'event', 'an event comes from an event topic');
      check(outcome.event.device === deviceId, 'event device');
      check(/^[a-z][a-z0-9_]{0,63}$/.test(outcome.event.type), 'event type pattern');
      check(inWindow(outcome.event.ts), 'event ts inside the horizon');
      return bad;
  }
}
