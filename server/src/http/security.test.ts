import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { adminToken, testApp, TEST_PASSWORD } from './test-app.js';

describe('HTTP hardening', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('sends security headers with a strict CSP, and no CORS headers unless origins are listed', async () => {
    ({ app } = await testApp());
    const page = await app.inject({ url: '/', headers: { origin: 'https://elsewhere.example' } });
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
    ])
      expect(csp).toContain(directive);
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/devices',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers CORS for the listed origins only', async () => {
    ({ app } = await testApp({ CORS_ORIGINS: 'https://city.example.ge' }));
    const preflight = (origin: string) =>
      app!.inject({
        method: 'OPTIONS',
        url: '/api/devices',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    const allowed = await preflight('https://city.example.ge');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://city.example.ge');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('never sends a stack trace or an internal message to the client', async () => {
    ({ app } = await testApp());
    app.get('/api/explode', { config: { access: 'public' } }, () => {
      throw new Error('ECONNREFUSED 10.0.0.7:5432 password=hunter2 at Store.write (/srv/app/store.ts:42)');
    });
    app.get('/api/refuse', { config: { access: 'public' } }, () => {
      throw Object.assign(new Error('not acceptable here'), { statusCode: 406 });
    });
    const response = await app.inject('/api/explode');
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: 'internal', message: 'internal server error' });
    expect(response.body).not.toMatch(/hunter2|store\.ts|ECONNREFUSED|stack|\bat /);
    const refused = await app.inject('/api/refuse');
    expect(refused.statusCode).toBe(406);
    expect(Object.keys(refused.json<object>()).sort()).toEqual(['error', 'message']);
  });

  it('refuses a route that nobody gave an access rule', async () => {
    ({ app } = await testApp());
    expect(() => app!.get('/api/forgotten', () => 'open?')).toThrow(/no access rule.*route-access\.ts/);
  });

  it('bounds the URL and the body', async () => {
    ({ app } = await testApp());
    const token = await adminToken(app);
    const long = await app.inject({
      url: `/api/devices?site=${'a'.repeat(5000)}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(long.statusCode).toBe(414);
    const big = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'x'.repeat(5000) },
    });
    expect(big.statusCode).toBe(413);
  });

  it('rate-limits requests per client, and sign-ins more strictly', async () => {
    ({ app } = await testApp({ RATE_LIMIT_MAX: '5', LOGIN_RATE_LIMIT_MAX: '2' }));
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await app.inject('/api/health')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await app.inject('/api/health');
    expect(limited.json()).toMatchObject({ error: 'rate_limited' });
    expect(limited.headers['retry-after']).toBeDefined();

    const login = () =>
      app!.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '10.1.1.1',
        payload: { username: 'admin', password: 'wrong-password' },
      });
    expect([(await login()).statusCode, (await login()).statusCode, (await login()).statusCode]).toEqual([
      401, 401, 429,
    ]);
  });

  it('refuses a name after ten failed sign-ins, whatever the address, and counts them', async () => {
    const built = await testApp({ LOGIN_RATE_LIMIT_MAX: '1000' });
    app = built.app;
    const attempt = (password: string, i: number) =>
      app!.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: `10.0.0.${i}`,
        payload: { username: 'admin', password },
      });
    for (let i = 0; i < 10; i++) expect((await attempt('guess-number-' + i, i)).statusCode).toBe(401);
    const blocked = await attempt(TEST_PASSWORD, 11);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ error: 'too_many_failures' });
    expect(await adminToken(app)).toBeUndefined();
    expect(built.auth.counters).toMatchObject({ failed_logins: 10, throttled_logins: 2, logins: 0 });
  });

  it('redacts credentials in the logs', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    ({ app } = await testApp({}, { level: 'info', stream }));
    app.log.info(
      {
        req: { headers: { authorization: 'Bearer sekrit-token', cookie: 'kutaisi_session=sekrit-cookie' } },
        body: { username: 'admin', password: 'sekrit-password' },
        token: 'sekrit-bare-token',
      },
      'a request',
    );
    const failed = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'sekrit-guess' },
    });
    expect(failed.statusCode).toBe(401);
    const log = lines.join('');
    expect(log).toContain('a request');
    expect(log).toContain('auth: failed sign-in');
    expect(log).not.toMatch(/sekrit/);
    expect(log).toContain('[redacted]');
  });

  it('serves nothing outside the dashboard folder, however the path is spelled', async () => {
    ({ app } = await testApp());
    for (const url of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/src/..%2f..%2fpackage.json',
      '/src/%2e%2e/%2e%2e/package.json',
      '/.%2e/.%2e/package.json',
      '//..//package.json',
      '/..%5cpackage.json',
    ]) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBeLessThan(500);
      expect(response.body, url).not.toContain('kutaisi-eco-smart-telemetry');
    }
  });
});
