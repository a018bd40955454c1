/**
 * Payload schemas for every message kind. Ranges live in the schemas so that a
 * value outside them is reported as `out_of_range` rather than a type error.
 * Extra top-level fields are allowed: vendors add their own.
 */
import { Type, type Static } from '@sinclair/typebox';

export const MAX_PAYLOAD_BYTES = 16 * 1024;

/** ISO 8601 string or epoch milliseconds; checked further by the normaliser. */
export const Timestamp = Type.Union([Type.String({ minLength: 10, maxLength: 40 }), Type.Integer()], {
  description: 'ISO 8601 or epoch milliseconds',
});

const Seq = Type.Integer({
  minimum: 0,
  maximum: Number.MAX_SAFE_INTEGER,
  description: 'per-device counter; where sent, gaps are counted',
});
const Src = Type.Optional(Type.Literal('sim', { description: 'marks simulated readings' }));

/** Only `ts` and the domain's measurement are required: real sensors differ in what else they send. */
const common = { ts: Timestamp, seq: Type.Optional(Seq), src: Src };

export const WasteTelemetry = Type.Object(
  {
    ...common,
    fill: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'fill fraction 0..1' })),
    distance_mm: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000, description: 'ultrasonic range' })),
    battery_v: Type.Optional(Type.Number({ minimum: 0, maximum: 15 })),
    temp_c: Type.Optional(Type.Number({ minimum: -50, maximum: 150 })),
    tilt_deg: Type.Optional(Type.Number({ minimum: 0, maximum: 180 })),
  },
  { additionalProperties: true },
);
export type WasteTelemetry = Static<typeof WasteTelemetry>;

export const TRAVEL_CLASSES = ['pedestrian', 'bicycle', 'escooter', 'car', 'bus'] as const;
export type TravelClass = (typeof TRAVEL_CLASSES)[number];
export const DIRECTIONS = ['in', 'out'] as const;
export type Direction = (typeof DIRECTIONS)[number];

const Count = Type.Integer({ minimum: 0, maximum: 1_000_000 });
const DirectionCounts = Type.Object({ in: Count, out: Count }, { additionalProperties: false });

export const MobilityTelemetry = Type.Object(
  {
    ...common,
    interval_s: Type.Integer({ minimum: 1, maximum: 86_400, description: 'length of the counting interval' }),
    counts: Type.Object(
      {
        pedestrian: Type.Optional(DirectionCounts),
        bicycle: Type.Optional(DirectionCounts),
        escooter: Type.Optional(DirectionCounts),
        car: Type.Optional(DirectionCounts),
        bus: Type.Optional(DirectionCounts),
      },
      { additionalProperties: true, minProperties: 1 },
    ),
  },
  { additionalProperties: true, description: 'ts is the end of the interval' },
);
export type MobilityTelemetry = Static<typeof MobilityTelemetry>;

export const EnergyTelemetry = Type.Object(
  {
    ...common,
    energy_kwh: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1e10, description: 'cumulative import register' }),
    ),
    power_kw: Type.Optional(Type.Number({ minimum: -100_000, maximum: 100_000 })),
    export_kwh: Type.Optional(Type.Number({ minimum: 0, maximum: 1e10 })),
  },
  { additionalProperties: true, description: 'energy_kwh and/or power_kw' },
);
export type EnergyTelemetry = Static<typeof EnergyTelemetry>;

/**
 * A weather station (energy's weather normalisation reads it). `temp_c` is the air temperature at
 * `ts`, or, with `interval_s`, its mean over the interval ending at `ts` (a meteorological service's
 * daily mean is `interval_s: 86400` ending at the next local midnight). `rain_mm` is the rain since
 * the station's previous reading.
 */
export const WeatherTelemetry = Type.Object(
  {
    ...common,
    seq: Type.Optional(Seq),
    temp_c: Type.Number({ minimum: -60, maximum: 60, description: 'air temperature, °C' }),
    interval_s: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 86_400, description: 'temp_c is a mean over this interval' }),
    ),
    humidity_pct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    rain_mm: Type.Optional(Type.Number({ minimum: 0, maximum: 500 })),
    wind_ms: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: true },
);
export type WeatherTelemetry = Static<typeof WeatherTelemetry>;

export const DEVICE_STATES = ['online', 'offline', 'lost'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export const StatusPayload = Type.Object(
  {
    state: Type.Union(DEVICE_STATES.map((s) => Type.Literal(s))),
    ts: Type.Optional(Timestamp),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: true },
);
export type StatusPayload = Static<typeof StatusPayload>;

export const EventPayload = Type.Object(
  {
    ts: Timestamp,
    type: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$' }),
    detail: Type.Optional(Type.Unknown()),
    src: Src,
  },
  { additionalProperties: true },
);
export type EventPayload = Static<typeof EventPayload>;

export const TelemetrySchemas = {
  waste: WasteTelemetry,
  mobility: MobilityTelemetry,
  energy: EnergyTelemetry,
  weather: WeatherTelemetry,
} as const;

export interface TelemetryByDomain {
  waste: WasteTelemetry;
  mobility: MobilityTelemetry;
  energy: EnergyTelemetry;
  weather: WeatherTelemetry;
}
