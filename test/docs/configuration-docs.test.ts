/**
 * Every environment setting the server reads is documented in docs/configuration.md: the settings
 * modules are scanned for the names they read (`reader(env, 'NAME', …)`, `env.NAME`), so a new setting
 * without a line in the docs fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

export function settingsRead(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\w+\(\s*env,\s*'([A-Z][A-Z0-9_]+)'/g)) names.add(m[1] as string);
  for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)\b/g)) names.add(m[1] as string);
  for (const m of text.matchAll(/\benv\[\s*'([A-Z][A-Z0-9_]+)'\s*\]/g)) names.add(m[1] as string);
  return [...names];
}

describe('docs/configuration.md', () => {
  const docs = readFileSync('docs/configuration.md', 'utf8');
  const read = [
    ...new Set(sources('server/src').flatMap((f) => settingsRead(readFileSync(f, 'utf8')))),
  ].sort();

  it('finds the settings the server reads', () => {
    expect(read).toEqual(expect.arrayContaining(['PORT', 'DATA_DIR', 'ADMIN_PASSWORD', 'DEMO_HISTORY_FROM']));
    expect(settingsRead("const a = integer(env, 'X_Y', 1); const b = env.Z_Q;")).toEqual(['X_Y', 'Z_Q']);
  });

  it('documents every one of them', () => {
    expect(read.filter((name) => !docs.includes(`\`${name}\``))).toEqual([]);
  });
});
