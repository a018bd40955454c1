import { describe, expect, it } from 'vitest';
import { HingeSums } from './hinge-sums.js';
import { seededRandom } from './stats/seeded-random.js';

/** The textbook fit: build x, centre, and sum over every day. */
function direct(temps: number[], y: number[], tb: number) {
  const x = temps.map((t) => Math.max(0, tb - t));
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  x.forEach((xi, i) => {
    sxx += (xi - mx) ** 2;
    sxy += (xi - mx) * ((y[i] as number) - my);
    syy += ((y[i] as number) - my) ** 2;
  });
  if (sxx <= 1e-12 * n) return null;
  const b1 = sxy / sxx;
  return { b0: my - b1 * mx, b1, sse: syy - b1 * sxy };
}

describe('hinge fits from running sums', () => {
  it('equal the direct fit at every balance temperature, ties and empty sides included', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 20; trial++) {
      const n = 10 + Math.floor(random() * 200);
      // Whole-degree temperatures give ties with the whole-degree balance temperatures tried.
      const temps = Array.from({ length: n }, () => Math.round(-5 + 25 * random()));
      const y = temps.map((t) => 800 + 40 * Math.max(0, 15 - t) + 60 * (random() - 0.5));
      const sums = HingeSums.of(temps, y);
      for (let tb = -8; tb <= 24; tb += 0.5) {
        const want = direct(temps, y, tb);
        const got = sums.fit(tb);
        if (want === null) {
          expect(got, `tb ${tb}`).toBeNull();
          continue;
        }
        expect(got).not.toBeNull();
        expect(got!.b1).toBeCloseTo(want.b1, 8);
        expect(got!.b0).toBeCloseTo(want.b0, 7);
        expect(Math.abs(got!.sse - want.sse) / Math.max(1, want.sse)).toBeLessThan(1e-9);
      }
    }
  });
});
