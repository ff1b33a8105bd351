import { defineConfig } from 'vitest/config';

// Kafka-mode tests against a real broker (scripts/kafka-local.sh start). Files run one at a time:
// they share one broker, and restartBroker() takes it down for everyone.
export default defineConfig({
  test: {
    include: ['test/kafka/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
