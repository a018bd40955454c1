/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser: they need the DOM types.
/**
 * The dashboard in a real Chromium against a real server fed by the simulated fleet.
 * Screenshots go to test-results/screenshots/.
 */
import { connectAsync, type MqttClient } from 'mqtt';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../dashboard/src/i18n/en.js';
import { ka } from '../../dashboard/src/i18n/ka.js';
import { existsSync } from 'node:fs';
import { warnOnce } from '../helpers/brokers.js';
import {
  CHROMIUM,
  launchBrowser,
  paintedPixels,
  screenshot,
  seriousAxeViolations,
  signIn,
  watchCsp,
} from './browser.js';
import { ensureDashboardBuilt, startLiveServer, type LiveServer } from './live-server.js';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  warnOnce(
    `no Chromium at ${CHROMIUM}: skipping the browser tests (apt-get install chromium; CI installs it).`,
  );

describe.skipIf(!haveChromium)('dashboard in Chromium', () => {
  let server: LiveServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let page: Page;
  let mqtt: MqttClient;
  let cspViolations: string[];

  beforeAll(async () => {
    ensureDashboardBuilt();
    server = await startLiveServer();
    browser = await launchBrowser();
    context = browser.context;
    await signIn(context, server.runtime.httpUrl);
    page = await context.newPage();
    cspViolations = watchCsp(page);
    mqtt = await connectAsync(server.runtime.mqttUrl, { clientId: `e2e-pub-${process.pid}` });
  }, 120_000);

  afterAll(async () => {
    await mqtt?.endAsync();
    await browser?.close();
    await server?.stop();
  });

  const open = async (query: string) => {
    await page.goto(`${server.runtime.httpUrl}/${query}`);
    await page.waitForSelector('[data-testid="connection"][data-state="open"]', { timeout: 15_000 });
  };

  it('shows every pilot of the portfolio on the overview, live', async () => {
    await open('?lang=en');
    const pilots = [...server.registry.pilots.values()];
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="pilot-card"]').length === n,
      pilots.length,
    );
    for (const pilot of pilots) {
      const card = page.locator(`[data-testid="pilot-card"][data-pilot="${pilot.id}"]`);
      await expect.poll(() => card.locator('h2').textContent()).toBe(pilot.name.en);
      // Every card has a live headline value and says how fresh it is.
      await expect
        .poll(() => card.locator('[data-testid="headline"]').textContent(), { timeout: 15_000 })
        .not.toBe('–');
      await expect.poll(() => card.locator('[data-testid="freshness"]').textContent()).toMatch(/updated/);
    }
    await screenshot(page, 'overview-en');
  });

  it('leads a newcomer from each pilot card to its experiment', async () => {
    // On a phone, where the experiment's card is far below the fold unless the page scrolls to it.
    await page.setViewportSize({ width: 390, height: 844 });
    await open('?lang=en');
    const pilot = [...server.registry.pilots.values()].find((p) => p.domain === 'mobility');
    const experiment = pilot?.experiments[0];
    const link = page.locator(`[data-pilot="${pilot?.id}"] [data-testid="card-experiment"]`);
    expect(await link.getAttribute('href')).toContain(`experiment=${experiment?.id}`);
    await link.click();
    await page.waitForURL(/view=experiments/);
    const card = page.locator(`[data-testid="experiment-card"][data-experiment="${experiment?.id}"]`);
    await expect.poll(() => card.getAttribute('class')).toMatch(/focus/);
    // Scrolled into view.
    await expect
      .poll(() =>
        card.evaluate(
          (el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().top < innerHeight - 100,
        ),
      )
      .toBe(true);
    // Every estimate in before moving on: none is left running when the server stops.
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="exp-answer"][data-ready="true"]').length === 3,
      undefined,
      { timeout: 30_000 },
    );
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows a reading published over MQTT within 2 s', async () => {
    await open('?view=waste&lang=en');
    const cell = page.locator('tr[data-device="bin-nikea-02"] [data-testid="fill"]');
    await expect.poll(() => cell.textContent(), { timeout: 15_000 }).toMatch(/%/);
    // A timestamp a little ahead keeps the simulator's next reading from overwriting ours during the check.
    const payload = { ts: Date.now() + 120_000, seq: 999_999, fill: 0.97, battery_v: 3.6, temp_c: 12 };
    const started = Date.now();
    await mqtt.publishAsync(`${server.topicRoot}/waste/bin-nikea-02/telemetry`, JSON.stringify(payload), {
      qos: 1,
    });
    await page.waitForFunction(
      () =>
        document
          .querySelector('tr[data-device="bin-nikea-02"] [data-testid="fill"]')
          ?.textContent?.includes('97'),
      undefined,
      { timeout: 2_000, polling: 50 },
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(2_000);
    await screenshot(page, 'waste-en');
  });

  it('draws its charts (canvases with painted pixels)', async () => {
    await open('?lang=en');
    await page.waitForSelector('[data-testid="sparkline"] canvas', { timeout: 20_000 });
    expect(await paintedPixels(page, '[data-testid="sparkline"] canvas')).toBeGreaterThan(50);

    await open('?view=device&device=meter-school-centre&metric=power_kw&lang=en');
    await page.waitForSelector('[data-testid="history-chart"] canvas');
    await expect
      .poll(() => paintedPixels(page, '[data-testid="history-chart"] canvas'), { timeout: 15_000 })
      .toBeGreaterThan(200);
    // The legend names the value under the cursor (snapped to the nearest reading), with its time and unit.
    const plot = await page.locator('[data-testid="history-chart"] .u-over').boundingBox();
    if (!plot) throw new Error('no plot area');
    await page.mouse.move(plot.x + plot.width - 2, plot.y + plot.height / 2);
    const legend = page.locator('[data-testid="history-chart"] .u-legend .u-value');
    await expect.poll(() => legend.nth(1).textContent()).toMatch(/^\d[\d.,]* kW$/);
    expect(await legend.nth(0).textContent()).toMatch(/\d{2}:\d{2}/);
    // The y axis names its unit; an empty range says so.
    const chart = page.locator('[data-testid="history-chart"]');
    expect(await chart.getAttribute('data-y-unit')).toBe('kW');
    expect(await chart.getAttribute('data-x-axis')).toBe('Time (UTC+4)');
    await screenshot(page, 'device-en');
    const day = Date.UTC(2020, 0, 10);
    await open(
      `?view=device&device=meter-school-centre&metric=power_kw&range=custom&from=${day}&to=${day + 86_400_000}&lang=en`,
    );
    await expect
      .poll(() => page.locator('[data-testid="chart-empty"]').textContent())
      .toBe(en['chart.no_data']);
  });

  it('speaks Georgian with ?lang=ka, with no raw catalogue keys, and keeps the choice', async () => {
    for (const view of ['overview', 'waste', 'mobility', 'energy', 'device']) {
      await open(`?view=${view}&lang=ka`);
      await page.waitForTimeout(500);
      const text = await page.locator('body').innerText();
      expect(await page.getAttribute('html', 'lang')).toBe('ka');
      expect(text).toContain(ka[`nav.${view}` as keyof typeof ka]);
      expect(text).toMatch(/[\u10D0-\u10FF]{4}/);
      const rawKeys = Object.keys(en).filter((key) => text.includes(key));
      expect(rawKeys, view).toEqual([]);
      expect(text).not.toContain(en['app.subtitle']);
      // Chromium has no Georgian Intl data: relative times and months must not fall back to English.
      expect(text).not.toMatch(/\b(ago|sec|min|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/);
      await screenshot(page, `${view}-ka`);
    }
    // A choice made in the page persists: without ?lang the stored choice applies, and the URL shows it.
    await open('?lang=en');
    expect(await page.locator('body').innerText()).toContain(en['app.subtitle']);
    await page.selectOption('[data-testid="lang-select"]', 'ka');
    await page.waitForURL(/lang=ka/);
    await open('?view=waste');
    expect(await page.getAttribute('html', 'lang')).toBe('ka');
    expect(page.url()).toMatch(/lang=ka/);
    expect(await page.locator('body').innerText()).toContain(ka['waste.bins_title']);
  });

  it('has no serious or critical accessibility violations (axe-core)', async () => {
    for (const query of [
      '?lang=en',
      '?view=waste&lang=ka',
      '?view=mobility&lang=en',
      '?view=energy&lang=ka',
      '?view=device&lang=en',
    ]) {
      await open(query);
      await page.waitForTimeout(1_000);
      const violations = await seriousAxeViolations(page);
      expect(
        violations.map((v) => `${query} ${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.target))}`),
      ).toEqual([]);
    }
  });

  it('can be used with the keyboard alone', async () => {
    await open('?lang=en');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(en['app.skip']);
    const waste = page.locator('nav a', { hasText: en['nav.waste'] });
    await waste.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/view=waste/);
    await page.waitForSelector('[data-testid="bins-table"]');
  });

  it('runs every view above under the Content-Security-Policy without a violation', async () => {
    const csp = (await fetch(`${server.runtime.httpUrl}/`)).headers.get('content-security-policy');
    expect(csp).toMatch(/script-src 'self'/);
    expect(cspViolations).toEqual([]);
  });
});
