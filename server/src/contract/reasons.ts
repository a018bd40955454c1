/** Why a message was rejected. Stable names: they appear in /api/ingest/stats and dead letters. */
const CONTRACT_REASONS = [
  'topic_invalid',
  'unknown_device',
  'domain_mismatch',
  'payload_too_large',
  'json_malformed',
  'not_an_object',
  'schema_violation',
  'out_of_range',
  'ts_invalid',
  'ts_in_future',
  'ts_too_old',
  'calibration_missing',
] as const;

/** Reasons only a source's message (portfolio `sources:`, server/src/sources/) can be given. */
export const SOURCE_REJECT_REASONS = ['format_mismatch', 'unknown_external_id', 'map_failed'] as const;

export const REJECT_REASONS = [...CONTRACT_REASONS, ...SOURCE_REJECT_REASONS] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Rejection {
  reason: RejectReason;
  detail: string;
}
