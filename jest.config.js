/** Jest runs the TypeScript sources as ESM (TOOLCHAIN.md): ts-jest with useESM, `.js` stripped from relative imports. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
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
