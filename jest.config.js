/** Jest runs the TypeScript sources as ESM (TOOLCHAIN.md): ts-jest with useESM, `.js` stripped from relative imports. */
const LIBS = { ticketing: 'libs/ticketing/src', 'event-store': 'libs/event-store/src', 'read-model': 'libs/read-model/src', platform: 'libs/platform/src', workload: 'libs/workload/src' };
const APPS = { api: 'apps/api/src', cli: 'apps/cli/src', projector: 'apps/projector/src', projections: 'projections', test: 'test' };

/** package.json `imports` (#ticketing, #api/…) mapped to the sources, as TypeScript's `types` condition does. */
const aliases = Object.fromEntries([
  ...Object.entries(LIBS).flatMap(([name, dir]) => [
    [`^#${name}$`, `<rootDir>/${dir}/index.ts`],
    [`^#${name}/(.*)\\.js$`, `<rootDir>/${dir}/$1`],
  ]),
  ...Object.entries(APPS).map(([name, dir]) => [`^#${name}/(.*)\\.js$`, `<rootDir>/${dir}/$1`]),
]);

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { ...aliases, '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }] },
  testMatch: ['<rootDir>/{apps,libs,projections,test}/**/*.{spec,int-spec,e2e-spec}.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Every answer a spec receives from the API is checked against its served OpenAPI document.
  setupFilesAfterEnv: ['<rootDir>/test/support/validate-responses.ts'],
  testTimeout: 120000,
  verbose: false,
};
