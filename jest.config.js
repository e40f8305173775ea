/** Jest: TypeScript through ts-jest; slow layers (render, cluster) get generous timeouts per test. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testTimeout: 120000,
  transform: { '^.+\\.ts$': 'ts-jest' },
};
