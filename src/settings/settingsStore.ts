// Partner-wide settings (mapping mode, notification target, ...). Every change is audited in
// the same transaction.
import type { z } from 'zod';
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import type { PrismaClient, Db } from '../db/prismaClient.js';

export async function readSetting<T>(db: Db, key: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
  const row = await db.setting.findUnique({ where: { key } });
  if (!row) return fallback;
  const parsed = schema.safeParse(row.value);
  return parsed.success ? parsed.data : fallback;
}

export async function writeSetting<T>(
  prisma: PrismaClient,
  key: string,
  schema: z.ZodType<T>,
  value: T,
  actor: Actor,
): Promise<void> {
  const checked = schema.parse(value) as object;
  await prisma.$transaction(async (tx) => {
    const before = await tx.setting.findUnique({ where: { key } });
    await tx.setting.upsert({
      where: { key },
      create: { key, value: checked, updatedBy: actor.id },
      update: { value: checked, updatedBy: actor.id },
    });
    await recordAudit(tx, {
      actor,
      action: 'settings.changed',
      details: { key, before: before?.value ?? null, after: checked },
    });
  });
}

export async function listSettings(db: Db): Promise<Record<string, unknown>> {
  const rows = await db.setting.findMany({ orderBy: { key: 'asc' } });
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}
