import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadRegistry, parsePortfolio } from './portfolio.js';
import { Registry } from './registry.js';

const source = readFileSync('config/portfolio.yaml', 'utf8');

describe('portfolio', () => {
  it('describes three pilots, each with an experiment, and resolves arms from the registry', () => {
    const registry = loadRegistry('config/portfolio.yaml');
    const domains = [...registry.pilots.values()].map((p) => p.domain).sort();
    expect(domains).toEqual(['energy', 'mobility', 'waste']);
    for (const pilot of registry.pilots.values()) expect(pilot.experiments.length).toBeGreaterThan(0);
    expect(registry.sites.get('central-square')).toMatchObject({ lat: 42.2706, lon: 42.7048 });
    expect(registry.arm(registry.device('bin-central-square-01')!)).toBe('intervention');
    expect(registry.arm(registry.device('bin-nikea-01')!)).toBe('control');
    expect(registry.devicesWhere({ pilot: 'school-energy' }).every((d) => d.domain === 'energy')).toBe(true);
  });

  it('makes devices share equal nested values without changing any device', () => {
    const parsed = parsePortfolio(source, 'portfolio.yaml');
    const copy = structuredClone(parsed.devices);
    const calibrated = parsed.devices.filter((d) => d.domain === 'waste' && d.calibration !== undefined);
    const calibration = (d: (typeof calibrated)[number]) =>
      d.domain === 'waste' ? d.calibration : undefined;
    const [a, b] = calibrated.filter(
      (d) => JSON.stringify(calibration(d)) === JSON.stringify(calibration(calibrated[0]!)),
    );
    // The parser made one object per device …
    expect(a && b && calibration(a) !== calibration(b)).toBe(true);
    const registry = new Registry(parsed);
    // … the registry keeps one, and every device reads as before.
    expect(calibration(a!)).toBe(calibration(b!));
    expect([...registry.devices.values()]).toEqual(copy);
  });

  const broken: [string, (s: string) => string, RegExp][] = [
    ['bad YAML', () => 'sites: [unclosed', /expected valid YAML/],
    [
      'a device on an unknown site',
      (s) => s.replace('site: nikea\n    pilot: smart-waste', 'site: atlantis\n    pilot: smart-waste'),
      /\/devices\/\d+\/site: expected a known site/,
    ],
    ['a site id that repeats', (s) => s.replace('id: nikea', 'id: bagrati'), /expected a unique id/],
    ['a latitude out of range', (s) => s.replace('lat: 42.2706', 'lat: 142.2706'), /\/sites\/0\/lat/],
    [
      'an experiment site unknown',
      (s) => s.replace('control_sites: [nikea, avtokarkhana, bagrati]', 'control_sites: [nikea, mars]'),
      /control_sites\/1: expected a known site/,
    ],
    [
      'an inverted calibration',
      (s) => s.replace('empty_mm: 1200, full_mm: 150', 'empty_mm: 100, full_mm: 150'),
      /calibration: expected full_mm < empty_mm/,
    ],
    [
      'a public pilot that does not exist',
      (s) =>
        s.replace(
          'pilots: [smart-waste, active-mobility, school-energy]',
          'pilots: [smart-waste, moon-base]',
        ),
      /\/public\/pilots\/1: expected a known pilot/,
    ],
    [
      'public mode on with no pilot',
      (s) =>
        s.replace('enabled: false\n  pilots: [smart-waste, active-mobility, school-energy]', 'enabled: true'),
      /\/public\/pilots: expected at least one pilot/,
    ],
    [
      'an unknown key under public',
      (s) => s.replace('enabled: false', 'enabled: false\n  everyone: true'),
      /\/public/,
    ],
  ];
  it.each(broken)('stops with a one-line message naming the path for %s', (_name, mutate, expected) => {
    expect(() => parsePortfolio(mutate(source), 'portfolio.yaml')).toThrow(ConfigError);
    try {
      parsePortfolio(mutate(source), 'portfolio.yaml');
    } catch (error) {
      expect((error as Error).message).toMatch(expected);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('names PORTFOLIO when the file is missing', () => {
    expect(() => loadRegistry('/nonexistent/portfolio.yaml')).toThrow(
      /^PORTFOLIO: expected a readable portfolio file/,
    );
  });
});
