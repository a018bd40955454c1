/**
 * Ordinary least squares by Householder QR: numerically safer than the normal
 * equations when regressors are nearly collinear (HDD and school day are).
 */
export interface OlsFit {
  coef: number[];
  fitted: number[];
  residuals: number[];
  sse: number;
  /** Observations and parameters, for degrees of freedom. */
  n: number;
  p: number;
}

/** Fits y = X·β; X is row-major (one array per observation). Throws on a rank-deficient X. */
export function ols(x: readonly (readonly number[])[], y: readonly number[]): OlsFit {
  const n = y.length;
  const p = x[0]?.length ?? 0;
  if (n < p || p === 0) throw new Error(`ols: need at least ${p} observations, got ${n}`);
  // Column-major working copy of X and a copy of y, both transformed in place.
  const a = Array.from({ length: p }, (_, j) => Float64Array.from(x, (row) => row[j] ?? 0));
  const b = Float64Array.from(y);
  const r = Array.from({ length: p }, () => new Float64Array(p));
  const columnNorms = a.map((col) => Math.hypot(...col));
  for (let k = 0; k < p; k++) {
    const col = a[k] as Float64Array;
    let norm = 0;
    for (let i = k; i < n; i++) norm += (col[i] as number) ** 2;
    norm = Math.sqrt(norm);
    if (norm <= 1e-10 * ((columnNorms[k] as number) || 1))
      throw new Error('ols: design matrix is rank deficient');
    const alpha = (col[k] as number) > 0 ? -norm : norm;
    // v = x - alpha e1, stored over col[k..n)
    col[k] = (col[k] as number) - alpha;
    let vnorm2 = 0;
    for (let i = k; i < n; i++) vnorm2 += (col[i] as number) ** 2;
    const reflect = (target: Float64Array) => {
      let dot = 0;
      for (let i = k; i < n; i++) dot += (col[i] as number) * (target[i] as number);
      const f = (2 * dot) / vnorm2;
      for (let i = k; i < n; i++) target[i] = (target[i] as number) - f * (col[i] as number);
    };
    for (let j = k + 1; j < p; j++) reflect(a[j] as Float64Array);
    reflect(b);
    (r[k] as Float64Array)[k] = alpha;
    for (let j = k + 1; j < p; j++) (r[k] as Float64Array)[j] = (a[j] as Float64Array)[k] as number;
  }
  const coef = new Array<number>(p).fill(0);
  for (let k = p - 1; k >= 0; k--) {
    let s = b[k] as number;
    for (let j = k + 1; j < p; j++) s -= ((r[k] as Float64Array)[j] as number) * (coef[j] as number);
    coef[k] = s / ((r[k] as Float64Array)[k] as number);
  }
  const fitted = x.map((row) => row.reduce((s, v, j) => s + v * (coef[j] as number), 0));
  const residuals = y.map((v, i) => v - (fitted[i] as number));
  const sse = residuals.reduce((s, e) => s + e * e, 0);
  return { coef, fitted, residuals, sse, n, p };
}

export function predict(coef: readonly number[], row: readonly number[]): number {
  return row.reduce((s, v, j) => s + v * (coef[j] ?? 0), 0);
}

/** Lag-1 autocorrelation of a series (residuals in time order). */
export function lag1Autocorrelation(e: readonly number[]): number {
  const n = e.length;
  if (n < 3) return 0;
  const mean = e.reduce((s, v) => s + v, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = (e[i] as number) - mean;
    den += d * d;
    if (i > 0) num += d * ((e[i - 1] as number) - mean);
  }
  return den === 0 ? 0 : num / den;
}
