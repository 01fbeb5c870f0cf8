import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start real servers (registry, fake Docker Hub) and git repos;
    // two workers fit the 2-core machine without starving the servers.
    maxWorkers: 2,
    reporters: ['default', './test/support/count-reporter.ts'],
  },
});
