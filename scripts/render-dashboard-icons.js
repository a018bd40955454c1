// Renders dashboard/public/icon.svg to the PNG icons of the web app manifest with Debian's Chromium.
// Run by hand after changing the drawing: node scripts/render-dashboard-icons.js (the PNGs are committed).
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
const svg = readFileSync('dashboard/public/icon.svg', 'utf8');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox'],
});
const page = await browser.newPage();
for (const [size, file, maskable] of [
  [192, 'icon-192.png', false],
  [512, 'icon-512.png', false],
  [512, 'icon-maskable-512.png', true],
]) {
  await page.setViewportSize({ width: size, height: size });
  // Maskable: full-bleed background, the drawing inside the central safe zone.
  const inner = maskable
    ? svg
        .replace('rx="96"', 'rx="0"')
        .replace('<path', '<g transform="translate(51 51) scale(0.8)"><path')
        .replace('</svg>', '</g></svg>')
    : svg;
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${inner.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
  );
  await page.screenshot({ path: `dashboard/public/${file}`, omitBackground: true });
}
await browser.close();
