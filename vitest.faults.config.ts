import { defineConfig } from 'vitest/config';

// The fault-injection tests (`npm run test:faults`): real Redis, dynalite and service processes
// paused, killed and restarted under load, and service processes racing on the wall clock (the
// expiry race, which measures the expiry lag). One file at a time, so that timing assertions do not
// compete with other suites for the two cores CI has.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
