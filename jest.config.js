/** Jest: TypeScript through ts-jest; slow layers (render, cluster) get generous timeouts per test. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testTimeout: 120000,
  // two test files at a time: a machine runs at most two local clusters at once
  // (src/cluster/addresses.ts), and two halve the cluster layer's wall time on 2 cores
  maxWorkers: 2,
  transform: { '^.+\\.ts$': 'ts-jest' },
};
