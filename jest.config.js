// One Jest run, several projects: pure unit tests, the integration suites run once per
// database (the real PostgreSQL and the embedded PGlite), and the end-to-end suites
// (RabbitMQ, OIDC provider, Chromium) on PostgreSQL.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] };
const common = {
  rootDir: __dirname,
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
};
const withServices = {
  ...common,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/setup-after-env.ts'],
};

module.exports = {
  maxWorkers: process.env.JEST_MAX_WORKERS || 2,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...withServices,
      displayName: 'integration:postgres',
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
      globals: { ACCOLADES_TEST_DB: 'postgres' },
    },
    {
      ...withServices,
      displayName: 'integration:pglite',
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
      globals: { ACCOLADES_TEST_DB: 'pglite' },
    },
    {
      ...withServices,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'],
      globals: { ACCOLADES_TEST_DB: 'postgres' },
    },
  ],
};
