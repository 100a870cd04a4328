// Role grants in the database, plus the admins bootstrapped from ADMIN_USERS (admins without a
// row). Grants and revocations are audited in the same transaction as the change.
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Db, PrismaClient } from '../db/prismaClient.js';
import type { Identity } from './identity.js';
import { highestRole, RoleSchema, type Role } from './roles.js';

export interface RoleHolder {
  identity: string;
  roles: Role[];
  /** named in ADMIN_USERS: an admin whatever the table says */
  bootstrapAdmin: boolean;
}

export class RoleStore {
  private readonly bootstrapAdmins: Set<string>;

  constructor(
    private readonly prisma: PrismaClient,
    adminUsers: readonly string[],
  ) {
    this.bootstrapAdmins = new Set(adminUsers);
  }

  isBootstrapAdmin(identity: Identity): boolean {
    return this.bootstrapAdmins.has(identity);
  }

  /** The highest role a person holds, or undefined when they hold none. */
  async roleOf(identity: Identity, db: Db = this.prisma): Promise<Role | undefined> {
    if (this.isBootstrapAdmin(identity)) return 'admin';
    const rows = await db.chatRoleGrant.findMany({ where: { identity } });
    return highestRole(rows.map((r) => RoleSchema.parse(r.role)));
  }

  async list(): Promise<RoleHolder[]> {
    const rows = await this.prisma.chatRoleGrant.findMany({ orderBy: [{ identity: 'asc' }] });
    const byIdentity = new Map<string, RoleHolder>();
    for (const admin of this.bootstrapAdmins)
      byIdentity.set(admin, { identity: admin, roles: ['admin'], bootstrapAdmin: true });
    for (const row of rows) {
      const holder = byIdentity.get(row.identity) ?? {
        identity: row.identity,
        roles: [],
        bootstrapAdmin: false,
      };
      const role = RoleSchema.parse(row.role);
      if (!holder.roles.includes(role)) holder.roles.push(role);
      byIdentity.set(row.identity, holder);
    }
    return [...byIdentity.values()].sort((a, b) => a.identity.localeCompare(b.identity));
  }

  /** false when the grant already existed (nothing changed, nothing audited) */
  async grant(identity: Identity, role: Role, actor: Actor): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const created = await tx.chatRoleGrant.createMany({
        data: [{ identity, role, grantedBy: actor.id }],
        skipDuplicates: true,
      });
      if (created.count === 0) return false;
      await recordAudit(tx, { actor, action: 'role.granted', details: { identity, role } });
      return true;
    });
  }

  /** false when there was no such grant */
  async revoke(identity: Identity, role: Role, actor: Actor): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const deleted = await tx.chatRoleGrant.deleteMany({ where: { identity, role } });
      if (deleted.count === 0) return false;
      await recordAudit(tx, { actor, action: 'role.revoked', details: { identity, role } });
      return true;
    });
  }
}
