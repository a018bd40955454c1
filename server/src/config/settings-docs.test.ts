import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The folders whose code reads the environment (settings.ts and the loaders it calls). */
const READERS = ['server/src/config', 'server/src/auth', 'server/src/broker', 'server/src/cluster'];
const READ = /\(env, '([A-Z][A-Z0-9_]+)'|\benv\.([A-Z][A-Z0-9_]+)/g;

function settingsRead(): Set<string> {
  const names = new Set<string>();
  for (const folder of READERS)
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')))
      for (const match of readFileSync(join(folder, file), 'utf8').matchAll(READ))
        names.add((match[1] ?? match[2]) as string);
  return names;
}

describe('docs/configuration.md', () => {
  it('documents every setting the server reads', () => {
    const names = settingsRead();
    // The scan itself works: these are read today.
    for (const known of ['PORT', 'MQTT_URL', 'SESSION_SECRET', 'INGEST_SHARE_GROUP', 'DEVICE_KEY'])
      expect(names, known).toContain(known);
    const docs = readFileSync('docs/configuration.md', 'utf8');
    const missing = [...names].filter((name) => !docs.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
