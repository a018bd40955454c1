/** `GET /api/devices` and `GET /api/devices/:id`: the registry joined with live state. */
import { Type, type Static } from '@sinclair/typebox';
import { DEVICE_ID_PATTERN, DOMAINS } from '../topics.js';
import { HealthText } from './device-health.js';

export const DeviceListQuery = Type.Object({
  domain: Type.Optional(Type.Union(DOMAINS.map((d) => Type.Literal(d)))),
  site: Type.Optional(Type.String({ maxLength: 64 })),
  pilot: Type.Optional(Type.String({ maxLength: 64 })),
});
export type DeviceListQuery = Static<typeof DeviceListQuery>;

export const DeviceIdParams = Type.Object({ id: Type.String({ pattern: DEVICE_ID_PATTERN.source }) });
export type DeviceIdParams = Static<typeof DeviceIdParams>;

export const DeviceSummary = Type.Object({
  id: Type.String(),
  domain: Type.String(),
  kind: Type.String({ description: 'bin, counter, meter or station' }),
  site: Type.String(),
  pilot: Type.Union([Type.String(), Type.Null()], { description: 'null for a weather station' }),
  arm: Type.String({ description: 'intervention, control or none, from the registry at query time' }),
  last_seen: Type.Union([Type.Integer(), Type.Null()], { description: 'epoch ms of the newest reading' }),
  health: HealthText,
  reporting_interval_s: Type.Integer(),
});
export type DeviceSummary = Static<typeof DeviceSummary>;

export const DeviceList = Type.Array(DeviceSummary);

export const DeviceDetail = Type.Composite([
  DeviceSummary,
  Type.Object({
    status: Type.Union([Type.String(), Type.Null()]),
    seq_gaps: Type.Integer(),
    config: Type.Record(Type.String(), Type.Unknown()),
    values: Type.Record(Type.String(), Type.Object({ value: Type.Number(), ts: Type.Integer() })),
  }),
]);
export type DeviceDetail = Static<typeof DeviceDetail>;
