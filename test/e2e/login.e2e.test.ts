/// <reference lib="dom" />
/**
 * Signing in, in Chromium: an anonymous visitor sees only the login form (in Georgian too, axe
 * clean); the form signs in and the live stream connects; a viewer has no acknowledge button and
 * no CSV download, an operator has the button; a session ended on the server brings the form back,
 * and signing in again reconnects. In public mode the form shows the public pilots, live.
 */
import { existsSync } from 'node:fs';
import { connectAsync } from 'mqtt';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../dashboard/src/i18n/en.js';
import { ka } from '../../dashboard/src/i18n/ka.js';
import { publicPortfolio } from '../helpers/portfolios.js';
import { login, TEST_ADMIN_PASSWORD } from '../helpers/server-under-test.js';
import { CHROMIUM, launchBrowser, screenshot, seriousAxeViolations, watchCsp } from './browser.js';
import { ensureDashboardBuilt, startLiveServer, type LiveServer } from './live-server.js';

describe.skipIf(!existsSync(CHROMIUM))('signing in, in Chromium', () => {
  let server: LiveServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let csp: string[];
  let url: string;

  beforeAll(async () => {
    ensureDashboardBuilt();
    server = await startLiveServer();
    url = server.runtime.httpUrl;
    const admin = await login(url, 'admin', TEST_ADMIN_PASSWORD);
    for (const role of ['viewer', 'operator'])
      await fetch(`${url}/api/auth/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ username: `e2e-${role}`, password: `${role}-password-1`, role }),
      });
    const mqtt = await connectAsync(server.runtime.mqttUrl, { clientId: `e2e-login-${process.pid}` });
    const payload = { ts: Date.now() + 120_000, seq: 999_999, fill: 0.97, battery_v: 3.6, temp_c: 12 };
    await mqtt.publishAsync(`${server.topicRoot}/waste/bin-nikea-02/telemetry`, JSON.stringify(payload), {
      qos: 1,
    });
    await mqtt.endAsync();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    csp = watchCsp(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const signInWithForm = async (username: string, password: string, succeeds = true) => {
    await page.fill('[data-testid="login-username"]', username);
    await page.fill('[data-testid="login-password"]', password);
    await page.click('[data-testid="login-submit"]');
    if (succeeds) await page.waitForSelector(`[data-testid="user"]`);
  };
  const live = () =>
    page.waitForSelector('[data-testid="connection"][data-state="open"]', { timeout: 15_000 });
  const signOut = async () => {
    await page.click('[data-testid="logout"]');
    await page.waitForSelector('[data-testid="login-form"]');
  };

  it('shows an anonymous visitor only the login form, in Georgian, with no serious axe finding', async () => {
    await page.goto(`${url}/?lang=ka`);
    await page.waitForSelector('[data-testid="login-form"]');
    expect(await page.locator('nav').count()).toBe(0);
    expect(await page.locator('[data-testid="connection"]').count()).toBe(0);
    const text = await page.locator('body').innerText();
    expect(text).toContain(ka['auth.title']);
    expect(text).toContain(ka['auth.password']);
    expect(Object.keys(en).filter((key) => text.includes(key))).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'login-ka');
  });

  it('refuses a wrong password, then signs in through the form and goes live', async () => {
    await page.goto(`${url}/?lang=en`);
    await signInWithForm('admin', 'not the password', false);
    await expect
      .poll(() => page.locator('[data-testid="login-error"]').textContent())
      .toBe(en['auth.bad_credentials']);
    await signInWithForm('admin', TEST_ADMIN_PASSWORD);
    await live();
    await page.waitForSelector('[data-testid="pilot-card"]');
    expect(await page.locator('[data-testid="user"]').innerText()).toBe(
      en['auth.signed_in'].replace('{username}', 'admin').replace('{role}', en['role.admin']),
    );
    await signOut();
    expect(await page.locator('[data-testid="connection"]').count()).toBe(0);
  });

  it('hides acknowledging and the CSV download from a viewer; an operator may acknowledge', async () => {
    await signInWithForm('e2e-viewer', 'viewer-password-1');
    await live();
    const row = '[data-testid="alerts-table"] tr[data-rule="fill_high"][data-device="bin-nikea-02"]';
    await page.goto(`${url}/?view=alerts&lang=en`);
    await page.waitForSelector(row, { timeout: 15_000 });
    expect(await page.locator('[data-testid="ack-button"]').count()).toBe(0);
    await page.goto(`${url}/?view=collection&lang=en`);
    await page.waitForSelector('[data-testid="plan-site"]', { timeout: 15_000 });
    expect(await page.locator('[data-testid="plan-csv"]').count()).toBe(0);
    await signOut();

    await signInWithForm('e2e-operator', 'operator-password-1');
    await page.goto(`${url}/?view=alerts&lang=en`);
    await page.waitForSelector(`${row} [data-testid="ack-button"]`, { timeout: 15_000 });
  });

  it('brings the form back when the session ends on the server, and reconnects after signing in', async () => {
    await live();
    const cookie = (await browser.context.cookies(url)).find((c) => c.name === 'kutaisi_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    // Signed out elsewhere (another tab, an API client with the same session): the socket closes.
    await fetch(`${url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: `kutaisi_session=${cookie?.value}` },
    });
    await page.waitForSelector('[data-testid="session-ended"]', { timeout: 10_000 });
    await signInWithForm('e2e-operator', 'operator-password-1');
    await live();
    expect(csp).toEqual([]);
  });

  it('shows the public pilots, live, under the form in public mode', async () => {
    const open = await startLiveServer({ portfolioPath: publicPortfolio(['school-energy']) });
    // A browser of its own: the persistent context has no browser() to open a clean context from,
    // and its pages carry the signed-in operator's cookie (cookies ignore the port).
    const anonymous = await launchBrowser();
    try {
      const visitor = await anonymous.context.newPage();
      await visitor.goto(`${open.runtime.httpUrl}/?lang=en`);
      await visitor.waitForSelector('[data-testid="public-indicators"] [data-testid="pilot-card"]');
      const cards = visitor.locator('[data-testid="pilot-card"]');
      expect(await cards.count()).toBe(1);
      expect(await cards.getAttribute('data-pilot')).toBe('school-energy');
      await expect
        .poll(() => cards.locator('[data-testid="headline"]').textContent(), { timeout: 15_000 })
        .not.toBe('–');
      expect(await visitor.locator('[data-testid="login-form"]').count()).toBe(1);
      await screenshot(visitor, 'login-public-en');
      await visitor.close();
    } finally {
      await anonymous.close();
      await open.stop();
    }
    // A server and its fleet start inside the test, and the headline waits up to 15 s for live data.
  }, 60_000);
});
