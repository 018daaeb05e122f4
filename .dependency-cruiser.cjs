// Architecture rules checked by `npm run arch` (part of `npm run check`).
// Modules depend one way: users <- badges <- awards <- rules <- intake; doors (api, pages,
// cli) may use any service. The rule engine is pure: no Nest, no TypeORM, no I/O.
const layer = (from, forbidden, comment) => ({
  name: `no-${from.replace(/\W+/g, '-')}-upward`,
  comment,
  severity: 'error',
  from: { path: `^src/modules/${from}/` },
  to: { path: `^src/modules/(${forbidden.join('|')})/` },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'engine-is-pure',
      comment:
        'The rule engine takes data and returns decisions: no framework, database, clock or I/O.',
      severity: 'error',
      from: { path: '^src/modules/rules/engine/' },
      to: {
        pathNot: '^src/modules/rules/engine/',
        dependencyTypesNot: ['type-only'],
        path: '(^node_modules/(@nestjs|typeorm|pg|amqplib)|^src/|^(fs|net|http|https|child_process|node:fs|node:net|node:http|node:child_process)$)',
      },
    },
    layer(
      'users',
      ['badges', 'awards', 'rules', 'intake', 'openbadges'],
      'users is the bottom layer',
    ),
    layer(
      '(metrics|notifications|health)',
      ['users', 'badges', 'awards', 'rules', 'intake', 'openbadges'],
      'infrastructure modules serve the domain modules, never the reverse',
    ),
    layer('badges', ['awards', 'rules', 'intake', 'openbadges'], 'badges may use users only'),
    layer('awards', ['intake', 'openbadges'], 'awards may not depend on the intake or Open Badges'),
    {
      name: 'nothing-imports-web',
      comment:
        'The pages door (src/modules/web) sits on top: only the app module and the HTTP set-up may import it.',
      severity: 'error',
      from: { pathNot: '^src/(modules/web/|app\\.module\\.ts$|app\\.setup\\.ts$)' },
      to: { path: '^src/modules/web/' },
    },
    {
      name: 'cli-starts-light',
      comment:
        'The accolades command loads commands lazily: main.ts and the command files import only ' +
        'commander and the small CLI helpers up front; everything else inside the actions ' +
        '(import()), so --help and the client commands start without Nest, TypeORM or pg.',
      severity: 'error',
      from: { path: '^src/cli/(main\\.ts$|commands/)' },
      to: {
        dependencyTypesNot: ['type-only', 'dynamic-import', 'core'],
        pathNot:
          '^(node_modules/commander/|src/cli/(help|options|exit-codes|commands/[^/]+)\\.ts$|src/common/(version|package-root)\\.ts$)',
      },
    },
    {
      name: 'cli-client-is-light',
      comment:
        "The API client and its helpers talk HTTP with Node's fetch: no server modules, " +
        'framework or database driver, not even lazily.',
      severity: 'error',
      from: { path: '^src/cli/client/' },
      to: {
        dependencyTypesNot: ['type-only'],
        path: '(^src/(modules|database|config|app\\.|main\\.)|^node_modules/(@nestjs|typeorm|pg|amqplib|@electric-sql|nestjs-pino|pino)/)',
      },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '\\.spec\\.ts$' },
  },
};
