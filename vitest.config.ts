import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'server/**/*.test.ts',
      'simulators/**/*.test.ts',
      'test/**/*.test.ts',
      'dashboard/src/**/*.test.ts',
    ],
    // Integration tests start brokers and servers on loopback; two workers match the 2-core machines.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
