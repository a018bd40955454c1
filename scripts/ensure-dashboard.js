// Builds the dashboard when dashboard/dist is missing or older than its sources, so that
// `npm ci && npm run demo` works on a fresh clone. Usage: node scripts/ensure-dashboard.js [--force]
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dashboard/dist/index.html');
const sources = [
  'dashboard/src',
  'dashboard/index.html',
  'dashboard/public',
  'dashboard/vite.config.ts',
  'server/src/contract/live-messages.ts',
  'server/src/live/zone.ts',
];

function newest(path) {
  const full = join(root, path);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(full).map((name) => newest(join(path, name))));
}

const force = process.argv.includes('--force');
const built = existsSync(dist) ? statSync(dist).mtimeMs : 0;
if (force || built < Math.max(...sources.map(newest))) {
  process.stderr.write('dashboard: building dashboard/dist …\n');
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'dashboard/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}
