// The demo partner: the 32 demo customers with a few months of generated history, imported
// through the ordinary CSV importer (the demo mode runs this at start; it is idempotent).
import type { Actor } from '../audit/actor.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { importFile } from '../subscriptions/importFile.js';
import { DEMO_CUSTOMERS } from './demoWorld.js';
import { generatePartner, type GeneratedPartner } from './partnerGenerator.js';

export const DEMO_PARTNER_SEED = 2025;

export function generateDemoPartner(endDate: string): GeneratedPartner {
  return generatePartner({
    seed: DEMO_PARTNER_SEED,
    customers: DEMO_CUSTOMERS.length,
    subscriptions: DEMO_CUSTOMERS.length * 3,
    events: DEMO_CUSTOMERS.length * 12,
    endDate,
  });
}

/** Imports the demo partner; importing it again stores nothing new. */
export async function importDemoPartner(prisma: PrismaClient, options: { endDate: string; actor: Actor }) {
  const partner = generateDemoPartner(options.endDate);
  return importFile(prisma, 'demo-partner.csv', partner.csv, { actor: options.actor });
}
