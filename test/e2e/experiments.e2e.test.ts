/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser: they need the DOM types.
/**
 * The Experiments and Portfolio views in Chromium against a real server whose
 * store holds a few weeks of simulated history (planted effects) on both sides
 * of every experiment's start: the forest plots draw, their numbers are the
 * API's, axe finds nothing serious, and ?lang=ka speaks Georgian.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../dashboard/src/i18n/en.js';
import { ka } from '../../dashboard/src/i18n/ka.js';
import { loadRegistry } from '../../server/src/config/portfolio.js';
import { loadSettings } from '../../server/src/config/settings.js';
import { startRuntime, type Runtime } from '../../server/src/runtime.js';
import { DuckDbStore } from '../../server/src/store/duckdb/duckdb-store.js';
import { backfill, PORTFOLIO } from '../experiments/sim-backfill.js';
import { uniqueName, warnOnce } from '../helpers/brokers.js';
import { login, TEST_ADMIN_PASSWORD } from '../helpers/server-under-test.js';
import {
  CHROMIUM,
  launchBrowser,
  paintedPixels,
  screenshot,
  seriousAxeViolations,
  signIn,
} from './browser.js';
import { ensureDashboardBuilt } from './live-server.js';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) warnOnce(`no Chromium at ${CHROMIUM}: skipping the experiments browser tests.`);

interface ApiEffect {
  kpi: string;
  estimate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  diagnostics: { primary?: boolean };
}

describe.skipIf(!haveChromium)('Experiments and Portfolio views in Chromium', () => {
  const registry = loadRegistry(PORTFOLIO);
  let runtime: Runtime;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    ensureDashboardBuilt();
    const dataDir = mkdtempSync(join(tmpdir(), 'kutaisi-e2e-exp-'));
    // Short windows around each start keep the backfill and the server's bootstraps quick.
    const store = new DuckDbStore(join(dataDir, 'telemetry.duckdb'));
    await store.open();
    const common = { store, seed: 5, registry };
    await backfill({ ...common, ranges: [['2026-08-11', '2026-09-22']], domains: ['waste', 'mobility'] });
    await backfill({
      ...common,
      ranges: [
        ['2026-04-01', '2026-05-01'],
        ['2026-09-15', '2026-10-13'],
      ],
      domains: ['energy'],
    });
    await store.close();
    const settings = loadSettings({
      PORT: '0',
      MQTT_EMBEDDED_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      MQTT_CLIENT_ID: uniqueName('ingest'),
      MQTT_TOPIC_ROOT: `${uniqueName('e2e-exp')}/v1`,
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    });
    runtime = await startRuntime(settings, registry, join(process.cwd(), 'dashboard/dist'));
    token = await login(runtime.httpUrl, 'admin', TEST_ADMIN_PASSWORD);
    browser = await launchBrowser();
    await signIn(browser.context, runtime.httpUrl);
    page = await browser.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  const api = async (id: string) => {
    const response = await fetch(`${runtime.httpUrl}/api/experiments/${id}/effects`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as { effects: ApiEffect[] };
    return body.effects.filter((e) => e.diagnostics.primary === true && e.estimate !== null);
  };

  it('draws a forest plot per experiment whose numbers are the API’s', async () => {
    await page.goto(`${runtime.httpUrl}/?view=experiments&lang=en`);
    const ids = registry.portfolio.pilots.flatMap((p) => p.experiments.map((e) => e.id));
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="forest-plot"]').length === n,
      ids.length,
      { timeout: 60_000 },
    );
    for (const id of ids) {
      const expected = await api(id);
      expect(expected.length, id).toBeGreaterThan(0);
      const drawn = await page.$$eval(
        `[data-experiment="${id}"] [data-testid="forest-plot"] [data-kpi]`,
        (rows) =>
          rows.map((g) => {
            const box = (g.querySelector('line.ci') as SVGGraphicsElement).getBBox();
            return {
              kpi: g.getAttribute('data-kpi'),
              estimate: Number(g.getAttribute('data-estimate')),
              low: Number(g.getAttribute('data-low')),
              high: Number(g.getAttribute('data-high')),
              width: box.width,
            };
          }),
      );
      expect(drawn.map((d) => d.kpi).sort(), id).toEqual(expected.map((e) => e.kpi).sort());
      for (const e of expected) {
        const row = drawn.find((d) => d.kpi === e.kpi);
        expect(row?.estimate, `${id} ${e.kpi}`).toBe(e.estimate);
        expect(row?.low, `${id} ${e.kpi}`).toBe(e.ci_low);
        expect(row?.high, `${id} ${e.kpi}`).toBe(e.ci_high);
        if ((e.ci_high ?? 0) > (e.ci_low ?? 0)) expect(row?.width, `${id} ${e.kpi}`).toBeGreaterThan(0);
      }
    }
    // One axis per unit: every row of an axis has the axis's unit, and no unit has two axes in one plot.
    const axes = await page.$$eval('[data-testid="forest-plot"]', (plots) =>
      plots.map((plot) =>
        [...plot.querySelectorAll('[data-testid="forest-axis"]')].map((axis) => ({
          unit: axis.getAttribute('data-unit'),
          rows: [...axis.querySelectorAll('[data-kpi]')].map((row) => row.getAttribute('data-unit')),
        })),
      ),
    );
    for (const plot of axes) {
      expect(new Set(plot.map((a) => a.unit)).size).toBe(plot.length);
      for (const axis of plot) expect(new Set(axis.rows)).toEqual(new Set([axis.unit]));
    }
    expect(axes.flat().length).toBeGreaterThan(axes.length);
    // The one-line answers lead the page, one per experiment, with the first KPI's estimate and interval.
    const answers = await page.$$eval('[data-testid="exp-answer"]', (items) =>
      items.map((li) => ({ id: li.getAttribute('data-experiment'), text: li.textContent ?? '' })),
    );
    expect(answers.map((a) => a.id)).toEqual(ids);
    const bike = answers.find((a) => a.id === 'rustaveli-bike-lane')?.text ?? '';
    const cyclists = (await api('rustaveli-bike-lane')).find((e) => e.kpi === 'daily_bicycle');
    const pct = (v: number | null | undefined) =>
      `${(v ?? 0) >= 0 ? '+' : '−'}${Math.abs(Math.round((v ?? 0) * 100))}`;
    expect(bike).toBe(
      `Active mobility corridor: ${pct(cyclists?.estimate)} % cyclists (95 % interval ${pct(cyclists?.ci_low)} … ${pct(cyclists?.ci_high)} %)`,
    );
    // The intervention-vs-control chart draws, with the start marked.
    const chart = `[data-experiment="rustaveli-bike-lane"] [data-testid="arm-chart"] canvas`;
    await page.waitForSelector(chart);
    expect(await paintedPixels(page, chart)).toBeGreaterThan(500);
    await screenshot(page, 'experiments-en');
  }, 90_000);

  it('has no serious or critical axe violations on the Experiments and Portfolio views', async () => {
    for (const view of ['experiments', 'portfolio']) {
      await page.goto(`${runtime.httpUrl}/?view=${view}&lang=en`);
      const testid = view === 'experiments' ? 'forest-plot' : 'portfolio-forest';
      await page.waitForFunction(
        (sel) => document.querySelectorAll(sel).length === 3,
        `[data-testid="${testid}"]`,
        { timeout: 60_000 },
      );
      const violations = await seriousAxeViolations(page);
      expect(
        violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
        view,
      ).toEqual([]);
    }
    await screenshot(page, 'portfolio-en');
  }, 90_000);

  it('says "loading" while effects load, never a state of the experiment', async () => {
    // Effects held back for a while: the page meanwhile must not claim the reporting period has not started.
    await page.route('**/api/experiments/*/effects', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await route.continue().catch(() => undefined);
    });
    try {
      await page.goto(`${runtime.httpUrl}/?view=experiments&lang=en`);
      await page.waitForSelector('[data-testid="exp-loading"]');
      const reporting = await page.locator('[data-testid="exp-reporting"]').allTextContents();
      expect(reporting.map((r) => r.trim())).toEqual(reporting.map(() => en['app.loading']));
      expect(await page.locator('body').innerText()).not.toContain(en['exp.not_started']);
      expect(await page.locator('[data-testid="exp-answer"]').first().textContent()).toContain('estimating');
      // Every estimate arrives in the end (and none is left running on the server).
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid="exp-answer"][data-ready="true"]').length === 3,
        undefined,
        { timeout: 60_000 },
      );
    } finally {
      await page.unrouteAll({ behavior: 'ignoreErrors' });
    }
  }, 60_000);

  it('speaks Georgian with ?lang=ka', async () => {
    await page.goto(`${runtime.httpUrl}/?view=experiments&lang=ka`);
    await expect.poll(() => page.locator('h1#experiments-title').textContent()).toBe(ka['exp.title']);
    expect(await page.getAttribute('html', 'lang')).toBe('ka');
    const question = registry.portfolio.pilots[0]?.experiments[0]?.question.ka ?? '';
    await expect
      .poll(() => page.locator('[data-testid="experiment-card"] h2').first().textContent())
      .toContain(question);
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="exp-answer"][data-ready="true"]').length === 3,
      undefined,
      { timeout: 60_000 },
    );
    const header = await page.locator('[data-testid="effects-table"] th').first().textContent();
    expect(header).toBe(ka['exp.col.kpi']);
    await page.goto(`${runtime.httpUrl}/?view=portfolio&lang=ka`);
    await expect.poll(() => page.locator('h1#portfolio-title').textContent()).toBe(ka['portfolio.title']);
    // All three estimates in, so none is still running when the server stops.
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="portfolio-forest"]').length === 3,
      undefined,
      {
        timeout: 60_000,
      },
    );
    await screenshot(page, 'portfolio-ka');
  }, 90_000);
});
