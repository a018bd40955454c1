/** `GET /api/series`: bucketed history of one metric for a device, a site or a pilot, in columns. */
import { Type, type Static } from '@sinclair/typebox';
import { METRIC_NAME_PATTERN } from '../metrics.js';
import { AGGREGATES } from '../../store/port.js';
import { MAX_EPOCH_MS, type ClientQuery } from './common.js';

const DAY_MS = 86_400_000;

export const SeriesQuery = Type.Object({
  device: Type.Optional(Type.String({ maxLength: 64 })),
  site: Type.Optional(Type.String({ maxLength: 64 })),
  pilot: Type.Optional(Type.String({ maxLength: 64 })),
  metric: Type.String({ pattern: METRIC_NAME_PATTERN.source }),
  from: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: MAX_EPOCH_MS,
      description: 'epoch ms, inclusive; default to − 24 h',
    }),
  ),
  to: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_EPOCH_MS, description: 'epoch ms, exclusive; default now' }),
  ),
  step: Type.Optional(
    Type.Integer({ minimum: 1000, maximum: 366 * DAY_MS, description: 'bucket width in ms' }),
  ),
  agg: Type.Union(
    AGGREGATES.map((a) => Type.Literal(a)),
    { default: 'mean' },
  ),
  by: Type.Optional(
    Type.Literal('device', { description: 'split a site or pilot into one series per device' }),
  ),
});
export type SeriesQuery = ClientQuery<Static<typeof SeriesQuery>, 'agg'>;

export const SeriesResponse = Type.Object({
  t: Type.Array(Type.Integer(), { description: 'bucket starts, epoch ms' }),
  step: Type.Integer(),
  agg: Type.String(),
  series: Type.Array(
    Type.Object({
      key: Type.String(),
      metric: Type.String(),
      values: Type.Array(Type.Union([Type.Number(), Type.Null()])),
    }),
  ),
});
export type SeriesResponse = Static<typeof SeriesResponse>;
