import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/kafka needs a real broker: `npm run test:kafka` (vitest.kafka.config.ts).
    exclude: [...configDefaults.exclude, 'test/kafka/**'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
