// After `tsc -p tsconfig.build.json`: copies what the compiled code reads from beside itself —
// every file under src/ that is not TypeScript (the playground's public/, the sandbox seeds, the
// vendor field flags) — to the same place under dist/, so `node dist/…` runs alone.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
let copied = 0;

function copyAssets(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const from = path.join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(from);
    else if (!entry.name.endsWith('.ts')) {
      const to = path.join(dist, path.relative(src, from));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
      copied += 1;
    }
  }
}

copyAssets(src);
process.stdout.write(`copied ${copied} asset files from src/ to dist/\n`);
