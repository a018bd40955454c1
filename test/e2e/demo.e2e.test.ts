/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser: they need the DOM types.
/**
 * `npm run demo` on an empty data folder, in Chromium: the product started as the demo starts it
 * (server/src/main.ts, DEMO=1), with its simulated history from DEMO_E2E_FROM. While the history
 * loads the dashboard answers and shows a banner (en, ka); once it is stored the banner goes, every
 * experiment has primary effects and the Experiments view draws them, Energy shows its baselines.
 * Then a restart on the same folder fills only the gap and rewrites nothing.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../dashboard/src/i18n/en.js';
import { ka } from '../../dashboard/src/i18n/ka.js';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import { LocalCalendar } from '../../server/src/calendar/city-calendar.js';
import { DuckDbStore } from '../../server/src/store/duckdb/duckdb-store.js';
import { waitFor, warnOnce } from '../helpers/brokers.js';
import { CHROMIUM, launchBrowser, screenshot, signIn } from './browser.js';
import { startDemoProduct, type DemoProduct } from './demo-product.js';
import { ensureDashboardBuilt } from './live-server.js';
import { DEMO_ADMIN_PASSWORD } from '../../server/src/auth/auth-settings.js';

/**
 * The history's start for the test: the energy experiment's baseline runs 2025-11-01..2026-04-30,
 * so this is the latest start that still leaves it a month of baseline (as the experiments browser
 * test has); waste and mobility need 2026-06-01 on. 62 % of the portfolio's full 13 months.
 */
export const DEMO_E2E_FROM = '2026-04-01';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) warnOnce(`no Chromium at ${CHROMIUM}: skipping the demo browser test.`);

interface ApiEffect {
  kpi: string;
  estimate: number | null;
  diagnostics: { primary?: boolean };
}

describe.skipIf(!haveChromium)('npm run demo on an empty data folder, in Chromium', () => {
  const registry = loadRegistry('config/portfolio.yaml');
  const ids = registry.portfolio.pilots.flatMap((p) => p.experiments.map((e) => e.id));
  const dataDir = mkdtempSync(join(tmpdir(), 'kutaisi-e2e-demo-'));
  const env = { DEMO_HISTORY_FROM: DEMO_E2E_FROM };
  let demo: DemoProduct;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let token: string;
  let firstHistory: { readings: number; from: string | null };

  beforeAll(async () => {
    ensureDashboardBuilt();
    demo = await startDemoProduct(dataDir, env);
    browser = await launchBrowser();
    await signIn(browser.context, demo.url, 'admin', DEMO_ADMIN_PASSWORD);
    page = await browser.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers during the fill and shows the banner in English and Georgian, then hides it', async () => {
    // The server answers a moment before its history begins.
    await waitFor('the history to start loading', async () =>
      (await demo.history())?.state === 'loading' ? true : undefined,
    );
    await page.goto(`${demo.url}/?view=overview&lang=en`);
    const banner = page.locator('[data-testid="history-banner"]');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.innerText()).toMatch(/^Loading simulated history: \d+ %/);
    // The page's portfolio and live cards are there while the history loads.
    await page.locator('[data-testid="pilot-card"]').first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'demo-loading-en');
    await page.goto(`${demo.url}/?view=overview&lang=ka`);
    await banner.waitFor({ timeout: 20_000 });
    const georgian = ka['history.loading'].split('{percent}')[0] ?? '';
    expect(georgian.length).toBeGreaterThan(5);
    expect(await banner.innerText()).toContain(georgian.trim());
    // Screen readers hear it in the polite live region.
    const live = page.locator('[data-testid="history-announcement"]');
    expect(await live.getAttribute('aria-live')).toBe('polite');
    expect(await live.innerText()).toContain(georgian.trim());

    const done = await demo.historyDone(240_000);
    firstHistory = done;
    expect(done.from).toBe(DEMO_E2E_FROM);
    expect(done.readings).toBeGreaterThan(400_000);
    await banner.waitFor({ state: 'detached', timeout: 10_000 });
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid="history-announcement"]')?.textContent === text,
      ka['history.done'],
      { timeout: 10_000 },
    );
  }, 300_000);

  it('gives every experiment primary effects, and the Experiments view draws a forest plot for each', async () => {
    token = await demo.adminToken();
    for (const id of ids) {
      const response = await fetch(`${demo.url}/api/experiments/${id}/effects`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status, id).toBe(200);
      const { effects } = (await response.json()) as { effects: ApiEffect[] };
      const primary = effects.filter((e) => e.diagnostics.primary === true && Number.isFinite(e.estimate));
      expect(primary.length, id).toBeGreaterThan(0);
    }
    await page.goto(`${demo.url}/?view=experiments&lang=en`);
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="exp-answer"][data-ready="true"]').length === n,
      ids.length,
      { timeout: 90_000 },
    );
    for (const id of ids)
      expect(await page.locator(`[data-experiment="${id}"] [data-testid="forest-plot"]`).count(), id).toBe(1);
    const text = await page.locator('main').innerText();
    expect(text).not.toContain(en['exp.no_effects']);
    expect(text).not.toContain('could not be estimated');
    for (const item of await page.locator('[data-testid="exp-answer"]').allInnerTexts())
      expect(item).toMatch(/95 % interval/);
    await screenshot(page, 'demo-experiments-en');
  }, 150_000);

  it('shows every building with its power and energy baselines on Energy', async () => {
    await page.goto(`${demo.url}/?view=energy&lang=en`);
    const meters = registry.portfolio.devices.filter((d) => d.domain === 'energy').map((d) => d.id);
    await page.waitForFunction(
      (n) =>
        [...document.querySelectorAll('[data-testid="energy-buildings"] tbody tr')].filter((row) =>
          [...row.querySelectorAll('td')].slice(0, 4).every((td) => /\d/.test(td.textContent ?? '')),
        ).length === n,
      meters.length,
      { timeout: 30_000 },
    );
    expect(await page.locator('main').innerText()).not.toContain(en['energy.no_baseline']);
    await screenshot(page, 'demo-energy-en');
  }, 60_000);

  it('fills only the gap when restarted on the same data folder, and rewrites nothing', async () => {
    await browser.close();
    await demo.stop();
    const calendar = new LocalCalendar(registry.portfolio.timezone);
    const meters = registry.portfolio.devices.filter((d) => d.domain === 'energy').map((d) => d.id);
    const count = async (until?: number) => {
      const store = new DuckDbStore(join(dataDir, 'telemetry.duckdb'));
      await store.open();
      try {
        const newest = Math.max(...(await store.lastSeen()).values());
        const to = (until ?? newest) + 1;
        // The meters' power readings up to the first run's newest, each counted once.
        const { series } = await store.series({
          selectors: [{ key: 'meters', devices: meters }],
          metric: 'power_kw',
          from: 0,
          to,
          step: to,
          agg: 'count',
        });
        return { rows: await store.countRows(), newest, power: series[0]?.values[0] ?? 0 };
      } finally {
        await store.close();
      }
    };
    const before = await count();
    expect(before.rows).toBeGreaterThan(firstHistory.readings);
    demo = await startDemoProduct(dataDir, env);
    const gap = await demo.historyDone(120_000);
    const stoppedFor = Date.now() - before.newest;
    // From the newest stored reading, not from DEMO_HISTORY_FROM again: at most a reading per
    // device and registry interval since then (plus the one at the boundary).
    expect(gap.from).toBe(calendar.dateOf(before.newest + 1));
    expect(gap.readings).toBeLessThanOrEqual(registry.devices.size * (Math.ceil(stoppedFor / 900_000) + 1));
    await demo.stop();
    const after = await count(before.newest);
    // What was stored stays as it was; the restart only added the gap and its live minutes.
    expect(after.power).toBe(before.power);
    expect(before.power).toBeGreaterThan(meters.length * 96 * 200);
    expect(after.rows).toBeGreaterThanOrEqual(before.rows);
    expect(after.rows - before.rows).toBeLessThan(before.rows / 100);
  }, 240_000);
});
