/** `GET /api/device-health`: health, battery and data completeness per device. */
import { Type, type Static } from '@sinclair/typebox';
import type { DeviceHealth } from '../live-messages.js';
import { NullableNumber } from './common.js';

export const DeviceHealthQuery = Type.Object({
  domain: Type.Optional(
    Type.Union([Type.Literal('waste'), Type.Literal('mobility'), Type.Literal('energy')]),
  ),
  site: Type.Optional(Type.String({ maxLength: 64 })),
});
export type DeviceHealthQuery = Static<typeof DeviceHealthQuery>;

/** Published as a string; typed as the values the server sends. */
export const HealthText = Type.Unsafe<DeviceHealth>(
  Type.String({ description: 'online, late, offline or unknown' }),
);

export const DeviceHealthRow = Type.Object({
  id: Type.String(),
  domain: Type.String(),
  site: Type.String(),
  pilot: Type.Union([Type.String(), Type.Null()]),
  health: HealthText,
  status: Type.Union([Type.String(), Type.Null()], { description: 'last reported status' }),
  last_seen: NullableNumber,
  battery_v: NullableNumber,
  seq_gaps: Type.Integer(),
  completeness_24h: Type.Number({ description: '0..1' }),
  completeness_7d: Type.Number({ description: '0..1' }),
  open_alerts: Type.Integer(),
});
export type DeviceHealthRow = Static<typeof DeviceHealthRow>;

export const DeviceHealthList = Type.Array(DeviceHealthRow);
