/** Test support for the alert unit tests: the real portfolio, an in-memory book, reading builders. */
import { loadRegistry } from '../config/portfolio.js';
import type { Reading } from '../contract/index.js';
import { AlertBook } from './alert-book.js';
import { AlertEngine, type AlertEngineOptions } from './alert-engine.js';
import { AlertJournal } from './alert-journal.js';

export const registry = loadRegistry('config/portfolio.yaml');
export const T0 = Date.UTC(2026, 9, 5, 8, 0); // Monday 12:00 in Kutaisi
export const INTERVAL = 900_000;

export function harness(options: AlertEngineOptions = {}, path?: string) {
  let now = T0;
  const book = new AlertBook(new AlertJournal(path));
  const engine = new AlertEngine(registry, book, { now: () => now, ...options });
  return {
    book,
    engine,
    setNow: (ms: number) => (now = ms),
  };
}

export function reading(device: string, i: number, metrics: Record<string, number>, at = T0): Reading {
  const config = registry.device(device);
  if (!config) throw new Error(`unknown ${device}`);
  return {
    device,
    domain: config.domain,
    site: config.site,
    ts: at + i * INTERVAL,
    seq: i,
    metrics,
    simulated: true,
    receivedAt: at + i * INTERVAL,
  };
}
