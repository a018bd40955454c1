/**
 * What a source format does: find, in one message of a real device's system, which device it is
 * about (candidate external ids), when it was measured, its sequence counter where the system has
 * one, and the decoded object a device's JSONata map reads. Formats never throw on input.
 */
import type { RejectReason } from '../../contract/index.js';
import type { Domain } from '../../contract/index.js';

export interface FormatContext {
  /** The topic the message arrived on. */
  topic: string;
  /** The source's topic filter as configured (with `{device}` for the json format). */
  filter: string;
  /** The portfolio's time zone, for device clocks without an offset (Tasmota). */
  timeZone: string;
  now: number;
}

export interface SourceReading {
  /** Names the source may know the device by, most specific first; matched case-insensitively. */
  externalIds: string[];
  /** The input of the device's map. */
  object: unknown;
  /** Contract fields from the envelope (ts, seq, src); the map's output overrides them. */
  base: Record<string, unknown>;
  /** Contract fields the format derives by itself, used when the device has no map (Tasmota, Shelly). */
  fields?: Record<string, unknown>;
}

export type Decoded =
  | { ok: true; readings: SourceReading[] }
  /** A message of the system that carries no measurement (a Shelly's Wi-Fi status): acknowledged and counted, not a dead letter. */
  | { ok: true; ignored: string }
  | { ok: false; reason: RejectReason; detail: string };

export interface SourceFormat {
  /** The usual topic filter of this system (undefined: the source must name one). */
  defaultTopic: string | undefined;
  /** A SenML pack is a JSON array; every other format is a JSON object. */
  acceptsArray: boolean;
  /** The domain the format's own conversion yields when a device has no map; undefined: the object is taken as is. */
  builtInDomain: Domain | undefined;
  decode(message: unknown, ctx: FormatContext): Decoded;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function mismatch(detail: string): Decoded {
  return { ok: false, reason: 'format_mismatch', detail };
}

export function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A number, or the sum of an array of numbers (multi-channel meters report one value per channel). */
export function total(value: unknown): number | undefined {
  if (Array.isArray(value)) {
    const numbers = value.map(finite);
    return numbers.length > 0 && numbers.every((n) => n !== undefined)
      ? numbers.reduce<number>((a, n) => a + n, 0)
      : undefined;
  }
  return finite(value);
}

/** Keeps only the fields that have a value. */
export function defined(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out;
}

/** Epoch ms from epoch seconds with a fraction (SenML, Shelly), rounded to the millisecond. */
export function secondsToMs(seconds: number): number {
  return Math.round(seconds * 1000);
}
