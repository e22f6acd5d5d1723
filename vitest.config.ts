import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Integration tests share one real lab; files run one at a time to keep it deterministic.
    fileParallelism: true,
  },
});
