/**
 * Lets the client library's WriteApi (batching, gzip, retry classification,
 * Retry-After) serve InfluxDB 1.x before 1.8, which has no /api/v2/write: the
 * write path is rewritten to /write with database, retention policy and
 * credentials. Everything else passes through unchanged.
 */
import type { Transport } from '@influxdata/influxdb-client';

export interface V1Target {
  database: string;
  retentionPolicy: string | undefined;
  username: string | undefined;
  password: string | undefined;
}

export function v1Params(target: V1Target): URLSearchParams {
  const params = new URLSearchParams({ db: target.database });
  if (target.retentionPolicy) params.set('rp', target.retentionPolicy);
  if (target.username !== undefined) params.set('u', target.username);
  if (target.password !== undefined) params.set('p', target.password);
  return params;
}

export function v1WritePath(path: string, target: V1Target): string {
  if (!path.startsWith('/api/v2/write')) return path;
  const precision = new URLSearchParams(path.split('?')[1] ?? '').get('precision') ?? 'ms';
  const params = v1Params(target);
  params.set('precision', precision);
  return `/write?${params.toString()}`;
}

export function v1WriteTransport(inner: Transport, target: V1Target): Transport {
  return {
    send: (path, body, options, callbacks) => inner.send(v1WritePath(path, target), body, options, callbacks),
    request: (path, body, options, responseStarted) => inner.request(path, body, options, responseStarted),
    iterate: (path, body, options) => inner.iterate(path, body, options),
    chunkCombiner: inner.chunkCombiner,
  };
}
