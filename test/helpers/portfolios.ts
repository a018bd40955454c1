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
