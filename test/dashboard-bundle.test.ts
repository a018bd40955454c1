/**
 * The dashboard shares the server's contract as types and plain constants: whatever it imports from
 * server/src, no TypeBox (nor any other server dependency) may reach the browser. Built into a
 * folder of its own, so that it never races the e2e tests' dashboard/dist.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const outDir = mkdtempSync(join(tmpdir(), 'kutaisi-dashboard-bundle-'));

describe('the dashboard bundle', () => {
  let scripts: { name: string; text: string }[] = [];

  beforeAll(async () => {
    await build({
      configFile: 'dashboard/vite.config.ts',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    scripts = readdirSync(outDir, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.js'))
      .map((name) => ({ name, text: readFileSync(join(outDir, name), 'utf8') }));
  }, 120_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('holds no TypeBox', () => {
    expect(scripts.map((s) => s.name)).toContain('sw.js');
    // TypeBox marks every schema with Symbol.for('TypeBox.Kind'); its errors and formats say "TypeBox" too.
    const withTypeBox = scripts.filter((s) => /TypeBox|@sinclair/.test(s.text)).map((s) => s.name);
    expect(withTypeBox).toEqual([]);
  });
});
