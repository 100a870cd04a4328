// Service matching benchmark: the `map <customer>` worst case — 300 products no service resembles
// (plus the demo products, which do have matches) against the 250-service catalogue of the large
// sandbox seed. Prints the time of one full pass (every product against the whole catalogue), a
// second pass (caches warm), and a digest of the outcomes so two versions can be compared.
//
//   npx tsx test/bench/matchServiceBench.ts
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DEMO_PRODUCTS } from '../../src/demo/demoWorld.js';
import { matchService } from '../../src/mapping/matchService.js';
import { LARGE_CUSTOMER_PRODUCTS, largeSandboxSeed, unmappableProduct } from '../helpers/largeCustomer.js';

const services = largeSandboxSeed().services.map((s) => ({
  id: s.id,
  name: s.name,
  isActive: true,
  unitPrice: null,
  unitCost: null,
}));
const products = [
  ...Array.from({ length: LARGE_CUSTOMER_PRODUCTS }, (_, i) => ({
    name: unmappableProduct(i + 1),
    sku: `QX-${i + 1}`,
  })),
  ...DEMO_PRODUCTS.map((p) => ({ name: p.name, sku: null })),
];

function pass(): { ms: number; digest: string } {
  const started = performance.now();
  const outcomes = products.map((p) => matchService(p, services));
  const ms = performance.now() - started;
  return { ms, digest: createHash('sha256').update(JSON.stringify(outcomes)).digest('hex').slice(0, 16) };
}

const first = pass();
const second = pass();
process.stdout.write(
  `matchService: ${products.length} products × ${services.length} services — first pass ${first.ms.toFixed(0)} ms, second pass ${second.ms.toFixed(0)} ms, outcomes ${first.digest}\n`,
);
