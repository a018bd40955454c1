import { describe, expect, it } from 'vitest';
import { Registry } from '../config/registry.js';
import { AlertBook } from './alert-book.js';
import { AlertEngine } from './alert-engine.js';
import { AlertJournal } from './alert-journal.js';
import { harness, INTERVAL, reading, registry, T0 } from './test-support.js';

const METER = 'meter-city-hall';
const power = (i: number) => ({ energy_kwh: 100 + i, power_kw: 5 });

describe('offline', () => {
  it('raises one alert per gap of more than three intervals in the data, resolved at the reading that ends it', () => {
    const { book, engine } = harness();
    let i = 0;
    for (; i < 10; i++) engine.onReading(reading(METER, i, power(i)));
    i += 2; // two readings missing: a gap of exactly three intervals is not "offline"
    engine.onReading(reading(METER, i, power(i)));
    i += 8; // seven missing: offline
    engine.onReading(reading(METER, i, power(i)));
    for (i++; i < 30; i++) engine.onReading(reading(METER, i, power(i)));
    const alerts = book.list({ rule: 'offline' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      state: 'resolved',
      opened_at: T0 + 15 * INTERVAL,
      resolved_at: T0 + 20 * INTERVAL,
    });
  });

  it('raises on live silence with the injected clock, once, and resolves on the next reading', () => {
    const { book, engine, setNow } = harness();
    engine.onReading(reading(METER, 0, power(0)));
    setNow(T0 + 3 * INTERVAL);
    engine.checkSilence();
    expect(book.list({ rule: 'offline' })).toEqual([]);
    for (const minutes of [46, 60, 120, 600]) {
      setNow(T0 + minutes * 60_000);
      engine.checkSilence();
    }
    expect(book.list({ rule: 'offline' })).toMatchObject([{ state: 'open', opened_at: T0 + 3 * INTERVAL }]);
    // The returning reading resolves it; the data gap it closes is the same outage, not a second one.
    setNow(T0 + 41 * INTERVAL);
    engine.onReading(reading(METER, 40, power(40)));
    expect(book.list({ rule: 'offline' })).toMatchObject([
      { state: 'resolved', resolved_at: T0 + 40 * INTERVAL },
    ]);
  });

  it('does not call replayed history offline while its readings keep arriving', () => {
    const { book, engine, setNow } = harness();
    const past = T0 - 30 * 86_400_000;
    for (let i = 0; i < 50; i++) {
      setNow(T0 + i * 10);
      engine.onReading(reading(METER, i, power(i), past));
      engine.checkSilence();
    }
    expect(book.list({ rule: 'offline' })).toEqual([]);
  });

  it('treats a retained lost status as offline until the device reports again', () => {
    const { book, engine } = harness();
    engine.onReading(reading(METER, 0, power(0)));
    engine.onStatus({ device: METER, domain: 'energy', state: 'lost', ts: T0 + 60_000 });
    engine.onStatus({ device: METER, domain: 'energy', state: 'lost', ts: T0 + 70_000 });
    expect(book.list({ rule: 'offline', state: 'open' })).toHaveLength(1);
    engine.onReading(reading(METER, 1, power(1)));
    expect(book.list({ rule: 'offline' })).toMatchObject([{ state: 'resolved' }]);
  });

  it('gives duplicates and late readings no say', () => {
    const { book, engine } = harness();
    engine.onReading(reading(METER, 10, power(10)));
    engine.onReading(reading(METER, 0, power(0)));
    engine.onReading(reading(METER, 10, power(10)));
    expect(book.list()).toEqual([]);
  });
});

describe('per-device state', () => {
  it('shares one frozen thresholds object between devices without overrides of their own', () => {
    const portfolio = structuredClone(registry.portfolio);
    const template = portfolio.devices.find((d) => d.id === 'bin-central-square-01');
    if (!template) throw new Error('bin-central-square-01 is missing from the portfolio');
    portfolio.devices.push(
      { ...template, id: 'bin-central-square-91' },
      { ...template, id: 'bin-central-square-92' },
    );
    portfolio.alerts = { ...portfolio.alerts, devices: { 'bin-central-square-92': { fill_threshold: 0.7 } } };
    const engine = new AlertEngine(new Registry(portfolio), new AlertBook(new AlertJournal(undefined)));
    const own = engine.thresholds('bin-central-square-01');
    expect(engine.thresholds('bin-central-square-91')).toBe(own);
    expect(Object.isFrozen(own)).toBe(true);
    expect(own?.fill_threshold).toBe(0.85);
    expect(engine.thresholds('bin-central-square-92')).toMatchObject({
      fill_threshold: 0.7,
      offline_intervals: 3,
    });
    // Another site (green-bazaar collects at 80 %) or model is another set.
    expect(engine.thresholds('bin-green-bazaar-01')).toMatchObject({ fill_threshold: 0.8 });
    expect(engine.thresholds('bin-central-square-02')).not.toBe(own);
  });

  it('compares with the previous reading only when it is the newest the store knows of', () => {
    const { book, engine } = harness();
    const temp = (i: number, temp_c: number) =>
      reading('bin-nikea-02', i, { fill: 0.3, battery_v: 3.6, temp_c });
    engine.onReading(temp(0, 12));
    // 12 °C → 45 °C within an interval: a fire by the rise alone.
    engine.onReading(temp(1, 45));
    expect(book.list({ rule: 'fire' })).toHaveLength(1);
    // After a restart the store knows a newer reading than the one the rules saw: no rise is judged.
    const other = harness();
    other.engine.onReading(temp(0, 12));
    other.engine.restore(new Map([['bin-nikea-02', T0 + 2 * INTERVAL]]));
    other.engine.onReading(temp(3, 45));
    expect(other.book.list({ rule: 'fire' })).toEqual([]);
  });
});
