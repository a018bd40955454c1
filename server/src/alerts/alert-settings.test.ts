import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePortfolio } from '../config/portfolio.js';
import { loadSettings } from '../config/settings.js';

const source = readFileSync('config/portfolio.yaml', 'utf8');

describe('alert configuration', () => {
  it('reads the alerts section of the portfolio, with overrides by site', () => {
    const portfolio = parsePortfolio(source, 'portfolio.yaml');
    expect(portfolio.alerts?.waste?.fill_threshold).toBe(0.85);
    expect(portfolio.alerts?.sites?.['green-bazaar']?.fill_threshold).toBe(0.8);
  });

  it('stops at a misspelt key or an unknown site, naming the path', () => {
    expect(() =>
      parsePortfolio(source.replace('full_within_h: 12', 'full_within_hours: 12'), 'p.yaml'),
    ).toThrow(/p\.yaml:\/alerts\/waste/);
    expect(() =>
      parsePortfolio(source.replace('    green-bazaar:\n      fill', '    atlantis:\n      fill'), 'p.yaml'),
    ).toThrow('p.yaml:/alerts/sites/atlantis');
  });

  it('ALERT_WEBHOOK_URL: unset, an http(s) URL, or a clear error', () => {
    expect(loadSettings({}).alertWebhookUrl).toBeUndefined();
    expect(loadSettings({ ALERT_WEBHOOK_URL: 'https://city.example/hooks/alerts' }).alertWebhookUrl).toBe(
      'https://city.example/hooks/alerts',
    );
    expect(() => loadSettings({ ALERT_WEBHOOK_URL: 'city.example' })).toThrow(/ALERT_WEBHOOK_URL/);
  });
});
