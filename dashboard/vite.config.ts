// The dashboard: built into dashboard/dist (served by Fastify at /); `vite` alone proxies to a running server.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

const server = process.env.DASHBOARD_API ?? 'http://127.0.0.1:8080';

/**
 * Builds src/sw/service-worker.ts into /sw.js (its own chunk, at the root so its scope is the whole
 * app) and writes into it the list of files that make the app shell: the built bundle and public/.
 */
function serviceWorker(): Plugin {
  const entry = join(import.meta.dirname, 'src/sw/service-worker.ts');
  return {
    name: 'kutaisi-service-worker',
    apply: 'build',
    // After Vite's own plugins, so that index.html is in the bundle.
    enforce: 'post',
    buildStart() {
      this.emitFile({ type: 'chunk', id: entry, fileName: 'sw.js' });
    },
    generateBundle(_options, bundle) {
      const built = Object.keys(bundle).filter((name) => name !== 'sw.js' && !name.endsWith('.map'));
      const copied = readdirSync(join(import.meta.dirname, 'public'));
      const files = [...new Set(['index.html', ...built, ...copied])].sort().map((name) => `/${name}`);
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      const sw = bundle['sw.js'];
      if (sw?.type !== 'chunk') throw new Error('the service worker chunk is missing');
      if (/^\s*import\b/m.test(sw.code))
        throw new Error('sw.js must not import: it runs as a classic worker');
      sw.code = sw.code.replace(/__SHELL__/g, JSON.stringify({ files, version }));
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [svelte(), serviceWorker()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 600 },
  server: {
    proxy: {
      // Host kept as the browser sent it: the server refuses cookie-authenticated writes whose Origin is another host.
      '/api': { target: server },
      '/ws': { target: server.replace(/^http/, 'ws'), ws: true },
    },
  },
});
