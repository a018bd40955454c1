/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser: they need the DOM types.
/**
 * The installable dashboard without signal, in Chromium: nothing is kept for a signed-out visitor;
 * once signed in, the service worker keeps the app shell, the collection plan and the device list,
 * and with the network gone the page still opens and shows them "as of" the time they were saved;
 * ticks on the plan survive a reload; signing out deletes every cache and the worker. The server's
 * Content-Security-Policy holds throughout (the worker and the manifest are same-origin).
 */
import { existsSync } from 'node:fs';
import { connectAsync } from 'mqtt';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../dashboard/src/i18n/en.js';
import { warnOnce } from '../helpers/brokers.js';
import { CHROMIUM, launchBrowser, screenshot, signIn, watchCsp } from './browser.js';
import { ensureDashboardBuilt, startLiveServer, type LiveServer } from './live-server.js';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) warnOnce(`no Chromium at ${CHROMIUM}: skipping the offline browser tests.`);

const cacheNames = (page: Page) => page.evaluate(() => caches.keys());
const workers = (page: Page) =>
  page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length);
const keptUrls = (page: Page) =>
  page.evaluate(async () => {
    const names = await caches.keys();
    const data = names.find((n) => n.includes('data'));
    if (!data) return [] as string[];
    return (await (await caches.open(data)).keys()).map(
      (r) => new URL(r.url).pathname + new URL(r.url).search,
    );
  });

describe.skipIf(!haveChromium)('the dashboard without signal', () => {
  let server: LiveServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let cspViolations: string[];
  let planBins: string[] = [];

  beforeAll(async () => {
    ensureDashboardBuilt();
    // No live bins: the plan is the history's and two full bins', and stays the same while the test runs.
    server = await startLiveServer({ history: true, fleet: { waste: 0 } });
    const mqtt = await connectAsync(server.runtime.mqttUrl, { clientId: `e2e-offline-${process.pid}` });
    for (const bin of ['bin-nikea-02', 'bin-bagrati-01']) {
      const payload = { ts: Date.now(), seq: 999_999, fill: 0.95, battery_v: 3.6, temp_c: 12 };
      await mqtt.publishAsync(`${server.topicRoot}/waste/${bin}/telemetry`, JSON.stringify(payload), {
        qos: 1,
      });
    }
    await mqtt.endAsync();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    cspViolations = watchCsp(page);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('keeps nothing for a signed-out visitor, and serves the manifest and its icons', async () => {
    await page.goto(`${server.runtime.httpUrl}/?lang=en`);
    await page.waitForSelector('[data-testid="login-form"]');
    await page.waitForTimeout(500);
    expect(await workers(page)).toBe(0);
    expect(await cacheNames(page)).toEqual([]);
    const manifest = await fetch(`${server.runtime.httpUrl}/manifest.webmanifest`);
    expect(manifest.status).toBe(200);
    const body = (await manifest.json()) as { icons: { src: string }[]; display: string };
    expect(body.display).toBe('standalone');
    for (const icon of body.icons)
      expect((await fetch(`${server.runtime.httpUrl}${icon.src}`)).status, icon.src).toBe(200);
  });

  it('once signed in, keeps the shell, the plan and the device list', { timeout: 90_000 }, async () => {
    await signIn(browser.context, server.runtime.httpUrl);
    await page.goto(`${server.runtime.httpUrl}/?view=collection&lang=en`);
    await page.waitForSelector('[data-testid="plan-site"] li[data-device]', { timeout: 30_000 });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 15_000,
    });
    await expect
      .poll(() => keptUrls(page), { timeout: 15_000 })
      .toEqual(
        expect.arrayContaining([
          '/api/auth/me',
          '/api/portfolio',
          '/api/waste/collection-plan?horizon=24h',
          '/api/device-health',
        ]),
      );
    expect((await cacheNames(page)).some((n) => n.startsWith('kutaisi-shell-'))).toBe(true);
    planBins = await page.$$eval('[data-testid="plan-site"] li[data-device]', (items) =>
      items.map((li) => li.getAttribute('data-device') ?? ''),
    );
    expect(planBins).toEqual(expect.arrayContaining(['bin-nikea-02', 'bin-bagrati-01']));
  });

  it(
    'opens without a network and shows the saved plan and devices with their time',
    { timeout: 90_000 },
    async () => {
      await browser.context.setOffline(true);
      try {
        await page.goto(`${server.runtime.httpUrl}/?view=collection&lang=en`);
        await page.waitForSelector('[data-testid="plan-site"] li[data-device]', { timeout: 15_000 });
        const shown = await page.$$eval('[data-testid="plan-site"] li[data-device]', (items) =>
          items.map((li) => li.getAttribute('data-device') ?? ''),
        );
        expect(shown).toEqual(planBins);
        const asOf = page.locator('[data-testid="offline-as-of"]');
        await expect.poll(() => asOf.textContent()).toMatch(/collection plan as of \d{2}:\d{2}/);
        expect(await page.locator('[data-testid="offline-banner"]').textContent()).toContain(
          en['offline.title'],
        );

        // A tick made without signal stays after a reload (kept in this browser only).
        const first = page.locator(`li[data-device="${planBins[0]}"] [data-testid="plan-tick"]`);
        await first.check();
        await page.reload();
        await page.waitForSelector('[data-testid="plan-site"] li[data-device]');
        expect(await page.locator(`li[data-device="${planBins[0]}"]`).getAttribute('data-done')).toBe('true');
        const progress = page.locator('[data-testid="plan-progress"]');
        expect(Number(await progress.getAttribute('data-left'))).toBe(planBins.length - 1);
        await screenshot(page, 'offline-collection-en');

        await page.goto(`${server.runtime.httpUrl}/?view=health&lang=ka`);
        await page.waitForSelector('[data-testid="health-table"] tbody tr');
        expect(await page.locator('[data-testid="health-table"] tbody tr').count()).toBe(
          server.registry.devices.size,
        );
        await expect.poll(() => asOf.textContent()).toMatch(/\d{2}:\d{2}/);
      } finally {
        await browser.context.setOffline(false);
      }
      // The signal is back: without a reload, the live stream reconnects and fresh data replace the saved.
      await page.waitForSelector('[data-testid="connection"][data-state="open"]', { timeout: 20_000 });
      await expect
        .poll(() => page.locator('[data-testid="offline-banner"]').count(), { timeout: 10_000 })
        .toBe(0);
    },
  );

  it('signing out deletes every cache and the worker', async () => {
    await page.goto(`${server.runtime.httpUrl}/?lang=en`);
    await page.waitForSelector('[data-testid="logout"]');
    await page.click('[data-testid="logout"]');
    await page.waitForSelector('[data-testid="login-form"]');
    await expect.poll(() => cacheNames(page)).toEqual([]);
    await expect.poll(() => workers(page)).toBe(0);
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kutaisi.plan.'))),
    ).toEqual([]);
  });

  it('runs under the Content-Security-Policy without a violation', async () => {
    const csp = (await fetch(`${server.runtime.httpUrl}/`)).headers.get('content-security-policy');
    expect(csp).toMatch(/default-src 'self'/);
    expect(cspViolations).toEqual([]);
  });
});
