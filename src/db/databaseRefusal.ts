// What the database refused, read from its error's fields — the SQLSTATE and, where PostgreSQL
// names it, the constraint — never from the message text. Prisma's pg driver adapter carries
// them under meta.driverAdapterError.cause; the pg driver, used directly by a few paths, on the
// error itself. A check violation does not name its constraint there, so a caller that can hit
// one says what it means for its own table.
import { z } from 'zod';

/** The SQLSTATEs the code acts on; BT… are the project's own (prisma/migrations/20261203060000_refusal_sqlstates). */
export const SQLSTATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  /** a mapping that data was uploaded under, changed without force */
  mappingLockedByUpload: 'BT001',
  /** a run approved by its requester while four eyes is on */
  fourEyes: 'BT002',
} as const;

export interface DatabaseRefusal {
  sqlState: string;
  /** the violated unique index or foreign key, when the database names it */
  constraint: string | undefined;
}

const SqlState = z.string().regex(/^[0-9A-Z]{5}$/);

const AdapterCauseSchema = z.object({
  originalCode: SqlState.optional(),
  code: z.string().optional(),
  constraint: z.object({ index: z.string().optional() }).optional(),
});

const PrismaErrorSchema = z.object({
  code: z.string(),
  meta: z.object({ driverAdapterError: z.object({ cause: AdapterCauseSchema }).optional() }).optional(),
});

const PgErrorSchema = z.object({ code: SqlState, constraint: z.string().optional() });

export function databaseRefusal(error: unknown): DatabaseRefusal | undefined {
  const prisma = PrismaErrorSchema.safeParse(error);
  const cause = prisma.success ? prisma.data.meta?.driverAdapterError?.cause : undefined;
  if (cause) {
    const sqlState = cause.originalCode ?? SqlState.safeParse(cause.code).data;
    if (sqlState) return { sqlState, constraint: cause.constraint?.index };
  }
  // Prisma's own unique-violation code, for a client without the driver adapter
  if (prisma.success && prisma.data.code === 'P2002')
    return { sqlState: SQLSTATE.uniqueViolation, constraint: undefined };
  const pg = PgErrorSchema.safeParse(error);
  return pg.success ? { sqlState: pg.data.code, constraint: pg.data.constraint } : undefined;
}
