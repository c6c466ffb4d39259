/** Jest runs the TypeScript sources as ESM (TOOLCHAIN.md): ts-jest with useESM, `.js` stripped from relative imports. */
const LIBS = {
  ticketing: 'libs/ticketing/src',
  'event-store': 'libs/event-store/src',
  'read-model': 'libs/read-model/src',
  platform: 'libs/platform/src',
  workload: 'libs/workload/src',
  automation: 'libs/automation/src',
};
const APPS = { api: 'apps/api/src', cli: 'apps/cli/src', projector: 'apps/projector/src', projections: 'projections', test: 'test' };

/** package.json `imports` (#ticketing, #api/…) mapped to the sources, as TypeScript's `types` condition does. */
const aliases = Object.fromEntries([
  ...Object.entries(LIBS).flatMap(([name, dir]) => [
    [`^#${name}$`, `<rootDir>/${dir}/index.ts`],
    [`^#${name}/(.*)\\.js$`, `<rootDir>/${dir}/$1`],
  ]),
  ...Object.entries(APPS).map(([name, dir]) => [`^#${name}/(.*)\\.js$`, `<rootDir>/${dir}/$1`]),
]);

/**
 * The acceptance specs that take minutes (100k-event rebuilds, kill loops, load) are projects of
 * their own, which `npm test` (and so CI) runs beside the others; `npm run test:fast` leaves them
 * out. `npm test` runs two jest processes at once on their own PostgreSQL clusters
 * (scripts/run-tests.mjs): `heavy`, the three longest, which alone take about as long as all the
 * others, in one; every other project in the other.
 */
const HEAVY = [
  '<rootDir>/projections/tickets/tickets.projection.int-spec.ts',
  '<rootDir>/apps/projector/src/tickets-projector-kill.int-spec.ts',
  '<rootDir>/apps/cli/src/copy-events/copy-events-eventstoredb.int-spec.ts',
];
const SLOW = [
  '<rootDir>/apps/projector/src/projector-kill.int-spec.ts',
  '<rootDir>/apps/projector/src/eventstoredb-restart.int-spec.ts',
  '<rootDir>/apps/projector/src/watchdog-kill.int-spec.ts',
  '<rootDir>/test/e2e/crash.e2e-spec.ts',
  '<rootDir>/test/e2e/report-load.e2e-spec.ts',
  '<rootDir>/apps/cli/src/simulate/simulate.int-spec.ts',
];

const project = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { ...aliases, '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }] },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Every answer a spec receives from the API is checked against its served OpenAPI document.
  setupFilesAfterEnv: ['<rootDir>/test/support/validate-responses.ts'],
};

export default {
  projects: [
    {
      ...project,
      displayName: 'fast',
      testMatch: ['<rootDir>/{apps,libs,projections,test}/**/*.{spec,int-spec,e2e-spec}.ts'],
      testPathIgnorePatterns: [...project.testPathIgnorePatterns, ...HEAVY, ...SLOW],
    },
    { ...project, displayName: 'slow', testMatch: SLOW },
    { ...project, displayName: 'heavy', testMatch: HEAVY },
    // The dashboard in a real Chromium (test/browser/support/chromium.ts): skipped, and said so, where /usr/bin/chromium is missing.
    { ...project, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] },
  ],
  // A global option: jest-circus reads only the global testTimeout, so inside a project it is ignored (5 s).
  testTimeout: 120000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  verbose: false,
};
