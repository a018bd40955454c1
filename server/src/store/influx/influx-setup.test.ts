import { HttpError } from '@influxdata/influxdb-client';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../config/settings.js';
import { checkReachable, ensureV1Database, ensureV2Bucket, type Request } from './influx-setup.js';

const v2 = loadSettings({
  INFLUX_URL: 'http://influx:8086',
  INFLUX_ORG: 'kutaisi',
  INFLUX_BUCKET: 'telemetry',
  INFLUX_TOKEN: 't',
}).influx!;
const v1 = loadSettings({
  INFLUX_URL: 'http://influx:8086',
  INFLUX_API: 'v1',
  INFLUX_DATABASE: 'kutaisi',
}).influx!;

/** A fake server: answers per path prefix, throwing HttpError like the client library does. */
function fake(routes: Record<string, (body: string, method: string) => unknown>): {
  request: Request;
  calls: string[];
} {
  const calls: string[] = [];
  const request: Request = async (path, body = '', method = 'GET') => {
    calls.push(`${method} ${path.split('?')[0]}`);
    const route = Object.entries(routes).find(([prefix]) => `${method} ${path}`.startsWith(prefix));
    if (!route) throw new HttpError(404, 'Not Found', '404 page not found');
    return route[1](body, method);
  };
  return { request, calls };
}

const fail = (status: number, body: string) => () => {
  throw new HttpError(status, 'x', body);
};

describe('InfluxDB start-up checks', () => {
  it('names INFLUX_URL when nothing answers', async () => {
    const unreachable: Request = async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8086'), { code: 'ECONNREFUSED' });
    };
    await expect(checkReachable(unreachable, v2)).rejects.toThrow(/^INFLUX_URL: cannot reach InfluxDB/);
  });

  it('names INFLUX_TOKEN for a rejected token and INFLUX_ORG for an unknown organisation', async () => {
    await expect(
      ensureV2Bucket(
        fake({ 'GET /api/v2/buckets': fail(401, '{"code":"unauthorized"}') }).request,
        v2,
        () => undefined,
      ),
    ).rejects.toThrow(/^INFLUX_TOKEN: /);
    await expect(
      ensureV2Bucket(
        fake({ 'GET /api/v2/buckets': fail(404, '{"message":"organization name \\"kutaisi\\" not found"}') })
          .request,
        v2,
        () => undefined,
      ),
    ).rejects.toThrow(/^INFLUX_ORG: unknown organisation/);
  });

  it('creates a missing bucket in the named organisation', async () => {
    const created: string[] = [];
    const { request } = fake({
      'GET /api/v2/buckets': () => ({ buckets: [] }),
      'GET /api/v2/orgs': () => ({ orgs: [{ id: 'org-1' }] }),
      'POST /api/v2/buckets': (body) => created.push(body),
    });
    await ensureV2Bucket(request, v2, () => undefined);
    expect(JSON.parse(created[0] ?? '{}')).toMatchObject({ orgID: 'org-1', name: 'telemetry' });
  });

  it('carries on where there is no bucket API (InfluxDB 1.8, 3.x)', async () => {
    const lines: string[] = [];
    await ensureV2Bucket(fake({}).request, v2, (l) => lines.push(l));
    expect(lines[0]).toMatch(/no bucket API/);
  });

  it('creates the v1 database, naming the credentials when refused', async () => {
    const { request, calls } = fake({ 'POST /query': () => ({ results: [{}] }) });
    await ensureV1Database(request, v1);
    expect(calls).toEqual(['POST /query']);
    await expect(
      ensureV1Database(fake({ 'POST /query': fail(401, 'authorization failed') }).request, v1),
    ).rejects.toThrow(/^INFLUX_USERNAME: /);
  });

  it('requires org and token for the v2 flavour', () => {
    expect(() => loadSettings({ INFLUX_URL: 'http://x:8086', INFLUX_TOKEN: 't' })).toThrow(/^INFLUX_ORG: /);
    expect(() => loadSettings({ INFLUX_URL: 'http://x:8086', INFLUX_ORG: 'o' })).toThrow(/^INFLUX_TOKEN: /);
    expect(() => loadSettings({ INFLUX_URL: 'x:8086', INFLUX_ORG: 'o', INFLUX_TOKEN: 't' })).toThrow(
      /^INFLUX_URL: /,
    );
    expect(() => loadSettings({ INFLUX_URL: 'http://x:8086', INFLUX_API: 'v3' })).toThrow(/^INFLUX_API: /);
  });
});
