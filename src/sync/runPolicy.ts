// Approval policy, kept in the partner settings: four eyes (default on) and how long a request or
// an approval stays valid (default 24 h).
import { z } from 'zod';
import type { Db } from '../db/prismaClient.js';
import { readSetting } from '../settings/settingsStore.js';

export interface RunPolicy {
  fourEyes: boolean;
  approvalTtlHours: number;
}

export const DEFAULT_RUN_POLICY: RunPolicy = { fourEyes: true, approvalTtlHours: 24 };
export const FOUR_EYES_SETTING = 'sync.four_eyes';
export const APPROVAL_TTL_SETTING = 'sync.approval_ttl_hours';

export async function readRunPolicy(db: Db): Promise<RunPolicy> {
  return {
    fourEyes: await readSetting(db, FOUR_EYES_SETTING, z.boolean(), DEFAULT_RUN_POLICY.fourEyes),
    approvalTtlHours: await readSetting(
      db,
      APPROVAL_TTL_SETTING,
      z
        .number()
        .positive()
        .max(24 * 30),
      DEFAULT_RUN_POLICY.approvalTtlHours,
    ),
  };
}
