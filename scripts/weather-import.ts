/**
 * Imports a meteorological service's export as a weather station's readings, for the months before
 * the station existed:
 *
 *   npm run weather:import -- FILE.csv --station ID [--server URL] [--user NAME] [--interval-s S] [--dry-run]
 *
 * The rows go to a running server's ingest (POST /api/ingest/batch), so they are validated, counted
 * and stored like any reading, once: importing the same file twice stores nothing new. The password
 * comes from KUTAISI_PASSWORD (or ADMIN_PASSWORD); the user needs the `data:import` permission
 * (operator or admin). `--dry-run` prints the NDJSON instead of sending it.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadRegistry } from '../server/src/config/portfolio.js';
import { buildTopic, DEFAULT_TOPIC_ROOT } from '../server/src/contract/index.js';
import { LocalCalendar } from '../server/src/calendar/city-calendar.js';
import { readWeatherCsv, WeatherCsvError } from '../server/src/domains/weather/weather-csv.js';

const CHUNK = 20_000;

function fail(message: string): never {
  process.stderr.write(`weather:import: ${message}\n`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    station: { type: 'string' },
    server: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? '8080'}` },
    user: { type: 'string', default: process.env.KUTAISI_USER ?? 'admin' },
    'interval-s': { type: 'string' },
    portfolio: { type: 'string', default: process.env.PORTFOLIO ?? 'config/portfolio.yaml' },
    'dry-run': { type: 'boolean', default: false },
  },
});
const file = positionals[0];
if (!file) fail('usage: npm run weather:import -- FILE.csv --station ID [--server URL] [--dry-run]');
if (!values.station) fail('--station: expected the id of a weather device in the portfolio');
const registry = loadRegistry(values.portfolio);
const station = registry.device(values.station);
if (station?.domain !== 'weather')
  fail(`--station: "${values.station}" is not a weather device in ${values.portfolio}`);
const intervalS = values['interval-s'] === undefined ? undefined : Number(values['interval-s']);
if (intervalS !== undefined && !(Number.isInteger(intervalS) && intervalS > 0 && intervalS <= 86_400))
  fail('--interval-s: expected whole seconds from 1 to 86400');

let rows;
try {
  rows = readWeatherCsv(readFileSync(file, 'utf8'), new LocalCalendar(registry.portfolio.timezone), {
    ...(intervalS !== undefined ? { intervalS } : {}),
  });
} catch (error) {
  fail(error instanceof WeatherCsvError ? error.message : `cannot read ${file}: ${(error as Error).message}`);
}
const topic = buildTopic(
  process.env.MQTT_TOPIC_ROOT ?? DEFAULT_TOPIC_ROOT,
  'weather',
  station.id,
  'telemetry',
);
const lines = rows.payloads.map((payload) => JSON.stringify({ topic, payload }));
process.stderr.write(
  `weather:import: ${rows.payloads.length} readings (${rows.layout}) for ${station.id}; ${rows.errors.length} rows unreadable\n`,
);
for (const e of rows.errors.slice(0, 10)) process.stderr.write(`  line ${e.line}: ${e.message}\n`);

if (values['dry-run']) {
  process.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
  process.exit(0);
}

const password = process.env.KUTAISI_PASSWORD ?? process.env.ADMIN_PASSWORD;
if (!password) fail('set KUTAISI_PASSWORD (or ADMIN_PASSWORD) to sign in to the server');
const login = await fetch(`${values.server}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: values.user, password }),
}).catch((error: unknown) => fail(`cannot reach ${values.server} (${(error as Error).message})`));
if (!login.ok) fail(`sign-in as ${values.user} refused: HTTP ${login.status}`);
const { token } = (await login.json()) as { token: string };

const totals = { readings: 0, rejected: 0, by_reason: {} as Record<string, number> };
for (let i = 0; i < lines.length; i += CHUNK) {
  const response = await fetch(`${values.server}/api/ingest/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` },
    body: `${lines.slice(i, i + CHUNK).join('\n')}\n`,
  });
  if (!response.ok) fail(`the server refused the batch: HTTP ${response.status} ${await response.text()}`);
  const result = (await response.json()) as {
    readings: number;
    rejected: { total: number; by_reason: Record<string, number> };
  };
  totals.readings += result.readings;
  totals.rejected += result.rejected.total;
  for (const [reason, n] of Object.entries(result.rejected.by_reason))
    totals.by_reason[reason] = (totals.by_reason[reason] ?? 0) + n;
}
process.stderr.write(
  `weather:import: ${totals.readings} readings stored (already stored ones are kept once), ${totals.rejected} rejected${
    totals.rejected > 0 ? ` ${JSON.stringify(totals.by_reason)}` : ''
  }\n`,
);
process.exit(totals.rejected > 0 ? 1 : 0);
