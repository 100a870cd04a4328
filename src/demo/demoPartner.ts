// The demo partner: the 32 demo customers with a few months of generated history, imported
// through the ordinary CSV importer (the demo mode runs this at start; it is idempotent).
import type { Actor } from '../audit/actor.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { importFile } from '../subscriptions/importFile.js';
import { billingCycleShowcaseRows } from './billingCycleShowcase.js';
import { DEMO_CUSTOMERS } from './demoWorld.js';
import { generatePartner, toCsv, type GeneratedPartner } from './partnerGenerator.js';

export const DEMO_PARTNER_SEED = 2025;

/** The generated history, plus one customer holding a product monthly, annually and switching. */
export function generateDemoPartner(endDate: string): GeneratedPartner {
  const partner = generatePartner({
    seed: DEMO_PARTNER_SEED,
    customers: DEMO_CUSTOMERS.length,
    subscriptions: DEMO_CUSTOMERS.length * 3,
    events: DEMO_CUSTOMERS.length * 12,
    endDate,
  });
  const showcase = billingCycleShowcaseRows(endDate);
  // in date order, as the generator writes them (a stable sort keeps each day's order)
  const rows = [...partner.rows, ...showcase].sort((a, b) =>
    a.date_of_change! < b.date_of_change! ? -1 : a.date_of_change! > b.date_of_change! ? 1 : 0,
  );
  return {
    ...partner,
    subscriptionCount: partner.subscriptionCount + new Set(showcase.map((r) => r.subscription_id)).size,
    rows,
    csv: toCsv(rows),
  };
}

/** Imports the demo partner; importing it again stores nothing new. */
export async function importDemoPartner(prisma: PrismaClient, options: { endDate: string; actor: Actor }) {
  const partner = generateDemoPartner(options.endDate);
  return importFile(prisma, 'demo-partner.csv', partner.csv, { actor: options.actor });
}
