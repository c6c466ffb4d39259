/**
 * The layering (docs/architecture.md): apps → projections → libs; an app never imports another
 * app; libs/ticketing, the pure domain, imports nothing of ours; product code never imports
 * test code. `npm test` runs it (npm run check:dependencies).
 */
const TEST_CODE = '(\\.(spec|int-spec|e2e-spec|browser-spec)\\.ts$|/testing/)';

module.exports = {
  forbidden: [
    {
      name: 'app-to-other-app',
      comment: 'An app imports libs and projections, never another app (shared code belongs in libs/platform or libs/workload).',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'lib-to-app-or-projection',
      comment: 'Libraries sit below the apps and the projections.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^(apps|projections)/' },
    },
    {
      name: 'projection-to-app',
      comment: 'A projection owns its tables and the SQL that reads them; the apps use it, not the other way round.',
      severity: 'error',
      from: { path: '^projections/' },
      to: { path: '^apps/' },
    },
    {
      name: 'ticketing-is-pure',
      comment: 'The domain imports nothing of ours (DESIGN.md: decide/evolve, no I/O, no framework).',
      severity: 'error',
      from: { path: '^libs/ticketing/', pathNot: TEST_CODE },
      to: { path: '^(libs/(?!ticketing/)|apps/|projections/|test/)' },
    },
    {
      name: 'ticketing-has-no-framework',
      comment: 'No Nest, TypeORM, pg or I/O in the domain. Luxon is pure (time-zone data, no I/O): business calendars need it.',
      severity: 'error',
      from: { path: '^libs/ticketing/', pathNot: TEST_CODE },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'core'], pathNot: '^(node:?(util)|node_modules/luxon/.*)$' },
    },
    {
      name: 'product-to-test-code',
      comment: 'Product code never imports specs, testing helpers or test/ (they are not built).',
      severity: 'error',
      from: { path: '^(apps|libs|projections)/', pathNot: TEST_CODE },
      to: { path: `(${TEST_CODE}|^test/)` },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (a misspelt alias or path).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
    // "#ticketing" and the other package.json imports resolve to the sources through their `types` condition.
    combinedDependencies: false,
  },
};
