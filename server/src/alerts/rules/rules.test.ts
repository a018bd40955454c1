import { describe, expect, it } from 'vitest';
import { harness, reading, T0 } from '../test-support.js';

const BIN = 'bin-nikea-02';
const waste = (fill: number, extra: Record<string, number> = {}) => ({
  fill,
  battery_v: 3.6,
  temp_c: 12 + Math.random(),
  ...extra,
});

describe('waste rules', () => {
  it('a fill oscillating ±1 % around the 85 % threshold raises one alert, not many', () => {
    const { book, engine } = harness();
    for (let i = 0; i < 60; i++) engine.onReading(reading(BIN, i, waste(i % 2 ? 0.86 : 0.84)));
    expect(book.list({ rule: 'fill_high' })).toHaveLength(1);
    expect(book.list({ rule: 'fill_high' })[0]?.state).toBe('open');
    // A collection (fill well below the clear level) resolves it.
    engine.onReading(reading(BIN, 60, waste(0.05)));
    expect(book.list({ rule: 'fill_high' })[0]?.state).toBe('resolved');
  });

  it('predicts "full soon" from the fill trend and hands over to fill_high at the threshold', () => {
    const { book, engine } = harness();
    // 2 % an hour from 50 %: full (100 %) in 25 h at the start, within 12 h from 76 % on.
    for (let i = 0; i <= 80; i++) engine.onReading(reading(BIN, i, waste(0.5 + 0.005 * i)));
    const soon = book.list({ rule: 'full_soon' });
    expect(soon).toHaveLength(1);
    expect(soon[0]?.value).toBeLessThanOrEqual(12);
    expect(soon[0]?.state).toBe('resolved');
    expect(book.list({ rule: 'fill_high', state: 'open' })).toHaveLength(1);
  });

  it('overflow, fire (a temperature spike) and tilt open and clear', () => {
    const { book, engine } = harness();
    engine.onReading(reading(BIN, 0, waste(0.5, { tilt_deg: 2 })));
    engine.onReading(reading(BIN, 1, waste(1, { temp_c: 110, tilt_deg: 80 })));
    expect(
      book
        .list({ state: 'open' })
        .map((a) => a.rule)
        .sort(),
    ).toEqual(['fill_high', 'fire', 'overflow', 'tilt']);
    engine.onReading(reading(BIN, 2, waste(0.1, { temp_c: 12, tilt_deg: 40 })));
    // Fire waits for two cool readings; tilt at 40° is inside its hysteresis band.
    expect(
      book
        .list({ state: 'open' })
        .map((a) => a.rule)
        .sort(),
    ).toEqual(['fire', 'tilt']);
    engine.onReading(reading(BIN, 3, waste(0.1, { temp_c: 12, tilt_deg: 3 })));
    expect(book.list({ state: 'open' })).toEqual([]);
  });
});

describe('rules of every device', () => {
  it('low battery with hysteresis', () => {
    const { book, engine } = harness();
    const volts = [3.4, 3.29, 3.31, 3.28, 3.32, 3.36];
    volts.forEach((v, i) => engine.onReading(reading(BIN, i, waste(0.3, { battery_v: v }))));
    expect(book.list({ rule: 'battery_low' })).toMatchObject([{ state: 'resolved', value: 3.29 }]);
  });

  it('a stuck value: the same reading eight times', () => {
    const { book, engine } = harness();
    for (let i = 0; i < 10; i++) engine.onReading(reading(BIN, i, { fill: 0.4, battery_v: 3.6, temp_c: 9 }));
    expect(book.list({ rule: 'stuck_value', state: 'open' })).toHaveLength(1);
    engine.onReading(reading(BIN, 10, waste(0.41)));
    expect(book.list({ rule: 'stuck_value' })[0]?.state).toBe('resolved');
  });

  it('stuck means the same metrics and values whatever their order, the reporting interval aside', () => {
    const { book, engine } = harness();
    for (let i = 0; i < 8; i++) {
      const metrics =
        i % 2 ? { interval_s: 900 + i, car_out: 2, car_in: 3 } : { car_in: 3, car_out: 2, interval_s: 900 };
      engine.onReading(reading('counter-nikea', i, metrics));
    }
    expect(book.list({ rule: 'stuck_value', state: 'open' })).toMatchObject([{ value: 8 }]);
    // One more metric is a different reading.
    engine.onReading(reading('counter-nikea', 8, { car_in: 3, car_out: 2, bicycle_in: 0, interval_s: 900 }));
    expect(book.list({ rule: 'stuck_value' })[0]?.state).toBe('resolved');
  });

  it('seq gaps above the rate, but not an outage', () => {
    const { book, engine } = harness();
    let seq = 0;
    for (let i = 0; i < 40; i++) {
      seq += i % 3 === 0 ? 2 : 1; // one reading in four lost in transit
      engine.onReading({ ...reading(BIN, i, waste(0.3)), seq });
    }
    expect(book.list({ rule: 'seq_gaps', state: 'open' })).toHaveLength(1);

    const other = harness();
    for (let i = 0; i < 40; i++) other.engine.onReading(reading(BIN, i < 20 ? i : i + 30, waste(0.3)));
    expect(other.book.list({ rule: 'seq_gaps' })).toEqual([]);
    expect(other.book.list({ rule: 'offline' })).toHaveLength(1);
  });

  it('a sensor without seq, battery or temperature: fill rules only, no gap or battery verdicts', () => {
    const { book, engine } = harness();
    for (let i = 0; i < 40; i++)
      engine.onReading({ ...reading(BIN, i, { fill: 0.3 + i * 0.015 }), seq: undefined });
    expect(book.list({ rule: 'fill_high', state: 'open' })).toHaveLength(1);
    expect(book.list({ rule: 'seq_gaps' })).toEqual([]);
    expect(book.list({ rule: 'battery_low' })).toEqual([]);
    expect(book.list({ rule: 'fire' })).toEqual([]);
  });
});

describe('mobility rules', () => {
  it('zeros through three daytime hours raise counter_zeros; night zeros do not', () => {
    const { book, engine } = harness();
    const zero = { interval_s: 900, pedestrian_in: 0, pedestrian_out: 0, car_in: 0, car_out: 0 };
    const night = T0 - 12 * 3_600_000; // midnight in Kutaisi
    for (let i = 0; i < 20; i++) engine.onReading(reading('counter-nikea', i, zero, night));
    expect(book.list()).toEqual([]);
    for (let i = 0; i < 13; i++) engine.onReading(reading('counter-nikea', i, zero));
    expect(book.list({ rule: 'counter_zeros', state: 'open' })).toHaveLength(1);
    engine.onReading(reading('counter-nikea', 13, { ...zero, car_in: 4 }));
    expect(book.list({ rule: 'counter_zeros' })[0]?.state).toBe('resolved');
  });
});

describe('energy rules', () => {
  const METER = 'meter-school-nikea';
  const nightStart = T0 + 10 * 3_600_000; // 22:00 local

  it('night base load above the baseline by the margin', () => {
    const { book, engine } = harness({ baselineKw: () => 2 });
    for (let i = 1; i <= 8; i++)
      engine.onReading(reading(METER, i, { energy_kwh: 100 + i, power_kw: 3.5 }, nightStart));
    expect(book.list({ rule: 'night_base_load', state: 'open' })).toMatchObject([{ threshold: 2.6 }]);
    // A normal next night clears it.
    for (let i = 1; i <= 8; i++)
      engine.onReading(reading(METER, i, { energy_kwh: 200 + i, power_kw: 1.9 }, nightStart + 86_400_000));
    expect(book.list({ rule: 'night_base_load' })[0]?.state).toBe('resolved');
  });

  it('a power spike far above the hourly profile, and a register reset', () => {
    const { book, engine } = harness({ baselineKw: () => 10 });
    engine.onReading(reading(METER, 0, { energy_kwh: 5000, power_kw: 11 }));
    engine.onReading(reading(METER, 1, { energy_kwh: 5003, power_kw: 180 }));
    engine.onReading(reading(METER, 2, { energy_kwh: 2, power_kw: 12 }));
    expect(book.list({ state: 'open' }).map((a) => a.rule)).toEqual(['register_reset']);
    expect(book.list({ rule: 'power_spike' })).toMatchObject([{ state: 'resolved', value: 180 }]);
    for (let i = 3; i < 7; i++) engine.onReading(reading(METER, i, { energy_kwh: i, power_kw: 12 }));
    expect(book.list({ state: 'open' })).toEqual([]);
  });
});

it('thresholds come from the portfolio by domain, model, site and device', async () => {
  const { thresholdsFor } = await import('../alert-settings.js');
  const { registry } = await import('../test-support.js');
  const bin = registry.device(BIN);
  if (!bin) throw new Error('missing bin');
  const config = { waste: { fill_threshold: 0.8 }, sites: { nikea: { fill_threshold: 0.9 } } };
  expect(thresholdsFor(undefined, bin).fill_threshold).toBe(0.85);
  expect(thresholdsFor(config, bin).fill_threshold).toBe(0.9);
  expect(thresholdsFor({ ...config, devices: { [BIN]: { fill_threshold: 0.7 } } }, bin).fill_threshold).toBe(
    0.7,
  );
  expect(T0).toBeGreaterThan(0);
});
