/**
 * Two projects: `embedded` (PGlite + in-process PubSub) always runs; `postgres+redis`
 * runs the storage and pub/sub suites again on real servers when TEST_DATABASE_URL and
 * TEST_REDIS_URL are set (each test file gets its own fresh database), plus the
 * production-only suites under test/production/.
 */
const base = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
};

/**
 * The browser suite (test/browser/, a real chromium against the built app) is part of this
 * project and of no other: it runs once per `npm test`. Its globalSetup (test/global-setup.ts)
 * makes the PGlite directory test servers start from, and builds web/ when the run selects
 * browser tests; browser files set their own, larger timeout (test/browser/harness.ts).
 */
const embedded = {
  ...base,
  displayName: 'embedded',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/production/'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};

/** Suites that exercise storage or pub/sub; the rest (config, limits, processes) are backend-neutral. */
const backendSuites = [
  'smoke', 'accounts', 'login', 'auth', 'ws-auth', 'rooms', 'room-access', 'direct-rooms', 'room-concurrency',
  'messages', 'history', 'live', 'membership-live', 'room-feeds', 'typing', 'ws-operations', 'sse', 'migrations',
  'readiness', 'shared-execution', 'send-batching', 'socket-delivery', 'socket-bounds', 'history-model', 'room-channels', 'sql-client',
  'text-input', 'error-codes', 'idempotent-send', 'replies', 'message-edits', 'reactions', 'resume', 'resume-channels',
  'change-statements', 'batch-plans', 'shared-frames', 'read-state', 'read-state-concurrency', 'presence', 'rate-limits',
  'metrics', 'sessions', 'token-expiry', 'session-recipe', 'mass-close',
];

const production = {
  ...base,
  displayName: 'postgres+redis',
  testMatch: [
    ...backendSuites.map((name) => `<rootDir>/test/${name}.test.ts`),
    '<rootDir>/test/production/**/*.test.ts',
  ],
  globalSetup: '<rootDir>/test/global-setup-production.ts',
  globals: { CHAT_TEST_BACKEND: 'production' },
};

const withProduction = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);

/** @type {import('jest').Config} */
module.exports = {
  projects: withProduction ? [embedded, production] : [embedded],
  // End-to-end tests start real servers: give them room.
  testTimeout: 30_000,
  maxWorkers: 2,
  // A worker keeps ~25 MB of every test file it ran (jest's module registries are not all
  // collected: jestjs/jest#11956): past 70 files its heap is gigabytes and every GC crawls.
  // A worker above this after a file is replaced by a fresh one (~1 s).
  workerIdleMemoryLimit: '400MB',
};
