// `npm run env:example`: writes .env.example at the repository root from src/config.ts and the
// README "Configuration" table (test/unit/configDocs/envExample.test.ts checks it is current).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configVariables } from './configVariables.js';
import { renderEnvExample } from './envExample.js';

const root = (file: string) => fileURLToPath(new URL(`../../${file}`, import.meta.url));

const variables = configVariables(readFileSync(root('README.md'), 'utf8'));
writeFileSync(root('.env.example'), renderEnvExample(variables));
console.log(`wrote .env.example (${variables.length} variables)`);
