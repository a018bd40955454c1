import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../server/src/config/portfolio.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const CLI = join(ROOT, 'simulators/src/cli.ts');

function cli(...args: string[]) {
  const result = spawnSync(TSX, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, MQTT_URL: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('simulate CLI', () => {
  it('writes byte-identical dry-run NDJSON for the same seed, and the truth file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    const truth = join(dir, 'truth.json');
    const args = ['--dry-run', '--from', '2026-10-01', '--to', '2026-10-01T06:00:00+04:00', '--seed', '5'];
    const a = cli(...args, '--truth', truth);
    const b = cli(...args);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const lines = a.stdout.trim().split('\n');
    expect(lines).toHaveLength(23 * 24);
    expect(a.stdout).toBe(b.stdout);
    const first = JSON.parse(lines[0] ?? '{}') as { topic: string; payload: { ts: number } };
    expect(first.topic).toMatch(/^kutaisi\/v1\/waste\/bin-central-square-01\/telemetry$/);
    const report = JSON.parse(readFileSync(truth, 'utf8')) as {
      published: Record<string, { clean: number }>;
    };
    expect(report.published.waste?.clean).toBe(12 * 24);
  });

  it('writes a scaled portfolio the server loads (shared device fields are not written as YAML aliases)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    const file = join(dir, 'portfolio.yaml');
    const args = ['--dry-run', '--from', '2026-10-01', '--to', '2026-10-01T00:10:00+04:00'];
    const run = cli(...args, '--fleet', 'waste=3000', '--write-portfolio', file);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toMatch(/^\s*[\w-]+: \*/m);
    const registry = loadRegistry(file);
    expect([...registry.devices.values()].filter((d) => d.domain === 'waste')).toHaveLength(3000);
  });

  it('documents every option in --help', () => {
    const { code, stdout } = cli('--help');
    expect(code).toBe(0);
    for (const flag of [
      '--fleet',
      '--seed',
      '--speed',
      '--from',
      '--to',
      '--rate',
      '--faults',
      '--scenario',
      '--mqtt',
      '--username',
      '--password',
      '--dry-run',
      '--truth',
      '--portfolio',
      '--topic-root',
      '--duration',
      '--format',
    ]) {
      expect(stdout).toContain(flag);
    }
  });

  it.each([
    [['--bogus']],
    [['--seed', 'abc']],
    [['--dry-run']],
    [['--from', '2026-13-45']],
    [['--faults', 'gremlins=0.1']],
    [['--faults', 'offline=2']],
    [['--fleet', 'waste=lots']],
    [['--rate', '100', '--dry-run', '--from', '2026-01-01']],
    [['--mqtt', 'localhost']],
    [['--dry-run', '--from', '2026-01-02', '--to', '2026-01-01']],
    [['--dry-run', '--from', '2026-01-01', '--to', '2026-01-02', '--portfolio', '/nonexistent.yaml']],
    [['--dry-run', '--from', '2026-01-01', '--format', 'lorawan']],
    // The product's portfolio binds no device to a Tasmota source.
    [['--dry-run', '--from', '2026-01-01', '--format', 'tasmota']],
  ])('rejects %j with exit code 2 and one line', (args) => {
    const { code, stderr, stdout } = cli(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^simulate: /);
  });

  it('speaks a source format for the devices bound to it, the contract for the rest (--format)', () => {
    const args = ['--dry-run', '--from', '2026-10-01', '--to', '2026-10-01T00:15:00+04:00', '--seed', '5'];
    const portfolio = ['--portfolio', 'config/examples/portfolio-sources.yaml'];
    const run = cli(...args, ...portfolio, '--format', 'tasmota');
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { topic: string; payload: unknown });
    expect(lines).toHaveLength(22);
    const tasmota = lines.filter((l) => l.topic.startsWith('tele/'));
    expect(tasmota.map((l) => l.topic).sort()).toEqual([
      'tele/kindergarten-bagrati-meter/SENSOR',
      'tele/school-nikea-meter/SENSOR',
    ]);
    // Midnight in Kutaisi, without an offset, as a Tasmota clock writes it; power in W.
    const sensor = tasmota[0]?.payload as { Time: string; ENERGY: { Total: unknown; Power: unknown } };
    expect(sensor.Time).toBe('2026-10-01T00:00:00');
    expect(typeof sensor.ENERGY.Total).toBe('number');
    expect(Number.isInteger(sensor.ENERGY.Power)).toBe(true);
    expect(lines.filter((l) => l.topic.startsWith('kutaisi/v1/'))).toHaveLength(20);
    const all = cli(...args, ...portfolio, '--format', 'sources');
    const topics = all.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { topic: string }).topic);
    expect(topics.filter((t) => !t.startsWith('kutaisi/v1/'))).toHaveLength(11);
  });

  it('plants a different truth from a scenario file without touching code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-scenario-'));
    const scenario = join(dir, 'zero.yaml');
    writeFileSync(
      scenario,
      'experiments:\n  school-retrofit: { savings_fraction: 0 }\n  rustaveli-bike-lane: { bicycle_uplift: 0.5 }\n',
    );
    const truth = join(dir, 'truth.json');
    const { code } = cli(
      '--dry-run',
      '--from',
      '2026-10-01',
      '--to',
      '2026-10-02',
      '--scenario',
      scenario,
      '--truth',
      truth,
    );
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(truth, 'utf8')) as {
      experiments: {
        id: string;
        kpis: { kpi: string; planted_relative_effect: number | null; relative_effect: number | null }[];
      }[];
    };
    const kpi = (exp: string, name: string) =>
      report.experiments.find((e) => e.id === exp)?.kpis.find((k) => k.kpi === name);
    expect(kpi('school-retrofit', 'savings_fraction')?.planted_relative_effect).toBe(0);
    expect(kpi('school-retrofit', 'daily_kwh')?.relative_effect).toBe(0);
    expect(kpi('rustaveli-bike-lane', 'daily_bicycle')?.relative_effect).toBeCloseTo(0.5, 6);
    expect(kpi('rustaveli-bike-lane', 'daily_escooter')?.relative_effect).toBeCloseTo(0.2, 6);
  });
});
