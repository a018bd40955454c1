/**
 * Sign-in and roles against the real server: without a session every non-public route answers 401
 * (the WebSocket before upgrading); a viewer gets 403 on acknowledging and on exports; an operator
 * acknowledges; an analyst exports; an admin manages users, and removing a user ends their session
 * and closes their live socket.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_ACCESS } from '../../server/src/auth/route-access.js';
import { LIVE_CLOSE, type Alert } from '../../server/src/contract/index.js';
import { waitFor } from '../helpers/brokers.js';
import { login, startServerUnderTest, type ServerUnderTest } from '../helpers/server-under-test.js';
import { closed, openLive } from './ws-client.js';

const SAMPLE_PARAMS: Record<string, string> = { id: 'smart-collection', username: 'nobody' };
const concrete = (url: string) => url.replace(/:(\w+)/g, (_, name: string) => SAMPLE_PARAMS[name] ?? 'x');

describe('authentication and roles', () => {
  let server: ServerUnderTest;
  let url: string;
  let alert: Alert;

  beforeAll(async () => {
    server = await startServerUnderTest(undefined);
    url = server.runtime.httpUrl;
    // A full bin opens a fill_high alert for the acknowledgement checks.
    const client = await mqtt.connectAsync(server.runtime.mqttUrl, { clientId: `roles-${process.pid}` });
    const payload = { ts: Date.now() - 60_000, seq: 1, fill: 0.97, battery_v: 3.6, temp_c: 10 };
    await client.publishAsync(`${server.topicRoot}/waste/bin-nikea-02/telemetry`, JSON.stringify(payload), {
      qos: 1,
    });
    await client.endAsync();
    alert = await waitFor(
      'the fill_high alert',
      async () => (await server.get<Alert[]>('/api/alerts?rule=fill_high&device=bin-nikea-02'))[0],
    );
  });
  afterAll(async () => {
    await server?.runtime.stop();
  });

  const as = (role: 'viewer' | 'analyst' | 'operator' | 'admin', path: string, init: RequestInit = {}) =>
    server.fetch(path, init, role);
  const ack = (role: 'viewer' | 'analyst' | 'operator' | 'admin') =>
    as(role, `/api/alerts/${alert.id}/ack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ comment: 'crew 2' }),
    });

  it('answers 401 without credentials on every route that is not public, and serves the public ones', async () => {
    const guarded = Object.entries(ROUTE_ACCESS).filter(([, access]) => access !== 'public');
    expect(guarded.length).toBeGreaterThan(15);
    for (const [route] of guarded) {
      const [method, path] = route.split(' ') as [string, string];
      if (path === '/ws') continue;
      const response = await fetch(`${url}${concrete(path)}`, { method });
      expect(response.status, route).toBe(401);
      expect(response.headers.get('www-authenticate'), route).toMatch(/^Bearer/);
      expect(await response.json(), route).toMatchObject({ error: 'unauthorized' });
    }
    for (const path of ['/api/health', '/api/auth/config', '/api/docs/json'])
      expect((await fetch(`${url}${path}`)).status, path).toBe(200);
    // The dashboard's files are public; in a fresh clone before any build there are none (404), never 401.
    expect((await fetch(`${url}/`)).status, '/').not.toBe(401);
    // A made-up or malformed token is no better than none.
    const forged = await fetch(`${url}/api/devices`, {
      headers: { authorization: `Bearer ${'A'.repeat(43)}` },
    });
    expect(forged.status).toBe(401);
    expect(
      (await fetch(`${url}/api/devices`, { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } })).status,
    ).toBe(401);
  });

  it('refuses the WebSocket with 401 before upgrading, and opens it with a Bearer token or the cookie', async () => {
    expect(await openLive(url)).toEqual({ kind: 'refused', status: 401 });
    const bearer = await openLive(url, { authorization: `Bearer ${await server.tokenFor('viewer')}` });
    expect(bearer.kind).toBe('snapshot');
    if (bearer.kind === 'snapshot') {
      expect(bearer.entities.some((e) => e.key === 'device:bin-nikea-02')).toBe(true);
      bearer.socket.close();
    }
    const cookie = await openLive(url, { cookie: `kutaisi_session=${await server.tokenFor('viewer')}` });
    expect(cookie.kind).toBe('snapshot');
    if (cookie.kind === 'snapshot') cookie.socket.close();
    // A page of another site cannot ride on the cookie.
    const crossSite = await openLive(url, {
      cookie: `kutaisi_session=${await server.tokenFor('viewer')}`,
      origin: 'https://evil.example',
    });
    expect(crossSite).toEqual({ kind: 'refused', status: 403 });
  });

  it('gives a viewer read access but 403 on acknowledging an alert and on exporting raw data', async () => {
    expect((await as('viewer', '/api/alerts')).status).toBe(200);
    expect((await as('viewer', '/api/experiments/smart-collection/effects')).status).toBe(200);
    expect((await as('viewer', '/api/waste/collection-plan')).status).toBe(200);
    const denied = await ack('viewer');
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ error: 'forbidden' });
    for (const path of [
      '/api/experiments/smart-collection/export?format=csv',
      '/api/experiments/report',
      '/api/waste/collection-plan?format=csv',
      '/api/auth/users',
    ])
      expect((await as('viewer', path)).status, path).toBe(403);
    const csvByAccept = await as('viewer', '/api/waste/collection-plan', { headers: { accept: 'text/csv' } });
    expect(csvByAccept.status).toBe(403);
  });

  it('lets an analyst export but not acknowledge', async () => {
    const csv = await as('analyst', '/api/experiments/smart-collection/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect((await as('analyst', '/api/waste/collection-plan?format=csv')).status).toBe(200);
    expect((await as('analyst', '/api/experiments/report')).status).toBe(200);
    expect((await ack('analyst')).status).toBe(403);
  });

  it('lets an operator acknowledge, recorded under their account, but not export', async () => {
    expect((await as('operator', '/api/experiments/smart-collection/export?format=csv')).status).toBe(403);
    const response = await ack('operator');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ state: 'acknowledged', acknowledged_by: 'test-operator' });
    expect((await as('operator', '/api/auth/users')).status).toBe(403);
  });

  it('lets the admin manage users; deleting one ends their sessions and closes their live socket', async () => {
    const created = await as('admin', '/api/auth/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nino', password: 'nino-password-1', role: 'viewer' }),
    });
    expect(created.status).toBe(201);
    const again = await as('admin', '/api/auth/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nino', password: 'nino-password-2', role: 'admin' }),
    });
    expect(again.status).toBe(409);
    const weak = await as('admin', '/api/auth/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'tamar', password: 'short', role: 'viewer' }),
    });
    expect(weak.status).toBe(400);
    const users = (await (await as('admin', '/api/auth/users')).json()) as {
      username: string;
      role: string;
    }[];
    expect(users).toContainEqual(expect.objectContaining({ username: 'nino', role: 'viewer' }));
    expect(JSON.stringify(users)).not.toMatch(/scrypt|password/);

    const token = await login(url, 'nino', 'nino-password-1');
    const live = await openLive(url, { authorization: `Bearer ${token}` });
    if (live.kind !== 'snapshot') throw new Error('expected a snapshot');
    const closing = closed(live.socket);
    expect((await as('admin', '/api/auth/users/nino', { method: 'DELETE' })).status).toBe(204);
    expect(await closing).toBe(LIVE_CLOSE.sessionEnded);
    expect(
      (await fetch(`${url}/api/devices`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(401);
    expect((await as('admin', '/api/auth/users/admin', { method: 'DELETE' })).status).toBe(409);
    // One refusal of this test's own, so the counters do not depend on the tests before it.
    expect((await as('viewer', '/api/auth/users')).status).toBe(403);
    const stats = (await (await as('admin', '/api/auth/stats')).json()) as Record<string, number>;
    expect(stats.denied).toBeGreaterThan(0);
    expect(stats.unauthenticated).toBeGreaterThan(0);
  });

  it('signs in with a cookie for the browser, signs out, and counts failed sign-ins', async () => {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'wrong password!' }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'bad_credentials' });
    const ok = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'test-viewer', password: 'viewer-test-password' }),
    });
    const setCookie = ok.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^kutaisi_session=s1~[A-Za-z0-9_~.-]+\.[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/,
    );
    const { token, user } = (await ok.json()) as { token: string; user: { role: string } };
    expect(user.role).toBe('viewer');
    const cookie = setCookie.split(';')[0] as string;
    expect(setCookie).toContain(token);
    const me = await fetch(`${url}/api/auth/me`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ username: 'test-viewer', role: 'viewer', permissions: ['read'] });
    const out = await fetch(`${url}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await fetch(`${url}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
    const stats = (await (await as('admin', '/api/auth/stats')).json()) as Record<string, number>;
    expect(stats.failed_logins).toBeGreaterThanOrEqual(1);
    expect(stats.revocations).toBeGreaterThanOrEqual(1);
  });
});
