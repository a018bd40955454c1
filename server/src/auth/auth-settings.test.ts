import { describe, expect, it } from 'vitest';
import { loadSettings } from '../config/settings.js';
import { DEMO_ADMIN_PASSWORD, requireAdminPassword } from './auth-settings.js';

describe('auth and security settings', () => {
  it('require an admin password outside the demo, naming ADMIN_PASSWORD', () => {
    const settings = loadSettings({});
    expect(settings.auth).toMatchObject({
      adminUsername: 'admin',
      adminPassword: undefined,
      demoPassword: false,
    });
    expect(() => requireAdminPassword(settings.auth)).toThrow(/^ADMIN_PASSWORD: required/);
    expect(() => loadSettings({ ADMIN_PASSWORD: 'too-short' })).toThrow(
      /^ADMIN_PASSWORD: expected 12 to 256/,
    );
    expect(() => loadSettings({ ADMIN_USERNAME: 'Admin User' })).toThrow(/^ADMIN_USERNAME: /);
  });

  it('use the demo-only password in the demo unless one is set', () => {
    expect(loadSettings({ DEMO: '1' }).auth).toMatchObject({
      adminPassword: DEMO_ADMIN_PASSWORD,
      demoPassword: true,
    });
    expect(loadSettings({ DEMO: '1', ADMIN_PASSWORD: 'a-real-password' }).auth).toMatchObject({
      adminPassword: 'a-real-password',
      demoPassword: false,
    });
  });

  it('read sessions, cookies, proxy trust, CORS origins and rate limits', () => {
    const defaults = loadSettings({ ADMIN_PASSWORD: 'a-real-password' });
    expect(defaults.auth).toMatchObject({ sessionTtlMs: 12 * 3_600_000, cookieSecure: 'auto' });
    expect(defaults.security).toEqual({
      trustProxy: false,
      corsOrigins: [],
      rateLimitMax: 1200,
      loginRateLimitMax: 10,
    });
    const set = loadSettings({
      SESSION_TTL_HOURS: '2',
      COOKIE_SECURE: 'true',
      TRUST_PROXY: 'yes',
      CORS_ORIGINS: 'https://city.example.ge, http://localhost:5173',
      RATE_LIMIT_MAX: '0',
      LOGIN_RATE_LIMIT_MAX: '3',
    });
    expect(set.auth).toMatchObject({ sessionTtlMs: 2 * 3_600_000, cookieSecure: true });
    expect(set.security).toEqual({
      trustProxy: true,
      corsOrigins: ['https://city.example.ge', 'http://localhost:5173'],
      rateLimitMax: 0,
      loginRateLimitMax: 3,
    });
    expect(() => loadSettings({ CORS_ORIGINS: '*' })).toThrow(/^CORS_ORIGINS: /);
    expect(() => loadSettings({ CORS_ORIGINS: 'https://city.example.ge/path' })).toThrow(/^CORS_ORIGINS: /);
    expect(() => loadSettings({ SESSION_TTL_HOURS: '0' })).toThrow(/^SESSION_TTL_HOURS: /);
    expect(() => loadSettings({ COOKIE_SECURE: 'maybe' })).toThrow(/^COOKIE_SECURE: /);
  });

  it('take SESSION_SECRET of at least 32 characters, and require it in a cluster, naming the setting', () => {
    const secret = 'x'.repeat(32);
    expect(loadSettings({ SESSION_SECRET: secret }).auth.sessionSecret).toBe(secret);
    expect(loadSettings({}).auth.sessionSecret).toBeUndefined();
    expect(() => loadSettings({ SESSION_SECRET: 'short' })).toThrow(/^SESSION_SECRET: expected at least 32/);
    const cluster = {
      INGEST_SHARE_GROUP: 'ingest',
      MQTT_URL: 'mqtt://127.0.0.1:1883',
      INFLUX_URL: 'http://127.0.0.1:8086',
      INFLUX_API: 'v1',
    };
    expect(() => loadSettings(cluster)).toThrow(/^SESSION_SECRET: required with INGEST_SHARE_GROUP/);
    expect(loadSettings({ ...cluster, SESSION_SECRET: secret }).cluster?.shareGroup).toBe('ingest');
  });
});
