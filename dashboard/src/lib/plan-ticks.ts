/**
 * A crew's ticks on the collection plan: which bins were collected today. Kept in this browser
 * only (localStorage), one list per city day, never sent to the server; the server sees the
 * collection itself in the bin's next readings. Days older than a week are dropped.
 */
const PREFIX = 'kutaisi.plan.';
const KEEP_DAYS = 7;

export interface TickStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  readonly length: number;
  key(index: number): string | null;
}

export function loadTicks(storage: TickStorage | undefined, day: string): Set<string> {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(PREFIX + day) ?? '[]');
    return new Set(Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : []);
  } catch {
    return new Set();
  }
}

/** Saves the day's ticks and forgets days older than a week. False when the browser refused. */
export function saveTicks(
  storage: TickStorage | undefined,
  day: string,
  ticks: ReadonlySet<string>,
): boolean {
  if (!storage) return false;
  try {
    if (ticks.size === 0) storage.removeItem(PREFIX + day);
    else storage.setItem(PREFIX + day, JSON.stringify([...ticks].sort()));
    const oldest = Date.parse(`${day}T00:00:00Z`) - KEEP_DAYS * 86_400_000;
    const stale: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key?.startsWith(PREFIX) && Date.parse(`${key.slice(PREFIX.length)}T00:00:00Z`) < oldest)
        stale.push(key);
    }
    for (const key of stale) storage.removeItem(key);
    return true;
  } catch {
    return false;
  }
}

/** Deletes every day's ticks (signing out). */
export function forgetTicks(storage: TickStorage | undefined): void {
  if (!storage) return;
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(PREFIX)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
}

export function toggled(ticks: ReadonlySet<string>, device: string, done: boolean): Set<string> {
  const next = new Set(ticks);
  if (done) next.add(device);
  else next.delete(device);
  return next;
}

/** Bins left to collect: in the plan and not ticked, per site and in all. */
export function remaining(
  sites: readonly { site: string; bins: readonly { device: string }[] }[],
  ticks: ReadonlySet<string>,
): { total: number; left: number; bySite: Map<string, { total: number; left: number }> } {
  const bySite = new Map<string, { total: number; left: number }>();
  let total = 0;
  let left = 0;
  for (const s of sites) {
    const siteLeft = s.bins.filter((b) => !ticks.has(b.device)).length;
    bySite.set(s.site, { total: s.bins.length, left: siteLeft });
    total += s.bins.length;
    left += siteLeft;
  }
  return { total, left, bySite };
}
