/** Variants of the product's portfolio for tests, written as JSON into a temporary folder. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

/** config/portfolio.yaml with public read-only mode on for these pilots. */
export function publicPortfolio(pilots: string[]): string {
  const portfolio = parse(readFileSync('config/portfolio.yaml', 'utf8')) as Record<string, unknown>;
  portfolio.public = { enabled: true, pilots };
  const path = join(mkdtempSync(join(tmpdir(), 'kutaisi-public-')), 'portfolio.json');
  writeFileSync(path, JSON.stringify(portfolio));
  return path;
}

/** config/examples/portfolio-sources.yaml with its sources changed (e.g. one given a `url`). */
export function sourcesPortfolio(change: (sources: Record<string, unknown>[]) => void): string {
  const portfolio = parse(readFileSync('config/examples/portfolio-sources.yaml', 'utf8')) as {
    sources: Record<string, unknown>[];
  };
  change(portfolio.sources);
  const path = join(mkdtempSync(join(tmpdir(), 'kutaisi-sources-')), 'portfolio.json');
  writeFileSync(path, JSON.stringify(portfolio));
  return path;
}
