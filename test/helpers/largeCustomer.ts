// The worst case a card must survive: a customer with 300 products that map to nothing, imported
// through the ordinary subscription importer, and an Autotask catalogue of 250 services (the demo
// tenant's plus generated ones) given to the sandbox as a SANDBOX_SEED file.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildDemoSeedInput } from '../../src/sandbox/demoSeed.js';
import type { PrismaClient } from '../../src/db/prismaClient.js';
import { importFile } from '../../src/subscriptions/importFile.js';

export const LARGE_CUSTOMER = 'Gigantic Holdings';
export const LARGE_CUSTOMER_PRODUCTS = 300;
export const SANDBOX_SERVICES = 250;
/** every 10th product has a name that makes its select block_id longer than Slack allows (255) */
export const LONG_NAME_EVERY = 10;

const HEADER =
  'Customer,Customer External Id,Subscription Id,Product,SKU,Billing Cycle,Billing Type,Old Quantity,New Quantity,Date of Change,Old Status,New Status,Old Price,New Price,Currency';

/** a name no Autotask service resembles */
export function unmappableProduct(n: number): string {
  const name = `Qx${String(n).padStart(3, '0')} Zephyrine Telemetry Bundle`;
  return n % LONG_NAME_EVERY === 0 ? `${name} ${'with a rather long name '.repeat(8).trim()}` : name;
}

/** the demo tenant with its catalogue filled up to 250 services */
export function largeSandboxSeed() {
  const seed = buildDemoSeedInput();
  const services = seed.services ?? [];
  const firstId = Math.max(...services.map((s) => s.id)) + 1;
  for (let i = 0; services.length < SANDBOX_SERVICES; i++)
    services.push({
      id: firstId + i,
      name: `Managed service ${String(i + 1).padStart(3, '0')}`,
      unitPrice: (10 + (i % 40)).toFixed(2),
      periodType: 2,
    });
  return { ...seed, services };
}

/** the demo tenant with its catalogue filled up to 250 services; returns the seed file's path */
export async function writeLargeSandboxSeed(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'large-seed-'));
  const file = path.join(dir, 'sandbox-seed.json');
  await writeFile(file, JSON.stringify(largeSandboxSeed()));
  return file;
}

/** imports the customer with its 300 subscriptions (one product each); returns its id */
export async function importLargeCustomer(prisma: PrismaClient): Promise<string> {
  const rows = Array.from({ length: LARGE_CUSTOMER_PRODUCTS }, (_, i) => {
    const n = i + 1;
    const product = `"${unmappableProduct(n)}"`;
    return `${LARGE_CUSTOMER},gigantic-tenant,gigantic-sub-${n},${product},QX-${n},monthly,quantity,,${1 + (n % 9)},2026-10-01,,active,,${(5 + (n % 20)).toFixed(2)},USD`;
  });
  const result = await importFile(prisma, 'gigantic.csv', [HEADER, ...rows].join('\n'), {
    actor: { id: 'cli:test', name: 'test' },
  });
  if (!result.stored) throw new Error(`the large customer was refused: ${JSON.stringify(result)}`);
  const customer = await prisma.customer.findFirstOrThrow({ where: { name: LARGE_CUSTOMER } });
  return customer.id;
}
