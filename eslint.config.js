import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * What each top-level part of src/ may import from the others (docs/architecture.md has the same
 * table in words). `*` is the composition root, which may import anything. The sandbox is in no
 * list but the composition root's: nothing else knows it exists.
 */
const LAYERS = {
  core: [],
  collections: [],
  concurrency: [],
  observability: [],
  'config.ts': ['observability'],
  configDocs: ['config'],
  db: ['core', 'config', 'observability'],
  audit: ['core', 'db', 'observability'],
  settings: ['core', 'audit', 'db'],
  subscriptions: ['core', 'audit', 'collections', 'db', 'settings'],
  autotask: ['core', 'concurrency', 'config', 'observability'],
  sources: ['core', 'concurrency', 'config', 'observability', 'subscriptions'],
  /** drawing: quantity charts as SVG and PNG (no domain knowledge) */
  charts: ['core'],
  /** files the bot serves at signed, expiring URLs (charts, CSV exports) */
  artifacts: ['core', 'config', 'db', 'observability'],
  mapping: ['core', 'audit', 'autotask', 'collections', 'db', 'settings', 'subscriptions'],
  sync: [
    'core',
    'audit',
    'autotask',
    'collections',
    'concurrency',
    'db',
    'mapping',
    'settings',
    'subscriptions',
  ],
  /** after the upload: what the source history, the ledger and Autotask say about one line */
  explain: ['core', 'audit', 'autotask', 'charts', 'collections', 'db', 'mapping', 'subscriptions', 'sync'],
  /** after the upload: what Autotask billed against what the history says it should have */
  reconciliation: ['core', 'audit', 'autotask', 'collections', 'db', 'mapping', 'subscriptions', 'sync'],
  useCases: [
    'core',
    'artifacts',
    'audit',
    'autotask',
    'charts',
    'db',
    'explain',
    'mapping',
    'reconciliation',
    'settings',
    'sources',
    'subscriptions',
    'sync',
  ],
  chat: [
    'core',
    'audit',
    'charts',
    'explain',
    'reconciliation',
    'collections',
    'concurrency',
    'config',
    'db',
    'http',
    'mapping',
    'observability',
    'settings',
    'sources',
    'subscriptions',
  ],
  jobs: [
    'core',
    'audit',
    'autotask',
    'concurrency',
    'config',
    'db',
    'observability',
    'reconciliation',
    'settings',
    'sources',
    'sync',
    'useCases',
  ],
  http: ['core', 'artifacts', 'audit', 'config', 'db', 'observability', 'subscriptions'],
  sandbox: ['core', 'autotask', 'config', 'db', 'demo', 'observability'],
  demo: [
    'core',
    'audit',
    'chat',
    'config',
    'db',
    'mapping',
    'observability',
    'playground',
    'settings',
    'subscriptions',
  ],
  playground: [
    'core',
    'app',
    'audit',
    'chat',
    'config',
    'db',
    'demo',
    'http',
    'observability',
    'settings',
    'subscriptions',
  ],
  app: '*',
  cli: '*',
  'main.ts': '*',
};
/** folders whose code is domain logic: no chat SDK, no HTTP library */
const DOMAIN = [
  'core',
  'subscriptions',
  'mapping',
  'sync',
  'audit',
  'settings',
  'useCases',
  'explain',
  'reconciliation',
  'charts',
  'chat/*.ts',
];
const TRANSPORT = {
  group: ['@slack/*', 'botbuilder*', 'express', 'axios'],
  message: 'Domain code stays free of transport libraries: see docs/architecture.md.',
};

function layerRules() {
  const parts = Object.keys(LAYERS);
  const patternOf = (part) => (part.endsWith('.ts') ? `**/${part.replace(/\.ts$/, '.js')}` : `**/${part}/**`);
  return Object.entries(LAYERS)
    .filter(([, allowed]) => allowed !== '*')
    .map(([part, allowed]) => {
      const forbidden = parts.filter(
        (other) => other !== part && !allowed.includes(other.replace(/\.ts$/, '')),
      );
      const patterns = [
        {
          group: forbidden.map(patternOf),
          message: `src/${part} may import only ${allowed.length ? allowed.join(', ') : 'no other part of src/'} (docs/architecture.md).`,
        },
      ];
      const domain = DOMAIN.some((d) => d === part || d.startsWith(`${part}/`));
      return {
        files: [part.endsWith('.ts') ? `src/${part}` : `src/${part}/**/*.ts`],
        rules: {
          'no-restricted-imports': [
            'error',
            { patterns: domain && part !== 'chat' ? [...patterns, TRANSPORT] : patterns },
          ],
        },
      };
    })
    .concat([
      {
        // the chat core is platform-neutral; only its adapters (slack/, teams/) reach for an SDK
        files: ['src/chat/*.ts'],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              patterns: [
                {
                  group: parts
                    .filter((o) => o !== 'chat' && !LAYERS.chat.includes(o.replace(/\.ts$/, '')))
                    .map(patternOf),
                  message: `src/chat may import only ${LAYERS.chat.join(', ')} (docs/architecture.md).`,
                },
                TRANSPORT,
              ],
            },
          ],
        },
      },
    ]);
}

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'src/db/generated/',
      'coverage/',
      '.data/',
      'test/e2e/artifacts/',
      'test/bench/results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layerRules(),
  {
    // the playground page runs in the browser
    files: ['src/playground/public/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
