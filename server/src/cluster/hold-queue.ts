/**
 * The reorder window of the cluster's live state. The broker spreads a shared subscription
 * round-robin, so one device's consecutive readings land on different instances, and each
 * instance learns of its peers' readings one exchange later. Fed straight in, the live
 * engine and the alert rules would see a device's readings out of order (and drop the late
 * ones as duplicates), each instance in a different order.
 *
 * Instead every reading, local or a peer's, waits until `holdMs` after the ingesting
 * instance received it, and what is due is released in timestamp order. All instances thus
 * release each reading at about the same moment and in the same order, and so compute the
 * same state. A peer's item never waits longer than `holdMs` after it arrives here, so a
 * peer whose clock runs ahead cannot hold the stream up; one that arrives after its slot
 * (a peer's clock behind, or a stalled exchange) is released at once and may be late.
 */
import type { DeviceEvent, DeviceStatusChange, Reading } from '../contract/index.js';

export type HeldItem =
  | { kind: 'reading'; value: Reading }
  | { kind: 'status'; value: DeviceStatusChange }
  | { kind: 'event'; value: DeviceEvent };

interface Slot {
  releaseAt: number;
  item: HeldItem;
}

export class HoldQueue {
  private slots: Slot[] = [];

  constructor(private readonly holdMs: number) {}

  get size(): number {
    return this.slots.length;
  }

  /** `receivedAt`: when the ingesting instance (this one or a peer) received the item. */
  push(item: HeldItem, receivedAt: number, now: number): void {
    this.slots.push({ releaseAt: Math.min(receivedAt, now) + this.holdMs, item });
  }

  /** The items due at `now`, oldest timestamp first. */
  release(now: number): HeldItem[] {
    if (this.slots.length === 0) return [];
    const due: Slot[] = [];
    const kept: Slot[] = [];
    for (const slot of this.slots) (slot.releaseAt <= now ? due : kept).push(slot);
    if (due.length === 0) return [];
    this.slots = kept;
    return ordered(due);
  }

  /** Everything still held (shutdown). */
  releaseAll(): HeldItem[] {
    const all = this.slots;
    this.slots = [];
    return ordered(all);
  }
}

function ordered(slots: Slot[]): HeldItem[] {
  // Stable: items with the same timestamp keep their arrival order.
  return slots.sort((a, b) => a.item.value.ts - b.item.value.ts).map((s) => s.item);
}
