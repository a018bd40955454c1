/// <reference lib="dom" />
/**
 * The README's screenshots (docs/screenshots/*.png): Overview, Experiments, Waste and Energy in
 * English and Georgian, from the demo in Debian's Chromium. Starts `npm run demo`'s server on an
 * empty folder of its own (the full simulated history; DEMO_HISTORY_FROM shortens it) unless
 * DEMO_URL names a running demo.
 *
 *   npm run screenshots                  (about two minutes: the history, then eight pages)
 *   DEMO_URL=http://127.0.0.1:8080 npm run screenshots
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_ADMIN_PASSWORD } from '../server/src/auth/auth-settings.js';
import { launchBrowser, signIn } from '../test/e2e/browser.js';
import { startDemoProduct, type DemoProduct } from '../test/e2e/demo-product.js';
import { ensureDashboardBuilt } from '../test/e2e/live-server.js';

const OUT = 'docs/screenshots';
const VIEWPORT = { width: 1200, height: 760 };
const LANGS = ['en', 'ka'] as const;

/** Each view, and what must be on screen before it is taken. */
const VIEWS: { view: string; ready: (page: Page) => Promise<unknown> }[] = [
  {
    view: 'overview',
    ready: (page) =>
      page.waitForFunction(() => document.querySelectorAll('[data-testid="pilot-card"] canvas').length >= 3),
  },
  {
    view: 'experiments',
    ready: (page) =>
      page.waitForFunction(
        () => document.querySelectorAll('[data-testid="exp-answer"][data-ready="true"]').length === 3,
        undefined,
        { timeout: 120_000 },
      ),
  },
  { view: 'waste', ready: (page) => page.locator('[data-testid="site-map"]').waitFor() },
  { view: 'energy', ready: (page) => page.locator('main canvas').first().waitFor() },
];

async function main(): Promise<void> {
  let demo: DemoProduct | undefined;
  let dataDir: string | undefined;
  let url = process.env.DEMO_URL;
  if (!url) {
    ensureDashboardBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'kutaisi-screenshots-'));
    const env: Record<string, string> = {};
    if (process.env.DEMO_HISTORY_FROM) env.DEMO_HISTORY_FROM = process.env.DEMO_HISTORY_FROM;
    demo = await startDemoProduct(dataDir, env);
    url = demo.url;
    process.stdout.write('screenshots: waiting for the simulated history …\n');
    await demo.historyDone(600_000);
  }
  const browser = await launchBrowser();
  try {
    await signIn(browser.context, url, 'admin', DEMO_ADMIN_PASSWORD);
    const page = await browser.context.newPage();
    await page.setViewportSize(VIEWPORT);
    mkdirSync(OUT, { recursive: true });
    for (const lang of LANGS) {
      for (const { view, ready } of VIEWS) {
        await page.goto(`${url}/?view=${view}&lang=${lang}`);
        await ready(page);
        // Let the live stream and the charts settle (a frame or two of readings).
        await page.waitForTimeout(3_000);
        const path = join(OUT, `${view}-${lang}.png`);
        await page.screenshot({ path });
        process.stdout.write(`screenshots: ${path} (${Math.round(statSync(path).size / 1024)} KB)\n`);
      }
    }
  } finally {
    await browser.close();
    await demo?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshots: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
