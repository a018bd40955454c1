/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser: they need the DOM types.
/** Debian's Chromium driven by playwright-core: never a downloaded browser, a fresh profile each run. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../server/src/http/credentials.js';
import { login, TEST_ADMIN_PASSWORD } from '../helpers/server-under-test.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = 'test-results/screenshots';

export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'kutaisi-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Number of painted pixels in a canvas (uPlot draws on a transparent background). */
export async function paintedPixels(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (canvas) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; data && i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
    return painted;
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const source = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');
  // Through the DevTools protocol, which the page's Content-Security-Policy does not govern (an injected <script> would be refused).
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Signs the browser in without the form: a session from the API, set as the session cookie
 * (HttpOnly, SameSite=Strict, like the server's). The form itself is tested in login.e2e.test.ts.
 */
export async function signIn(
  context: BrowserContext,
  httpUrl: string,
  username = 'admin',
  password = TEST_ADMIN_PASSWORD,
): Promise<void> {
  const token = await login(httpUrl, username, password);
  await context.addCookies([
    { name: SESSION_COOKIE, value: token, url: httpUrl, httpOnly: true, sameSite: 'Strict' },
  ]);
}

/** Collects Content-Security-Policy violations the page reports, to assert there are none. */
export function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}
