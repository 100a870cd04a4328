// Writes seeds/demo.json from demoWorld: `npx tsx src/sandbox/writeDemoSeed.ts`.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildDemoSeedInput } from './demoSeed.js';

export const DEMO_SEED_FILE = fileURLToPath(new URL('./seeds/demo.json', import.meta.url));

fs.writeFileSync(DEMO_SEED_FILE, JSON.stringify(buildDemoSeedInput(), null, 2) + '\n');
process.stdout.write(`wrote ${DEMO_SEED_FILE}\n`);
