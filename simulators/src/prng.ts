/**
 * Seeded randomness. sfc32 is small, fast and passes PractRand far enough for
 * simulation; every stream is derived from (seed, labels) so that adding a
 * device or a fault kind never shifts the numbers another device draws.
 */

/** 32-bit FNV-1a over the labels, mixed with the seed. */
function hash32(seed: number, labels: readonly (string | number)[]): number {
  let h = (2166136261 ^ (seed >>> 0)) >>> 0;
  for (const label of labels) {
    const text = `${String(label)}\u0000`;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 16777619) >>> 0;
    }
  }
  // murmur3 finaliser: FNV alone leaves nearby labels correlated in the low bits.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A deterministic number in [0, 1) for random-access draws (weather of a given day, etc.). */
export function hashUnit(seed: number, ...labels: (string | number)[]): number {
  return hash32(seed, labels) / 4294967296;
}

/** Standard normal from two random-access uniforms (Box–Muller). */
export function hashNormal(seed: number, ...labels: (string | number)[]): number {
  const u = Math.max(hashUnit(seed, ...labels, 'u'), 1e-12);
  const v = hashUnit(seed, ...labels, 'v');
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, ...labels: (string | number)[]) {
    this.a = hash32(seed, [...labels, 'a']);
    this.b = hash32(seed, [...labels, 'b']);
    this.c = hash32(seed, [...labels, 'c']);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }

  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  int(min: number, maxInclusive: number): number {
    return min + Math.floor(this.next() * (maxInclusive - min + 1));
  }

  normal(mean = 0, sd = 1): number {
    const u = Math.max(this.next(), 1e-12);
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Poisson count; the normal approximation above λ = 30 keeps large counters cheap. */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda > 30) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}
