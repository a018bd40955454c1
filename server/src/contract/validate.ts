/**
 * Compiled validators that return a reason instead of throwing. A range error
 * (minimum/maximum) is reported as `out_of_range`, anything else as `schema_violation`.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { EventPayload, StatusPayload, TelemetrySchemas, type TelemetryByDomain } from './payloads.js';
import type { Rejection } from './reasons.js';
import type { Domain } from './topics.js';

export type Checked<T> = { ok: true; value: T } | ({ ok: false } & Rejection);

const RANGE_ERRORS = new Set<ValueErrorType>([
  ValueErrorType.NumberMinimum,
  ValueErrorType.NumberMaximum,
  ValueErrorType.NumberExclusiveMinimum,
  ValueErrorType.NumberExclusiveMaximum,
  ValueErrorType.IntegerMinimum,
  ValueErrorType.IntegerMaximum,
  ValueErrorType.IntegerExclusiveMinimum,
  ValueErrorType.IntegerExclusiveMaximum,
]);

function describe(error: ValueError): string {
  const where = error.path === '' ? 'payload' : error.path;
  return `${where}: ${error.message}`;
}

export function compileValidator<S extends TSchema>(schema: S): (value: unknown) => Checked<Static<S>> {
  const compiled = TypeCompiler.Compile(schema);
  return (value) => {
    if (compiled.Check(value)) return { ok: true, value };
    const first = compiled.Errors(value).First();
    if (!first) return { ok: false, reason: 'schema_violation', detail: 'payload does not match the schema' };
    const reason = RANGE_ERRORS.has(first.type) ? 'out_of_range' : 'schema_violation';
    return { ok: false, reason, detail: describe(first) };
  };
}

const telemetryValidators = {
  waste: compileValidator(TelemetrySchemas.waste),
  mobility: compileValidator(TelemetrySchemas.mobility),
  energy: compileValidator(TelemetrySchemas.energy),
  weather: compileValidator(TelemetrySchemas.weather),
};

export function validateTelemetry<D extends Domain>(
  domain: D,
  value: unknown,
): Checked<TelemetryByDomain[D]> {
  return telemetryValidators[domain](value) as Checked<TelemetryByDomain[D]>;
}

export const validateStatus = compileValidator(StatusPayload);
export const validateEvent = compileValidator(EventPayload);

/** Parses a timestamp given as ISO 8601 text or epoch milliseconds; null when it is not a real time. */
export function parseTimestamp(ts: string | number): number | null {
  if (typeof ts === 'number') {
    // Epoch seconds (a common vendor mistake) would land in 1970: refuse anything before 2000.
    return Number.isSafeInteger(ts) && ts >= 946_684_800_000 ? ts : null;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(ts)) return null;
  const ms = Date.parse(ts);
  return Number.isFinite(ms) && ms >= 946_684_800_000 ? ms : null;
}
