/**
 * The dashboard's REST client: each GET it makes, with the type the server's schema gives its answer.
 * Views call these (or poll them with lib/polling.svelte.ts) rather than `fetch` and a cast of their own.
 */
import type {
  Alert,
  AlertAckBody,
  AlertListQuery,
  CollectionPlan,
  CollectionPlanQuery,
  DeviceHealthRow,
  EffectsQuery,
  EffectsResponse,
  ErrorBody,
  ExperimentSummary,
  PortfolioResponse,
  PublicIndicators,
  SeriesQuery,
  SeriesResponse,
} from './api-types.js';

export interface GetOptions {
  signal?: AbortSignal;
  /** Method, headers and body of a request other than a plain GET. */
  init?: RequestInit;
  /** Told of the answer once it is read and wanted (not for a request given up meanwhile). */
  onResponse?: (response: Response) => void;
}

/** An answer other than 2xx: the status, and the server's own words when it sent them. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<ErrorBody>,
  ) {
    super(body.message ? `HTTP ${status}: ${body.message}` : `HTTP ${status}`);
  }
}

export async function fetchJson<T>(url: string, options: GetOptions = {}): Promise<T> {
  const response = await fetch(url, {
    ...options.init,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as Partial<ErrorBody>;
    throw new HttpStatusError(response.status, body);
  }
  const body = (await response.json()) as T;
  options.signal?.throwIfAborted();
  options.onResponse?.(response);
  return body;
}

/** POSTs a JSON body and reads the JSON answer; a non-2xx answer throws as fetchJson's does. */
export async function postJson<T>(url: string, body: unknown): Promise<T> {
  return fetchJson<T>(url, {
    init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  });
}

/** `?a=1&b=x` from a query object; fields left undefined are left out. */
export function queryString(query: object): string {
  const pairs = Object.entries(query).filter(([, v]) => v !== undefined && v !== null);
  return pairs.length ? `?${new URLSearchParams(pairs.map(([k, v]) => [k, String(v)])).toString()}` : '';
}

export const fetchSeries = (query: SeriesQuery, options?: GetOptions) =>
  fetchJson<SeriesResponse>(`/api/series${queryString(query)}`, options);

export const fetchPortfolio = (options?: GetOptions) =>
  fetchJson<PortfolioResponse>('/api/portfolio', options);

export const fetchCollectionPlan = (query: CollectionPlanQuery, options?: GetOptions) =>
  fetchJson<CollectionPlan>(`/api/waste/collection-plan${queryString(query)}`, options);

export const fetchDeviceHealth = (options?: GetOptions) =>
  fetchJson<DeviceHealthRow[]>('/api/device-health', options);

export const fetchAlerts = (query: AlertListQuery, options?: GetOptions) =>
  fetchJson<Alert[]>(`/api/alerts${queryString(query)}`, options);

export const fetchPublicIndicators = (options?: GetOptions) =>
  fetchJson<PublicIndicators>('/api/public/indicators', options);

export const fetchExperiments = (options?: GetOptions) =>
  fetchJson<ExperimentSummary[]>('/api/experiments', options);

export const fetchEffects = (id: string, query: EffectsQuery = {}, options?: GetOptions) =>
  fetchJson<EffectsResponse>(
    `/api/experiments/${encodeURIComponent(id)}/effects${queryString(query)}`,
    options,
  );

/** Acknowledges an open alert; the live stream then carries the change to every screen. */
export const ackAlert = (id: string, body: AlertAckBody) =>
  postJson<Alert>(`/api/alerts/${encodeURIComponent(id)}/ack`, body);

const NICE_STEPS = [
  60_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000,
  86_400_000,
];

/** /api/series with a bucket width that suits the chart: about one bucket per two pixels. */
export function stepFor(from: number, to: number, widthPx: number): number {
  const buckets = Math.max(20, Math.floor(widthPx / 2));
  const raw = (to - from) / buckets;
  return NICE_STEPS.find((step) => step >= raw) ?? Math.ceil(raw / 86_400_000) * 86_400_000;
}
