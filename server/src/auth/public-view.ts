/**
 * Public read-only mode (the `public:` section of the portfolio): anonymous visitors may see the
 * live pilot-level indicators of the pilots listed there, through `GET /api/public/indicators` and
 * an anonymous `/ws` whose snapshot and deltas hold only those entities. Devices, sites, alerts,
 * history and exports stay behind sign-in.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { LiveEntity } from '../contract/index.js';
import { ConfigError } from '../config/config-error.js';

export const PublicConfig = Type.Object(
  {
    enabled: Type.Boolean(),
    /** Pilot ids whose pilot-level indicators anonymous visitors may read. */
    pilots: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' }))),
  },
  { additionalProperties: false },
);
export type PublicConfig = Static<typeof PublicConfig>;

export function checkPublicReferences(
  portfolio: { pilots: { id: string }[]; public?: PublicConfig },
  label: string,
): void {
  const config = portfolio.public;
  if (!config) return;
  const known = new Set(portfolio.pilots.map((p) => p.id));
  (config.pilots ?? []).forEach((id, i) => {
    if (!known.has(id))
      throw new ConfigError(`${label}:/public/pilots/${i}`, `expected a known pilot, got "${id}"`);
  });
  if (config.enabled && (config.pilots ?? []).length === 0)
    throw new ConfigError(
      `${label}:/public/pilots`,
      'expected at least one pilot when public.enabled is true',
    );
}

/** What an anonymous client may see; also a live-hub scope (its key groups clients that share frames). */
export class PublicView {
  readonly key = 'public';
  readonly pilots: ReadonlySet<string>;

  constructor(
    readonly enabled: boolean,
    pilots: readonly string[],
  ) {
    this.pilots = new Set(enabled ? pilots : []);
  }

  static of(config: PublicConfig | undefined): PublicView {
    return new PublicView(config?.enabled ?? false, config?.pilots ?? []);
  }

  allows(entity: LiveEntity): boolean {
    return entity.scope === 'pilot' && this.pilots.has(entity.id);
  }
}
