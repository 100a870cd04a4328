import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'coverage/', '.data/', 'test/e2e/artifacts/', 'test/bench/results/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Domain folders must not reach for transport libraries (docs/architecture.md).
    },
  },
  {
    files: ['src/subscriptions/**', 'src/mapping/**', 'src/sync/**', 'src/audit/**', 'src/chat/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@slack/*', 'botbuilder*', 'express', 'axios'],
              message: 'Domain code stays free of transport libraries: see docs/architecture.md.',
            },
          ],
        },
      ],
    },
  },
  {
    // The built-in Autotask sandbox is a stand-in the composition root may start; nothing else
    // knows it exists (the typed rule name keeps this apart from the transport rule above).
    files: ['src/**/*.ts'],
    ignores: [
      'src/main.ts',
      'src/app/**',
      'src/cli/**',
      'src/chat/console/cliChatBridge.ts',
      'src/sandbox/**',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/sandbox/**'],
              message:
                'Only the composition root (src/main.ts, src/app/, src/cli/) starts or knows the sandbox: take a base URL and credentials instead — see docs/architecture.md.',
            },
          ],
        },
      ],
    },
  },
  {
    // the playground page runs in the browser
    files: ['src/playground/public/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
