/** /api/series with a bucket width that suits the chart: about one bucket per two pixels. */

export interface SeriesResponse {
  t: number[];
  step: number;
  series: { key: string; metric: string; values: (number | null)[] }[];
}

const NICE_STEPS = [
  60_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000,
  86_400_000,
];

export function stepFor(from: number, to: number, widthPx: number): number {
  const buckets = Math.max(20, Math.floor(widthPx / 2));
  const raw = (to - from) / buckets;
  return NICE_STEPS.find((step) => step >= raw) ?? Math.ceil(raw / 86_400_000) * 86_400_000;
}

export async function fetchSeries(params: Record<string, string | number>): Promise<SeriesResponse> {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const response = await fetch(`/api/series?${query.toString()}`);
  if (!response.ok) throw new Error(`/api/series: HTTP ${response.status}`);
  return (await response.json()) as SeriesResponse;
}
