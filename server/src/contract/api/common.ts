/** Building blocks of the REST schemas that several areas share. */
import { Type, type Static } from '@sinclair/typebox';

/** A name or sentence in both of the dashboard's languages. */
export const Text = Type.Object({ en: Type.String(), ka: Type.String() });
export type Text = Static<typeof Text>;

export const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

/**
 * Latest time a query may name (the end of year 9999). Without a bound a `to` such as 1e23 passed the
 * integer check, and at that magnitude `t += step` stops advancing: the bucket loop never ended.
 */
export const MAX_EPOCH_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A query as a client may write it: the fields in `K` have a server default and may be left out. */
export type ClientQuery<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/** Every 4xx and 5xx answer (server/src/http/errors.ts): a code, a sentence, and the parameter at fault. */
export const ErrorBody = Type.Object({
  error: Type.String(),
  message: Type.String(),
  parameter: Type.Optional(Type.String()),
});
export type ErrorBody = Static<typeof ErrorBody>;
