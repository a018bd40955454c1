/** The REST contract stays in one place: routes take their schemas from here, the dashboard only its types. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const HTTP = 'server/src/http';
const DASHBOARD = 'dashboard/src';

function files(dir: string, endings: string[]): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => endings.some((e) => name.endsWith(e)))
    .map((name) => join(dir, name));
}

/** Each import or export statement that names a module, with its text (multi-line ones joined). */
function moduleReferences(text: string): { statement: string; from: string }[] {
  const pattern = /^\s*((?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"])/gms;
  return [...text.matchAll(pattern)].map((m) => ({ statement: m[1] ?? '', from: m[2] ?? '' }));
}

describe('the REST contract', () => {
  it('is where the routes take their schemas from: no route builds one of its own', () => {
    const routes = files(HTTP, ['-routes.ts']);
    expect(routes.length).toBeGreaterThan(10);
    const building = routes.filter((file) =>
      moduleReferences(readFileSync(file, 'utf8')).some((r) => r.from === '@sinclair/typebox'),
    );
    expect(building).toEqual([]);
  });

  it('reaches the dashboard as types only, so no TypeBox is bundled', () => {
    const offending: string[] = [];
    let typeImports = 0;
    for (const file of files(DASHBOARD, ['.ts', '.svelte'])) {
      for (const ref of moduleReferences(readFileSync(file, 'utf8'))) {
        const contractApi =
          ref.from.includes('server/src/contract/api') || ref.from.endsWith('/api-types.js');
        if (!contractApi && ref.from !== '@sinclair/typebox') continue;
        if (/^(import|export) type\b/.test(ref.statement)) typeImports++;
        else offending.push(`${file}: ${ref.statement.split('\n')[0]}`);
      }
    }
    expect(offending).toEqual([]);
    expect(typeImports).toBeGreaterThan(5);
  });
});
