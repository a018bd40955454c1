/** Why a message was rejected. Stable names: they appear in /api/ingest/stats and dead letters. */
export const REJECT_REASONS = [
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
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Rejection {
  reason: RejectReason;
  detail: string;
}
