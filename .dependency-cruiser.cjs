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
      from: { path: '^src/(domain|storage|services|validation|delivery|amqp|kazoo)/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'delivery-not-on-services',
      comment: 'The delivery side works from the store and the domain; the API services are the HTTP side of the house.',
      severity: 'error',
      from: { path: '^src/delivery/' },
      to: { path: '^src/services/' },
    },
    {
      name: 'http-through-services',
      comment: 'Routes reach stored data through the services (which scope and check it), never the store port itself.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/storage/', pathNot: ['^src/storage/store\\.ts$'] },
    },
    {
      name: 'http-no-store-calls',
      comment: 'HttpDeps carries no Store: routes may name storage types (pages, records), not call the port.',
      severity: 'error',
      from: { path: '^src/http/deps\\.ts$' },
      to: { path: '^src/storage/' },
    },
    {
      name: 'send-stage-is-storeless',
      comment:
        'delivery/send/ turns jobs into HTTP requests and reports back through OutcomeSink; it never imports the store or the stages before it.',
      severity: 'error',
      from: { path: '^src/delivery/send/' },
      to: { path: '^src/(delivery/(intake|outbox|calls|health)/|services/)' },
    },
    {
      name: 'kazoo-is-a-source',
      comment: 'The Kazoo integration reads Kazoo and writes the mirror through the store; it never drives delivery or the API services.',
      severity: 'error',
      from: { path: '^src/kazoo/' },
      to: { path: '^src/(delivery|amqp|services/(?!kazoo-port))' },
    },
    {
      name: 'stages-flow-forward',
      comment: 'intake → outbox → send: the outbox never reaches back into the sources that feed it.',
      severity: 'error',
      from: { path: '^src/delivery/outbox/' },
      to: { path: '^src/delivery/(intake|calls)/' },
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
