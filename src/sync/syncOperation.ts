// The operations a plan consists of. Keys are deterministic (same history → same keys), so the
// ledger can tell that an operation was already sent by any earlier run.
import type { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { HandEdit, PushedCycle } from './syncInputs.js';

/** How an adjustment reaches its line in Autotask (stored with the operation, read back with this). */
export const LineModeSchema = z.discriminatedUnion('mode', [
  /** the line for this service on the contract: existing (id known) or created by a create_line op */
  z.object({ mode: z.literal('base'), contractServiceId: z.number().int().nullable() }),
  /** a line this system recorded earlier */
  z.object({ mode: z.literal('known'), contractServiceId: z.number().int() }),
  /** a repeat-service line (a second line for the same service, e.g. at a new price) */
  z.object({ mode: z.literal('repeat'), opens: z.boolean() }),
]);
export type LineMode = z.infer<typeof LineModeSchema>;

/** What every operation says, planned or stored in the ledger. */
export interface OperationCommon {
  key: string;
  customerId: string;
  subscriptionId: string;
  productName: string;
  /** the logical line: subscription + contract + service + unit price */
  lineKey: string;
  contractId: number;
  serviceId: number;
  effectiveDate: string;
  unitPrice: Decimal;
  billingCycle: PushedCycle;
}

export interface CreateLineOperation extends OperationCommon {
  kind: 'create_line';
}

export interface AdjustOperation extends OperationCommon {
  kind: 'adjust';
  unitChange: number;
  /** the units that must be in force on the line on effectiveDate once this is done */
  unitsAfter: number;
  line: LineMode;
  /** a correction of a hand edit: the edits it adopts into the ledger (docs/drift-watch.md) */
  adopts?: HandEdit[];
}

export type SyncOperation = CreateLineOperation | AdjustOperation;

export const lineKeyOf = (
  subscriptionId: string,
  contractId: number,
  serviceId: number,
  price: Decimal,
): string => `${subscriptionId}|${contractId}|${serviceId}|${price.toFixed()}`;

/** One base line per customer, contract and service, ever (a contract belongs to one customer). */
export const createLineKey = (customerId: string, contractId: number, serviceId: number): string =>
  `line:${customerId}:${contractId}:${serviceId}`;

export const adjustKey = (lineKey: string, effectiveDate: string): string =>
  `adj:${lineKey}:${effectiveDate}`;
