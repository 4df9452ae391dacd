// Type-aware lint: the rules that catch real async and typing bugs, plus import boundaries
// (drivers only in storage adapters, undici only in the outbound HTTP modules for hook receivers
// and in the Crossbar client, which talks to the configured Kazoo only).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself awaits.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      curly: ['error', 'multi-line'],
      eqeqeq: ['error', 'always'],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'mongodb', message: 'The MongoDB driver belongs in src/storage/mongo only.' },
            { name: 'better-sqlite3', message: 'better-sqlite3 belongs in src/storage/sqlite only.' },
            {
              name: 'undici',
              message:
                'Outbound HTTP goes through src/delivery/send/http-client.ts (receivers) or src/kazoo/crossbar-client.ts (Kazoo) only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/storage/mongo/**/*.ts', 'test/contract/mongo*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/storage/sqlite/**/*.ts', 'test/contract/sqlite*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The agents http-client.ts sends through (one per set of allowed ranges) and the handler of
    // one exchange are built beside it.
    files: [
      'src/delivery/send/http-client.ts',
      'src/delivery/send/outbound-agents.ts',
      'src/delivery/send/capped-exchange.ts',
      'src/kazoo/crossbar-client.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
);
