/**
 * Dependency direction: domain ← storage/services/http/amqp/delivery ← app ← main.
 * Checked by `npm run depcheck` (part of `npm test`).
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ holds policy with no I/O: it imports nothing outside domain/ (and errors.ts).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: ['^src/domain/', '^src/errors\\.ts$'] },
    },
    {
      name: 'adapters-only-in-app',
      comment: 'Only the composition root picks a concrete storage adapter.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/app\\.ts$', '^src/storage/'] },
      to: { path: '^src/storage/(sqlite|mongo)/' },
    },
    {
      name: 'http-not-from-below',
      comment: 'Services, storage and domain never reach up into the HTTP layer.',
      severity: 'error',
      from: { path: '^src/(domain|storage|services|validation)/' },
      to: { path: '^src/http/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
