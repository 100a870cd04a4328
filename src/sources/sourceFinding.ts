// What a pull reports about rows it did not store: a problem (code, message, hint) plus the
// source's id of the row, so a person can find it on the vendor's side (docs/sources.md).
// Stored as JSON on the pull record and parsed back with this schema.
import { z } from 'zod';
import { ProblemSchema } from '../core/problem.js';

export const SOURCE_FINDING_CODES = [
  /** the source sent a row the bot cannot read; the rest was stored */
  'SOURCE_ROW_UNREADABLE',
  /** the import path refused a row (a subscription under two customers, say) */
  'SOURCE_ROW_REFUSED',
  /** the source's customer and ours disagree on who is who (tenant id); nothing of it stored */
  'SOURCE_CUSTOMER_CONFLICT',
  /** a snapshot would cancel more than INGEST_MASS_CANCEL_SHARE of what the source had */
  'SOURCE_MASS_CANCEL',
] as const;

export const SourceFindingSchema = ProblemSchema.extend({
  code: z.enum(SOURCE_FINDING_CODES),
  /** the source's id of the row: a company, customer, subscription or history record */
  sourceId: z.string().optional(),
  entity: z.string().optional(),
});
export type SourceFinding = z.infer<typeof SourceFindingSchema>;

export const SourceFindingListSchema = z.array(SourceFindingSchema);
