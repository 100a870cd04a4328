// Demo mode at start: the generated demo partner (imported once — its end date is remembered,
// so a restart on another day imports the very same file and stores nothing new) and the
// playground's demo people with their roles (granted on the first start; grants are audited).
import { z } from 'zod';
import type { Actor } from '../audit/actor.js';
import { RoleStore } from '../chat/roleStore.js';
import type { Role } from '../chat/roles.js';
import type { Config } from '../config.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { readSetting, writeSetting } from '../settings/settingsStore.js';
import { importDemoPartner } from './demoPartner.js';
import { CALENDAR_DATE_PATTERN, utcDateOf } from '../core/calendarDate.js';

export const DEMO_ACTOR: Actor = { id: 'system:demo', name: 'demo mode' };
export const DEMO_PARTNER_SETTING = 'demo.partner';

const DemoPartnerStateSchema = z.object({
  endDate: z.string().regex(CALENDAR_DATE_PATTERN),
  importedAt: z.string().nullable(),
});

/** Who you can be in the playground of the demo: one person per role, to try four-eyes. */
export const DEMO_PEOPLE: readonly { identity: `cli:${string}`; role: Role; note: string }[] = [
  { identity: 'cli:alice', role: 'operator', note: 'maps, validates, asks for uploads' },
  { identity: 'cli:bob', role: 'approver', note: 'approves what someone else asked for' },
  { identity: 'cli:admin', role: 'admin', note: 'roles, mode, notification channel' },
  { identity: 'cli:victor', role: 'viewer', note: 'reads only' },
];

/** DEMO_PARTNER, resolved by loadConfig (auto = no DATABASE_URL and nothing set for Autotask). */
export function demoPartnerWanted(config: Pick<Config, 'demoPartner'>): boolean {
  return config.demoPartner === 'on';
}

export interface DemoPreparation {
  endDate: string;
  /** false on a restart: the partner was imported before and nothing was done */
  imported: boolean;
  customers: number;
  /** where it came from: the generated CSV, or the demo's Pax8 stand-in */
  from: 'csv' | 'pax8';
}

/**
 * The demo partner's end date: the one remembered, else today. The Pax8 stand-in of the demo is
 * seeded with the partner generated for it (src/app/sourceConnections.ts).
 */
export async function demoEndDate(
  prisma: PrismaClient,
  today: string = utcDateOf(new Date()),
): Promise<string> {
  const state = await readSetting(prisma, DEMO_PARTNER_SETTING, DemoPartnerStateSchema.nullable(), null);
  return state?.endDate ?? today;
}

export interface DemoOptions {
  today?: string;
  /**
   * brings the demo partner in (the demo's Pax8 stand-in, pulled); absent: the generated CSV,
   * imported. Either way a second time stores nothing.
   */
  bringPartner?: (endDate: string) => Promise<{ stored: boolean; detail: string }>;
}

export async function prepareDemo(
  prisma: PrismaClient,
  config: Config,
  options: DemoOptions = {},
): Promise<DemoPreparation> {
  const today = options.today ?? utcDateOf(new Date());
  const state = await readSetting(prisma, DEMO_PARTNER_SETTING, DemoPartnerStateSchema.nullable(), null);
  let imported = false;
  const endDate = state?.endDate ?? today;
  if (!state?.importedAt) {
    // the same end date every time: the generated partner is the same, so a second time is a no-op
    const bring =
      options.bringPartner ??
      (async (date: string) => {
        const result = await importDemoPartner(prisma, { endDate: date, actor: DEMO_ACTOR });
        return { stored: result.stored, detail: JSON.stringify(result) };
      });
    const result = await bring(endDate);
    if (!result.stored)
      throw new Error(`DEMO_PARTNER_IMPORT_FAILED: the demo partner was refused (${result.detail})`);
    // first start only: a role an admin revokes later stays revoked after a restart
    const roles = new RoleStore(prisma, config.adminUsers);
    for (const person of DEMO_PEOPLE) await roles.grant(person.identity, person.role, DEMO_ACTOR);
    await writeSetting(
      prisma,
      DEMO_PARTNER_SETTING,
      DemoPartnerStateSchema,
      { endDate, importedAt: new Date().toISOString() },
      DEMO_ACTOR,
    );
    imported = true;
  }
  return {
    endDate,
    imported,
    customers: await prisma.customer.count(),
    from: options.bringPartner ? 'pax8' : 'csv',
  };
}
