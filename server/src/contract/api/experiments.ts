/** Experiments and their evidence: the list, the effects per KPI and method, the report and the export. */
import { Type, type Static } from '@sinclair/typebox';
import { MAX_EPOCH_MS, NullableNumber, Text } from './common.js';

const Period = Type.Object({ from: Type.String(), to: Type.String() });

export const ExperimentSummary = Type.Object({
  id: Type.String(),
  pilot: Type.String(),
  domain: Type.String(),
  question: Text,
  intervention: Text,
  intervention_sites: Type.Array(Type.String()),
  control_sites: Type.Array(Type.String()),
  baseline: Period,
  start: Type.String(),
  kpis: Type.Array(Type.String()),
});
export type ExperimentSummary = Static<typeof ExperimentSummary>;

export const ExperimentList = Type.Array(ExperimentSummary);

export const EffectNote = Type.Object({
  code: Type.String({ description: 'plain-words diagnostic; dashboard i18n key exp.note.<code>' }),
  params: Type.Optional(Type.Record(Type.String(), Type.Number())),
});
export type EffectNote = Static<typeof EffectNote>;

export const Effect = Type.Object({
  kpi: Type.String(),
  estimate: NullableNumber,
  ci_low: NullableNumber,
  ci_high: NullableNumber,
  unit: Type.String(),
  method: Type.String({
    description:
      'before_after, difference_in_differences, round_replay (waste), ipmvp_option_c or comparison_group (energy)',
  }),
  n: Type.Integer({ description: 'site-days (or building-days) used' }),
  diagnostics: Type.Record(Type.String(), Type.Unknown()),
  notes: Type.Array(EffectNote),
});
export type Effect = Static<typeof Effect>;

export const ArmSeries = Type.Object({
  dates: Type.Array(Type.String()),
  intervention: Type.Array(NullableNumber),
  control: Type.Array(NullableNumber),
});
export type ArmSeries = Static<typeof ArmSeries>;

export const EffectsResponse = Type.Object({
  experiment: Type.String(),
  baseline_dates: Period,
  reporting_dates: Type.Union([Period, Type.Null()]),
  effects: Type.Array(Effect),
  data_quality: Type.Record(Type.String(), Type.Unknown()),
  not_estimated: Type.Array(Type.Object({ kpi: Type.String(), reason: Type.String() })),
  temperature: Type.Optional(
    Type.Object(
      {
        kind: Type.Union([Type.Literal('station'), Type.Literal('normals')]),
        name: Type.String({ description: 'the station ids, or the normals used when no station had data' }),
        coverage: Type.Array(
          Type.Object({ station: Type.String(), days: Type.Integer(), imported_days: Type.Integer() }),
        ),
      },
      { description: 'energy experiments: where the daily outdoor temperatures came from' },
    ),
  ),
  series: Type.Record(Type.String(), ArmSeries, {
    description: 'per KPI: the pooled daily value of each arm (Σ numerator / Σ denominator)',
  }),
});
export type EffectsResponse = Static<typeof EffectsResponse>;

export const ExperimentParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export type ExperimentParams = Static<typeof ExperimentParams>;

// Bounded like the series range: past year 9999 a time is not a date, and the calendar code threw (a 500).
const RangeFrom = Type.Optional(
  Type.Integer({ minimum: 0, maximum: MAX_EPOCH_MS, description: 'epoch ms; default the baseline start' }),
);
const RangeTo = Type.Optional(
  Type.Integer({
    minimum: 1,
    maximum: MAX_EPOCH_MS,
    description: 'epoch ms, exclusive; default the start of today',
  }),
);

export const EffectsQuery = Type.Object({ from: RangeFrom, to: RangeTo });
export type EffectsQuery = Static<typeof EffectsQuery>;

export const ReportQuery = Type.Object({
  lang: Type.Union([Type.Literal('en'), Type.Literal('ka')], { default: 'en' }),
  to: RangeTo,
});
export type ReportQuery = Static<typeof ReportQuery>;

export const ExportQuery = Type.Object({
  from: RangeFrom,
  to: RangeTo,
  format: Type.Union(
    [Type.Literal('csv'), Type.Literal('json'), Type.Literal('zip'), Type.Literal('parquet')],
    {
      default: 'csv',
      description:
        'csv: daily KPI values; json: definition and results; zip: definition.json, results.json, effects.csv, daily.csv; parquet: daily KPI values',
    },
  ),
});
export type ExportQuery = Static<typeof ExportQuery>;
