// A mapping that data was uploaded under cannot change: the old Autotask line would keep billing
// and the new one would start, so the customer pays twice (docs/billing-semantics.md §3). The database
// trigger mapping_refuse_change_after_upload refuses it too; the forced path sets the reason for
// its own transaction only, records it in the audit log and tells the person what to end.
import type { Db } from '../db/prismaClient.js';
import { refusal, type MappingRefusal, type MappingRefusalCode } from './mappingFinding.js';
import { utcDateOf } from '../core/calendarDate.js';
import { databaseRefusal, SQLSTATE } from '../db/databaseRefusal.js';

export type { ForceOption } from './mappingInputs.js';

/** One Autotask contract-service line to bring to 0 units so the customer is not billed twice. */
export interface EndLineInstruction {
  contractId: number;
  contractName: string;
  serviceId: number;
  serviceName: string;
  productName: string;
  from: string;
  text: string;
}

export function endLineInstruction(
  line: Omit<EndLineInstruction, 'text'>,
  customerName: string,
): EndLineInstruction {
  return {
    ...line,
    text:
      `In Autotask, on contract ${line.contractId} "${line.contractName}", bring the service ${line.serviceId} ` +
      `"${line.serviceName}" (${customerName}, ${line.productName}) to 0 units from ${line.from} ` +
      `(a ContractServiceAdjustment with a negative unitChange dated ${line.from}).`,
  };
}

/** Lets the lock trigger pass for the rest of this transaction only. */
export async function allowForcedChange(tx: Db, reason: string): Promise<void> {
  await tx.$queryRaw`SELECT set_config('autotask_bot.mapping_force_reason', ${reason}, true)`;
}

export function lockedRefusal(what: string, since: Date): MappingRefusal {
  return refusal(
    'MAPPING_LOCKED_BY_UPLOAD',
    `${what} has had data uploaded under it since ${utcDateOf(since)}; changing it would bill the customer twice`,
    'if the change is really wanted, repeat it with force and a reason; you will be told which Autotask line to end',
  );
}

/** a product goes to one contract per cycle: a unique index, the pin's foreign key and its check */
const PRODUCT_ONE_CONTRACT = {
  code: 'PRODUCT_MULTI_CONTRACT',
  message: 'the database refused it: a product goes to one contract per billing cycle',
  hint: 'change the existing product mapping instead',
} as const;

/**
 * What the database refuses (the lock trigger, unique indexes, foreign keys), by SQLSTATE and
 * constraint name, and the coded answer each one is.
 */
const DATABASE_REFUSALS: {
  sqlState: string;
  constraints?: string[];
  code: MappingRefusalCode;
  message: string;
  hint: string;
}[] = [
  {
    sqlState: SQLSTATE.mappingLockedByUpload,
    code: 'MAPPING_LOCKED_BY_UPLOAD',
    message: 'the database refused the change: data was uploaded under this mapping',
    hint: 'repeat it with force and a reason',
  },
  {
    sqlState: SQLSTATE.uniqueViolation,
    constraints: ['mapping_customer_company_company_id_key', 'mapping_customer_company_pkey'],
    code: 'COMPANY_TAKEN',
    message: 'the database refused a second mapping: one customer ↔ one company',
    hint: 'show the mapping card and change the existing mapping instead',
  },
  {
    sqlState: SQLSTATE.uniqueViolation,
    constraints: ['mapping_customer_contract_contract_id_key', 'mapping_customer_contract_one_default'],
    code: 'CONTRACT_TAKEN',
    message:
      'the database refused it: a contract belongs to one customer and cycle, and each has one default',
    hint: 'show the mapping card and change the existing mapping instead',
  },
  {
    sqlState: SQLSTATE.uniqueViolation,
    constraints: ['mapping_customer_product_customer_id_product_name_product_s_key'],
    ...PRODUCT_ONE_CONTRACT,
  },
  {
    sqlState: SQLSTATE.foreignKeyViolation,
    constraints: ['mapping_customer_product_pin_fkey'],
    ...PRODUCT_ONE_CONTRACT,
  },
];

/** What a check violation means for the table a write changes (the database does not name the check). */
export const CHECK_REFUSALS = {
  /** mapping_customer_contract_period_check: the only check of that table a person's input reaches */
  contract: {
    code: 'CONTRACT_PERIOD_UNSUPPORTED',
    message:
      'the database refused it: monthly subscriptions need a monthly contract, annual ones a yearly contract',
    hint: 'map a contract with the matching period',
  },
  /** mapping_customer_product_pin_cycle_check: a pin names a concrete cycle */
  productPin: {
    ...PRODUCT_ONE_CONTRACT,
  },
} as const satisfies Record<string, { code: MappingRefusalCode; message: string; hint: string }>;
export type CheckRefusal = (typeof CHECK_REFUSALS)[keyof typeof CHECK_REFUSALS];

/**
 * Turns what the database refused into a coded answer, or null when it is none of these. `check`
 * says what a check violation means for the table the write changes.
 */
export function refusalFromDatabase(error: unknown, check?: CheckRefusal): MappingRefusal | null {
  const refused = databaseRefusal(error);
  if (!refused) return null;
  if (refused.sqlState === SQLSTATE.checkViolation)
    return check ? refusal(check.code, check.message, check.hint) : null;
  const known = DATABASE_REFUSALS.find(
    (r) =>
      r.sqlState === refused.sqlState &&
      (!r.constraints || (refused.constraint !== undefined && r.constraints.includes(refused.constraint))),
  );
  return known ? refusal(known.code, known.message, known.hint) : null;
}
