/** `GET /api/waste/collection-plan`: bins to collect, ranked by predicted time to full, by site. */
import { Type, type Static } from '@sinclair/typebox';
import { NullableNumber, Text, type ClientQuery } from './common.js';

export const CollectionPlanQuery = Type.Object({
  horizon: Type.String({ default: '24h', maxLength: 16 }),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
  lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('ka')])),
});
export type CollectionPlanQuery = ClientQuery<Static<typeof CollectionPlanQuery>, 'horizon'>;

export const PlannedBin = Type.Object({
  device: Type.String(),
  fill: Type.Number({ description: '0..1, the latest reading' }),
  fill_rate_per_h: NullableNumber,
  predicted_full_at: NullableNumber,
  hours_to_full: NullableNumber,
  last_reading: Type.Number(),
  reason: Type.Union([
    Type.Literal('overflowing'),
    Type.Literal('above_threshold'),
    Type.Literal('predicted_full'),
  ]),
});
export type PlannedBin = Static<typeof PlannedBin>;

export const CollectionPlan = Type.Object({
  generated_at: Type.Number({ description: 'epoch ms' }),
  horizon_h: Type.Number(),
  sites: Type.Array(Type.Object({ site: Type.String(), name: Text, bins: Type.Array(PlannedBin) })),
});
export type CollectionPlan = Static<typeof CollectionPlan>;

/** The plan, or with `format=csv` (or `Accept: text/csv`) the same as a CSV download. */
export const CollectionPlanResponse = Type.Union([
  CollectionPlan,
  Type.String({ description: 'the CSV (format=csv)' }),
]);
