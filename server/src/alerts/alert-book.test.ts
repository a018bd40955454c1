import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlertBook } from './alert-book.js';
import { AlertJournal } from './alert-journal.js';
import { registry, T0 } from './test-support.js';

const bin = registry.device('bin-nikea-02');
if (!bin) throw new Error('bin-nikea-02 is missing from the portfolio');

describe('alert lifecycle', () => {
  it('opens once per (rule, device), acknowledges with who/when/comment, resolves when clear', () => {
    const book = new AlertBook(new AlertJournal(undefined));
    const changes: string[] = [];
    book.onChange((kind, a) => changes.push(`${kind}:${a.state}`));
    book.observe(bin, { rule: 'fill_high', active: true, at: T0, value: 0.9, threshold: 0.85 });
    book.observe(bin, { rule: 'fill_high', active: true, at: T0 + 1, value: 0.95 });
    expect(book.list()).toHaveLength(1);
    const [alert] = book.list();
    expect(alert).toMatchObject({ rule: 'fill_high', state: 'open', device: 'bin-nikea-02', site: 'nikea' });
    expect(alert?.value).toBe(0.9);

    const ack = book.acknowledge(alert?.id ?? '', 'Nino', 'crew on the way', T0 + 2);
    expect(ack.ok && ack.alert).toMatchObject({
      state: 'acknowledged',
      acknowledged_by: 'Nino',
      acknowledged_at: T0 + 2,
      comment: 'crew on the way',
    });
    expect(book.acknowledge(alert?.id ?? '', 'Nino', undefined, T0 + 3)).toEqual({
      ok: false,
      error: 'acknowledged',
    });
    expect(book.acknowledge('nope', 'Nino', undefined, T0)).toEqual({ ok: false, error: 'not_found' });

    book.observe(bin, { rule: 'fill_high', active: false, at: T0 + 10 });
    expect(book.get(alert?.id ?? '')).toMatchObject({ state: 'resolved', resolved_at: T0 + 10 });
    expect(book.list({ state: 'active' })).toEqual([]);
    expect(changes).toEqual(['opened:open', 'acknowledged:acknowledged', 'resolved:resolved']);

    // The next occurrence is a new alert.
    book.observe(bin, { rule: 'fill_high', active: true, at: T0 + 20 });
    expect(book.list()).toHaveLength(2);
    expect(book.list({ state: 'open' })[0]?.id).not.toBe(alert?.id);
  });

  it('waits for clearAfter consecutive clear verdicts; an active one in between restarts the count', () => {
    const book = new AlertBook(new AlertJournal(undefined));
    book.observe(bin, { rule: 'fire', active: true, at: T0 });
    book.observe(bin, { rule: 'fire', active: false, at: T0 + 1, clearAfter: 2 });
    book.observe(bin, { rule: 'fire', active: true, at: T0 + 2 });
    book.observe(bin, { rule: 'fire', active: false, at: T0 + 3, clearAfter: 2 });
    expect(book.list({ state: 'open' })).toHaveLength(1);
    book.observe(bin, { rule: 'fire', active: false, at: T0 + 4, clearAfter: 2 });
    expect(book.list({ state: 'open' })).toHaveLength(0);
    expect(book.list()).toHaveLength(1);
  });

  it('survives a restart: alerts and their states come back from the journal', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kutaisi-alerts-')), 'alerts.ndjson');
    const first = new AlertBook(new AlertJournal(path));
    first.observe(bin, { rule: 'tilt', active: true, at: T0 });
    first.observe(bin, { rule: 'battery_low', active: true, at: T0 });
    const tilt = first.list({ rule: 'tilt' })[0]?.id ?? '';
    first.acknowledge(tilt, 'Giorgi', undefined, T0 + 5);
    first.observe(bin, { rule: 'battery_low', active: false, at: T0 + 6 });
    first.flush();

    const second = new AlertBook(new AlertJournal(path));
    expect(second.get(tilt)).toMatchObject({ state: 'acknowledged', acknowledged_by: 'Giorgi' });
    expect(second.list({ rule: 'battery_low' })[0]?.state).toBe('resolved');
    // Still de-duplicated after the restart: the same condition keeps the same alert.
    second.observe(bin, { rule: 'tilt', active: true, at: T0 + 100 });
    expect(second.list({ rule: 'tilt' })).toHaveLength(1);
    second.observe(bin, { rule: 'tilt', active: false, at: T0 + 200 });
    expect(second.get(tilt)?.state).toBe('resolved');
  });

  it('filters by state, domain, site and rule, newest first', () => {
    const book = new AlertBook(new AlertJournal(undefined));
    const meter = registry.device('meter-city-hall');
    if (!meter) throw new Error('meter-city-hall missing');
    book.observe(bin, { rule: 'fill_high', active: true, at: T0 });
    book.observe(meter, { rule: 'power_spike', active: true, at: T0 + 1 });
    expect(book.list().map((a) => a.rule)).toEqual(['power_spike', 'fill_high']);
    expect(book.list({ domain: 'energy' }).map((a) => a.device)).toEqual(['meter-city-hall']);
    expect(book.list({ site: 'nikea' }).map((a) => a.rule)).toEqual(['fill_high']);
    expect(book.list({ state: 'resolved' })).toEqual([]);
  });
});
