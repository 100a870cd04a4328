// The auto-approve policy: off by default. When on, a scheduled run is approved without a person
// only if every rule a partner can state holds — it only adds units (no decrease, no removal)
// and adds at most N units per customer. Anything else waits for an approver as usual.
// Setting `jobs.auto_approve` = {"enabled": true, "increasesOnly": true, "maxUnitsPerCustomer": 5}.
import { z } from 'zod';
import type { Actor } from '../audit/actor.js';
import type { Db, PrismaClient } from '../db/prismaClient.js';
import { readSetting, writeSetting } from '../settings/settingsStore.js';

export const AUTO_APPROVE_SETTING = 'jobs.auto_approve';

export const AutoApprovePolicySchema = z.object({
  enabled: z.boolean(),
  /** only runs whose every adjustment adds units; always true today (decreases need a person) */
  increasesOnly: z.literal(true),
  /** the most units a run may add to one customer */
  maxUnitsPerCustomer: z.number().int().min(0).max(10_000),
});
export type AutoApprovePolicy = z.infer<typeof AutoApprovePolicySchema>;

export const DEFAULT_AUTO_APPROVE: AutoApprovePolicy = {
  enabled: false,
  increasesOnly: true,
  maxUnitsPerCustomer: 0,
};

export const readAutoApprovePolicy = (db: Db): Promise<AutoApprovePolicy> =>
  readSetting(db, AUTO_APPROVE_SETTING, AutoApprovePolicySchema, DEFAULT_AUTO_APPROVE);

/** Audited like every setting. */
export const writeAutoApprovePolicy = (prisma: PrismaClient, policy: AutoApprovePolicy, actor: Actor) =>
  writeSetting(prisma, AUTO_APPROVE_SETTING, AutoApprovePolicySchema, policy, actor);

export interface PlannedChange {
  customerId: string;
  kind: string;
  unitChange: number;
}

export type AutoApproveDecision = { approve: true } | { approve: false; reason: string };

/** PURE: may this run's operations be approved by the policy? */
export function decideAutoApprove(
  policy: AutoApprovePolicy,
  changes: readonly PlannedChange[],
): AutoApproveDecision {
  if (!policy.enabled) return { approve: false, reason: 'the auto-approve policy is off' };
  if (changes.length === 0) return { approve: false, reason: 'nothing to upload' };
  const decrease = changes.find((c) => c.kind === 'adjust' && c.unitChange < 0);
  if (decrease)
    return {
      approve: false,
      reason: `customer ${decrease.customerId} loses ${-decrease.unitChange} units; the policy approves increases only`,
    };
  const added = new Map<string, number>();
  for (const c of changes)
    if (c.kind === 'adjust') added.set(c.customerId, (added.get(c.customerId) ?? 0) + c.unitChange);
  for (const [customerId, units] of added)
    if (units > policy.maxUnitsPerCustomer)
      return {
        approve: false,
        reason: `customer ${customerId} gains ${units} units; the policy approves at most ${policy.maxUnitsPerCustomer} per customer`,
      };
  return { approve: true };
}
