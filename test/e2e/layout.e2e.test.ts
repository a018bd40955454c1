/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser: they need the DOM types.
/**
 * Every view on a phone (390 × 844) and a desktop (1400 × 900), in Georgian and English, signed in,
 * against a server with history and a live fleet: no sideways page scroll, no visible table cell,
 * label, link or button cut at the right edge, no console error, axe clean of serious/critical.
 * One server and one browser for the whole file; a figures line per viewport and language.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warnOnce } from '../helpers/brokers.js';
import { CHROMIUM, launchBrowser, screenshot, seriousAxeViolations, signIn, watchCsp } from './browser.js';
import { ensureDashboardBuilt, startLiveServer, type LiveServer } from './live-server.js';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) warnOnce(`no Chromium at ${CHROMIUM}: skipping the layout browser tests.`);

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1400, height: 900 },
] as const;
const LANGS = ['ka', 'en'] as const;

/**
 * Each view's query and the selector that says its data are on screen (`count` of them: every
 * experiment's effects, so that no estimation is still running on the server when it stops).
 */
const VIEWS: { view: string; query: string; ready: string; count?: number }[] = [
  { view: 'overview', query: '', ready: '[data-testid="pilot-card"] [data-testid="sparkline"]' },
  { view: 'waste', query: 'view=waste', ready: '[data-testid="bins-table"] [data-device]' },
  { view: 'mobility', query: 'view=mobility', ready: '[data-testid="profile-chart"] canvas' },
  { view: 'energy', query: 'view=energy', ready: '[data-testid="daily-chart"] canvas' },
  {
    view: 'device',
    query: 'view=device&device=bin-central-square-01&metric=fill&range=7d',
    ready: '[data-testid="history-chart"] canvas',
  },
  {
    view: 'alerts',
    query: 'view=alerts',
    ready: '[data-testid="alerts-table"], [data-testid="alerts-empty"]',
  },
  {
    view: 'collection',
    query: 'view=collection',
    ready: '[data-testid="plan-site"], [data-testid="plan-empty"]',
  },
  { view: 'health', query: 'view=health', ready: '[data-testid="health-table"]' },
  { view: 'experiments', query: 'view=experiments', ready: '[data-testid="forest-plot"]', count: 3 },
  { view: 'portfolio', query: 'view=portfolio', ready: '[data-testid="portfolio-forest"]', count: 3 },
];

interface LayoutFigures {
  /** Page width beyond the viewport, in CSS pixels (0 = no sideways scroll). */
  overflowPx: number;
  /** Visible cells, labels, links, buttons and form fields whose box ends past the right edge. */
  cut: string[];
  /** Controls a finger taps that are less than 44 px tall (links inside running text excepted). */
  small: string[];
}

/** Measured in the page: the elements a person reads or taps, and whether any ends off screen. */
function measureLayout(): LayoutFigures {
  const width = window.innerWidth;
  const scroller = document.scrollingElement ?? document.documentElement;
  const selector = 'td, th, label, a, button, select, input, summary, legend, h1, h2, h3, dt, dd, li';
  const cut: string[] = [];
  /** Hidden, or clipped away by an ancestor that hides its overflow (text only a screen reader reads). */
  const unseen = (element: HTMLElement, box: DOMRect): boolean => {
    if (box.width <= 1 || box.height <= 1) return true;
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || style.display === 'none') return true;
    if (element.closest('[hidden], [aria-hidden="true"], .skip')) return true;
    let left = box.left;
    let right = box.right;
    for (let a = element.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.clip !== 'auto' && s.position === 'absolute') return true;
      if (s.overflowX === 'hidden' || s.overflowX === 'clip') {
        const r = a.getBoundingClientRect();
        left = Math.max(left, r.left);
        right = Math.min(right, r.right);
        if (right - left <= 1) return true;
      }
    }
    return false;
  };
  for (const element of document.querySelectorAll<HTMLElement>(selector)) {
    const box = element.getBoundingClientRect();
    if (unseen(element, box)) continue;
    if (box.right > width + 0.5) {
      const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      cut.push(`${element.tagName.toLowerCase()} "${text}" ends at ${Math.round(box.right)} px`);
    }
  }
  const small: string[] = [];
  const controls =
    'button, select, input:not([type="checkbox"]):not([type="radio"]), label:has(> input[type="checkbox"]), label:has(> input[type="radio"]), nav a, summary, [role="button"]';
  for (const element of document.querySelectorAll<HTMLElement>(controls)) {
    const box = element.getBoundingClientRect();
    if (unseen(element, box)) continue;
    if (box.height < 43.5) {
      const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      small.push(`${element.tagName.toLowerCase()} "${text}" is ${Math.round(box.height)} px tall`);
    }
  }
  return { overflowPx: Math.max(0, scroller.scrollWidth - width), cut, small };
}

describe.skipIf(!haveChromium)('every view fits a phone and a desktop, in both languages', () => {
  let server: LiveServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let consoleErrors: string[] = [];
  let cspViolations: string[];

  beforeAll(async () => {
    ensureDashboardBuilt();
    server = await startLiveServer({ history: true });
    browser = await launchBrowser();
    await signIn(browser.context, server.runtime.httpUrl);
    page = await browser.context.newPage();
    cspViolations = watchCsp(page);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function check(view: (typeof VIEWS)[number], lang: string, viewport: string): Promise<string[]> {
    consoleErrors = [];
    const query = view.query ? `?${view.query}&lang=${lang}` : `?lang=${lang}`;
    await page.goto(`${server.runtime.httpUrl}/${query}`);
    await page.waitForFunction(
      ({ selector, count }) => document.querySelectorAll(selector).length >= count,
      { selector: view.ready, count: view.count ?? 1 },
      { timeout: 60_000 },
    );
    // Late content (live values, a second experiment's plot) settles the layout.
    await page.waitForTimeout(400);
    const figures = await page.evaluate(measureLayout);
    const problems: string[] = [];
    const where = `${viewport} ${lang} ${view.view}`;
    if (figures.overflowPx > 0)
      problems.push(`${where}: page ${figures.overflowPx} px wider than the screen`);
    for (const item of figures.cut) problems.push(`${where}: cut ${item}`);
    if (viewport === 'phone')
      for (const item of figures.small) problems.push(`${where}: small target ${item}`);
    // Every chart (sparklines aside) names its unit on the y axis.
    const unitless = await page.$$eval('[data-x-axis]', (charts) =>
      charts
        .filter((c) => !c.closest('.sparkline') && !c.getAttribute('data-y-unit'))
        .map((c) => c.getAttribute('aria-label')),
    );
    for (const chart of unitless) problems.push(`${where}: chart without a unit: ${chart}`);
    const violations = await seriousAxeViolations(page);
    for (const v of violations)
      problems.push(`${where}: axe ${v.id} (${v.help}) ${JSON.stringify(v.nodes.map((n) => n.target))}`);
    for (const error of consoleErrors) problems.push(`${where}: console error ${error}`);
    summary.push({
      where,
      overflowPx: figures.overflowPx,
      cut: figures.cut.length,
      small: viewport === 'phone' ? figures.small.length : 0,
      axe: violations.length,
    });
    await screenshot(page, `layout-${viewport}-${lang}-${view.view}`);
    return problems;
  }

  const summary: { where: string; overflowPx: number; cut: number; small: number; axe: number }[] = [];

  for (const viewport of VIEWPORTS) {
    for (const lang of LANGS) {
      it(`${viewport.name} ${viewport.width}×${viewport.height}, ${lang}: all ten views`, async () => {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        const problems: string[] = [];
        for (const view of VIEWS) problems.push(...(await check(view, lang, viewport.name)));
        const mine = summary.filter((s) => s.where.startsWith(`${viewport.name} ${lang} `));
        console.log(
          `figures ${viewport.name} ${lang}: views with sideways scroll ${mine.filter((s) => s.overflowPx > 0).length}/10, ` +
            `cut elements ${mine.reduce((n, s) => n + s.cut, 0)}, touch targets under 44 px ${mine.reduce((n, s) => n + s.small, 0)}, ` +
            `axe serious ${mine.reduce((n, s) => n + s.axe, 0)}; ` +
            mine.map((s) => `${s.where.split(' ')[2]} +${s.overflowPx}px/${s.cut}`).join(', '),
        );
        expect(problems).toEqual([]);
      }, 300_000);
    }
  }

  it('reports what it looks for: a small control pushed past the right edge', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.runtime.httpUrl}/?view=collection&lang=en`);
    await page.waitForSelector('main h1');
    await page.evaluate(() => {
      const button = document.createElement('button');
      button.textContent = 'planted';
      button.style.cssText = 'margin-left: 600px; height: 20px; min-height: 0';
      document.querySelector('main')?.append(button);
    });
    const figures = await page.evaluate(measureLayout);
    expect(figures.overflowPx).toBeGreaterThan(200);
    expect(figures.cut.some((c) => c.includes('"planted"'))).toBe(true);
    expect(figures.small.some((c) => c.includes('"planted"'))).toBe(true);
  });

  it('runs every view under the Content-Security-Policy without a violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
