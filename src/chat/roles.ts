// The four roles, each including the ones below it: viewer < operator < approver < admin.
import { z } from 'zod';

export const RoleSchema = z.enum(['viewer', 'operator', 'approver', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

export const ROLES: readonly Role[] = RoleSchema.options;

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** true when `held` is `needed` or above it */
export function roleCovers(held: Role | undefined, needed: Role): boolean {
  return held !== undefined && roleRank(held) >= roleRank(needed);
}

export function highestRole(roles: Iterable<Role>): Role | undefined {
  let best: Role | undefined;
  for (const role of roles) if (best === undefined || roleRank(role) > roleRank(best)) best = role;
  return best;
}
