/**
 * The pure ingest step: one MQTT message in, one outcome out (a reading, a
 * status change, an event, or a rejection with its reason). Never throws on input.
 */
import {
  MAX_PAYLOAD_BYTES,
  parseTimestamp,
  parseTopic,
  validateEvent,
  validateStatus,
  validateTelemetry,
  type DeviceEvent,
  type DeviceStatusChange,
  type Domain,
  type MessageKind,
  type Reading,
  type RejectReason,
} from '../contract/index.js';
import type { DeviceConfig } from '../config/portfolio-schema.js';
import type { Registry } from '../config/registry.js';
import { metricsFor } from './normalise.js';

export interface ClassifyOptions {
  topicRoot: string;
  maxAgeMs: number;
  maxFutureMs: number;
}

export type Outcome =
  | { kind: 'reading'; reading: Reading }
  | { kind: 'status'; status: DeviceStatusChange }
  | { kind: 'event'; event: DeviceEvent }
  | { kind: 'rejected'; reason: RejectReason; detail: string; device?: string };

export function reject(reason: RejectReason, detail: string, device?: string): Outcome {
  return device === undefined
    ? { kind: 'rejected', reason, detail }
    : { kind: 'rejected', reason, detail, device };
}

/** The payload parsed as JSON, or the json_malformed rejection. */
export function parseJson(
  payload: Buffer,
  device?: string,
): { ok: true; value: unknown } | { ok: false; outcome: Outcome } {
  try {
    return { ok: true, value: JSON.parse(payload.toString('utf8')) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : 'not JSON';
    return { ok: false, outcome: reject('json_malformed', message.slice(0, 200), device) };
  }
}

/** The payload as a JSON object, or the rejection (json_malformed, not_an_object). */
export function parseJsonObject(
  payload: Buffer,
  device?: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; outcome: Outcome } {
  const parsed = parseJson(payload, device);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      outcome: reject(
        'not_an_object',
        `expected a JSON object, got ${Array.isArray(value) ? 'array' : typeof value}`,
        device,
      ),
    };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

function checkTime(
  ts: string | number,
  now: number,
  options: Pick<ClassifyOptions, 'maxAgeMs' | 'maxFutureMs'>,
  device: string,
): number | Outcome {
  const ms = parseTimestamp(ts);
  if (ms === null)
    return reject(
      'ts_invalid',
      `ts: expected ISO 8601 or epoch milliseconds after 2000, got ${JSON.stringify(ts).slice(0, 60)}`,
      device,
    );
  if (ms > now + options.maxFutureMs)
    return reject('ts_in_future', `ts is ${Math.round((ms - now) / 1000)} s in the future`, device);
  if (ms < now - options.maxAgeMs)
    return reject(
      'ts_too_old',
      `ts is older than the ${Math.round(options.maxAgeMs / 86_400_000)}-day horizon`,
      device,
    );
  return ms;
}

type Located = { ok: true; device: DeviceConfig; kind: MessageKind } | { ok: false; outcome: Outcome };

/** The topic's device, registered under the topic's domain. */
function locate(registry: Registry, options: ClassifyOptions, topic: string, size: number): Located {
  const parsedTopic = parseTopic(options.topicRoot, topic);
  if (!parsedTopic.ok) return { ok: false, outcome: reject('topic_invalid', parsedTopic.reason) };
  const { domain, deviceId, kind } = parsedTopic.value;
  if (size > MAX_PAYLOAD_BYTES) {
    return {
      ok: false,
      outcome: reject(
        'payload_too_large',
        `${size} bytes exceeds the ${MAX_PAYLOAD_BYTES}-byte limit`,
        deviceId,
      ),
    };
  }
  const device = registry.device(deviceId);
  if (!device)
    return {
      ok: false,
      outcome: reject('unknown_device', `${deviceId} is not in the portfolio registry`, deviceId),
    };
  if (device.domain !== domain) {
    return {
      ok: false,
      outcome: reject(
        'domain_mismatch',
        `${deviceId} is a ${device.domain} device, published under ${domain}`,
        deviceId,
      ),
    };
  }
  return { ok: true, device, kind };
}

export function classify(
  registry: Registry,
  options: ClassifyOptions,
  topic: string,
  payload: Buffer,
  now: number,
): Outcome {
  const located = locate(registry, options, topic, payload.length);
  if (!located.ok) return located.outcome;
  const json = parseJsonObject(payload, located.device.id);
  if (!json.ok) return json.outcome;
  return classifyParsed(located.device, located.kind, json.value, now, options);
}

/**
 * The same for a payload already parsed into an object by an in-process producer (the demo's
 * history fill), which would otherwise serialise every reading only for it to be parsed again.
 */
export function classifyObject(
  registry: Registry,
  options: ClassifyOptions,
  topic: string,
  value: Record<string, unknown>,
  now: number,
): Outcome {
  const located = locate(registry, options, topic, 0);
  if (!located.ok) return located.outcome;
  return classifyParsed(located.device, located.kind, value, now, options);
}

function classifyParsed(
  device: DeviceConfig,
  kind: MessageKind,
  value: Record<string, unknown>,
  now: number,
  options: ClassifyOptions,
): Outcome {
  // From here on the registry's own strings: the topic's substrings would keep each message's topic
  // alive in every per-device structure keyed or labelled by them (50,000 devices, 50,000 topics).
  const id = device.id;
  if (kind === 'status') return classifyStatus(device.domain, id, value, now, options);
  if (kind === 'event') return classifyEvent(device.domain, id, value, now, options);

  return classifyTelemetry(device, value, now, options);
}

/**
 * A telemetry payload of a known device → a reading or a rejection: validation against the contract,
 * the time window, normalisation. Native messages and source messages (server/src/sources/) share it.
 */
export function classifyTelemetry(
  device: DeviceConfig,
  payload: unknown,
  now: number,
  options: Pick<ClassifyOptions, 'maxAgeMs' | 'maxFutureMs'>,
): Outcome {
  const id = device.id;
  const checked = validateTelemetry(device.domain, payload);
  if (!checked.ok) return reject(checked.reason, checked.detail, id);
  const ts = checkTime(checked.value.ts, now, options, id);
  if (typeof ts !== 'number') return ts;
  const metrics = metricsFor(device, checked.value);
  if (!metrics.ok) return reject(metrics.reason, metrics.detail, id);
  return {
    kind: 'reading',
    reading: {
      device: id,
      domain: device.domain,
      site: device.site,
      ts,
      seq: checked.value.seq,
      metrics: metrics.metrics,
      simulated: checked.value.src === 'sim',
      receivedAt: now,
    },
  };
}

function classifyStatus(
  domain: Domain,
  deviceId: string,
  value: unknown,
  now: number,
  options: ClassifyOptions,
): Outcome {
  const checked = validateStatus(value);
  if (!checked.ok) return reject(checked.reason, checked.detail, deviceId);
  let ts = now;
  if (checked.value.ts !== undefined) {
    const parsed = checkTime(checked.value.ts, now, options, deviceId);
    if (typeof parsed !== 'number') return parsed;
    ts = parsed;
  }
  const status: DeviceStatusChange = { device: deviceId, domain, state: checked.value.state, ts };
  if (checked.value.reason !== undefined) status.reason = checked.value.reason;
  return { kind: 'status', status };
}

function classifyEvent(
  domain: Domain,
  deviceId: string,
  value: unknown,
  now: number,
  options: ClassifyOptions,
): Outcome {
  const checked = validateEvent(value);
  if (!checked.ok) return reject(checked.reason, checked.detail, deviceId);
  const ts = checkTime(checked.value.ts, now, options, deviceId);
  if (typeof ts !== 'number') return ts;
  const event: DeviceEvent = { device: deviceId, domain, type: checked.value.type, ts };
  if (checked.value.detail !== undefined) event.detail = checked.value.detail;
  return { kind: 'event', event };
}
