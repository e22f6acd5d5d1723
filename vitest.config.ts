import { defineConfig } from 'vitest/config';

// Two projects: unit tests run in parallel; integration tests share one real lab (started
// once by the global setup), so their files run one at a time, after the unit tests.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 600_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/*.test.ts'],
          sequence: { groupOrder: 0 },
          // The compiled Pulumi program is loaded by Node itself, as the engine would: Pulumi
          // serializes dynamic providers from their source, which vite's transform would change.
          server: { deps: { external: [/\/dist\/src\//] } },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 600_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
