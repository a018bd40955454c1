/** `GET /api/public/indicators`: the public pilots' live indicators, for anyone (public mode only). */
import { Type, type Static } from '@sinclair/typebox';
import type { LiveEntity } from '../live-messages.js';
import { Text } from './common.js';
import { PilotDomainText } from './portfolio.js';

export const PublicPilot = Type.Object({
  id: Type.String(),
  domain: PilotDomainText,
  name: Text,
  reporting_interval_s: Type.Integer({ description: 'shortest among its devices' }),
  entity: Type.Unsafe<LiveEntity | null>(
    Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  ),
});
export type PublicPilot = Static<typeof PublicPilot>;

export const PublicIndicators = Type.Object({ pilots: Type.Array(PublicPilot) });
export type PublicIndicators = Static<typeof PublicIndicators>;
