/// <reference lib="dom" />
/**
 * Alerts in Chromium: the header indicator, the alert list with acknowledgement, the collection
 * plan and the device-health page, against a real server fed by the simulated fleet (axe clean).
 */
import { existsSync } from 'node:fs';
import { connectAsync, type MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../dashboard/src/i18n/en.js';
import { ka } from '../../dashboard/src/i18n/ka.js';
import { CHROMIUM, launchBrowser, screenshot, seriousAxeViolations, signIn } from './browser.js';
import { ensureDashboardBuilt, startLiveServer, type LiveServer } from './live-server.js';

describe.skipIf(!existsSync(CHROMIUM))('alerts in Chromium', () => {
  let server: LiveServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let mqtt: MqttClient;

  beforeAll(async () => {
    ensureDashboardBuilt();
    server = await startLiveServer();
    browser = await launchBrowser();
    await signIn(browser.context, server.runtime.httpUrl);
    page = await browser.context.newPage();
    mqtt = await connectAsync(server.runtime.mqttUrl, { clientId: `e2e-alerts-${process.pid}` });
    // A full bin; its ts is a little ahead so the fleet's own readings of it are late and do not clear it meanwhile.
    const payload = { ts: Date.now() + 120_000, seq: 999_999, fill: 0.97, battery_v: 3.6, temp_c: 12 };
    await mqtt.publishAsync(`${server.topicRoot}/waste/bin-nikea-02/telemetry`, JSON.stringify(payload), {
      qos: 1,
    });
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
  const row = '[data-testid="alerts-table"] tr[data-rule="fill_high"][data-device="bin-nikea-02"]';

  it('shows the open count in the header and lists the alert live', async () => {
    await open('?view=alerts&lang=en');
    await page.waitForSelector(row, { timeout: 10_000 });
    const count = Number(await page.getAttribute('[data-testid="alert-indicator"]', 'data-count'));
    expect(count).toBeGreaterThanOrEqual(1);
    expect(await page.locator(row).locator('th').textContent()).toBe(en['rule.fill_high']);
    await screenshot(page, 'alerts-en');
  });

  it('acknowledges an alert with a name and a comment', async () => {
    await open('?view=alerts&lang=en');
    await page.locator(row).locator('[data-testid="ack-button"]').click();
    await page.fill('[data-testid="ack-by"]', 'Nino Beridze');
    await page.fill('[data-testid="ack-comment"]', 'crew 2 at 15:00');
    await page.click('[data-testid="ack-submit"]');
    await page.waitForSelector(`${row}[data-state="acknowledged"]`, { timeout: 5_000 });
    expect(await page.locator(row).locator('[data-testid="alert-state"]').innerText()).toContain(
      'Nino Beridze',
    );
  });

  it('lists the full bin in the printable collection plan, with a CSV link', async () => {
    await open('?view=collection&lang=ka');
    await page.waitForSelector('[data-testid="plan-site"] li[data-device="bin-nikea-02"]', {
      timeout: 10_000,
    });
    expect(await page.getAttribute('[data-testid="plan-csv"]', 'href')).toMatch(/format=csv/);
    expect(await page.locator('body').innerText()).toContain(ka['plan.title']);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav:visible, header.top:visible').count()).toBe(0);
    await screenshot(page, 'collection-plan-print-ka');
    await page.emulateMedia({ media: 'screen' });
  });

  it('shows every device on the health page with its completeness', async () => {
    await open('?view=health&lang=en');
    await page.waitForSelector('[data-testid="health-table"] tbody tr');
    expect(await page.locator('[data-testid="health-table"] tbody tr').count()).toBe(
      server.registry.devices.size,
    );
    await expect
      .poll(() =>
        page.locator('tr[data-device="bin-nikea-02"] [data-testid="completeness-24h"]').textContent(),
      )
      .toMatch(/%/);
  });

  it('has no serious or critical accessibility violations', async () => {
    for (const query of [
      '?view=alerts&lang=en',
      '?view=alerts&lang=ka',
      '?view=collection&lang=en',
      '?view=health&lang=ka',
    ]) {
      await open(query);
      await page.waitForTimeout(800);
      const violations = await seriousAxeViolations(page);
      expect(
        violations.map((v) => `${query} ${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.target))}`),
      ).toEqual([]);
    }
  });
});
