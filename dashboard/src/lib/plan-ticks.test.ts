import { describe, expect, it } from 'vitest';
import { forgetTicks, loadTicks, remaining, saveTicks, toggled, type TickStorage } from './plan-ticks.js';

class MemoryStorage implements TickStorage {
  private map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
  keys() {
    return [...this.map.keys()].sort();
  }
}

describe('collection plan ticks', () => {
  it('keeps a day’s ticks in the browser, separately per day', () => {
    const storage = new MemoryStorage();
    let ticks = toggled(loadTicks(storage, '2026-12-04'), 'bin-nikea-01', true);
    ticks = toggled(ticks, 'bin-nikea-02', true);
    ticks = toggled(ticks, 'bin-nikea-01', false);
    expect(saveTicks(storage, '2026-12-04', ticks)).toBe(true);
    expect([...loadTicks(storage, '2026-12-04')]).toEqual(['bin-nikea-02']);
    expect(loadTicks(storage, '2026-12-05').size).toBe(0);
  });

  it('drops days older than a week, and everything on sign-out', () => {
    const storage = new MemoryStorage();
    saveTicks(storage, '2026-11-20', new Set(['a']));
    saveTicks(storage, '2026-11-30', new Set(['b']));
    storage.setItem('kutaisi.lang', 'ka');
    saveTicks(storage, '2026-12-04', new Set(['c']));
    expect(storage.keys()).toEqual(['kutaisi.lang', 'kutaisi.plan.2026-11-30', 'kutaisi.plan.2026-12-04']);
    forgetTicks(storage);
    expect(storage.keys()).toEqual(['kutaisi.lang']);
  });

  it('survives a refusing or corrupt store', () => {
    const storage = new MemoryStorage();
    storage.setItem('kutaisi.plan.2026-12-04', '{not json');
    expect(loadTicks(storage, '2026-12-04').size).toBe(0);
    expect(loadTicks(undefined, '2026-12-04').size).toBe(0);
    expect(saveTicks(undefined, '2026-12-04', new Set(['a']))).toBe(false);
  });

  it('counts what is left, by site', () => {
    const sites = [
      { site: 'nikea', bins: [{ device: 'n1' }, { device: 'n2' }] },
      { site: 'bagrati', bins: [{ device: 'b1' }] },
    ];
    const left = remaining(sites, new Set(['n2', 'b1']));
    expect(left.total).toBe(3);
    expect(left.left).toBe(1);
    expect(left.bySite.get('nikea')).toEqual({ total: 2, left: 1 });
    expect(left.bySite.get('bagrati')).toEqual({ total: 1, left: 0 });
  });
});
