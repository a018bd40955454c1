/**
 * Running totals of a site or pilot over its devices' current entities. A waste pilot of 50,000
 * bins is re-sent in nearly every frame; counting its bins afresh each time cost about 20 ms a
 * frame, so each remade device entity moves its own share instead (O(1) per device change).
 */
import type { DeviceEntity } from '../contract/index.js';
import { OVERFLOW_FILL } from '../domains/waste/fill-thresholds.js';
import { isFull } from '../domains/waste/waste-state.js';

export interface GroupTally {
  /** Whether the group's devices' `fill` values are summed (a group of bins, see LiveGroups.tallyFill). */
  readonly fills: boolean;
  /** Devices whose entity says online. */
  online: number;
  /** Newest lastSeen of any device (device times only ever move forward). */
  lastSeen: number | null;
  /** Bins with a fill value, their sum, and how many are full or overflowing. */
  reporting: number;
  fillSum: number;
  full: number;
  overflowing: number;
}

export function emptyTally(fills: boolean): GroupTally {
  return { fills, online: 0, lastSeen: null, reporting: 0, fillSum: 0, full: 0, overflowing: 0 };
}

/** Adds (sign 1) or takes away (sign −1) one device entity's share. */
export function count(tally: GroupTally, entity: DeviceEntity, sign: 1 | -1): void {
  if (entity.health === 'online') tally.online += sign;
  if (sign === 1 && entity.lastSeen !== null && (tally.lastSeen === null || entity.lastSeen > tally.lastSeen))
    tally.lastSeen = entity.lastSeen;
  const fill = tally.fills ? entity.values.fill : undefined;
  if (fill === undefined) return;
  tally.reporting += sign;
  tally.fillSum += sign * fill;
  if (isFull(fill)) tally.full += sign;
  if (fill >= OVERFLOW_FILL) tally.overflowing += sign;
}

/** Empties the tally, for a recount from every device (which also clears rounding drift of fillSum). */
export function resetTally(tally: GroupTally): void {
  Object.assign(tally, emptyTally(tally.fills));
}
