/** Small JSON files holding secrets' hashes: written whole through a temporary file, readable by the owner only. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ConfigError } from '../config/config-error.js';

export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(path, `expected a readable file (${(error as NodeJS.ErrnoException).code})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError(path, `expected JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** A crash mid-write leaves either the old file or the new one, never half of one. */
export function writeJsonFile(path: string, data: unknown): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(data, null, 1)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}
