// The AutotaskGateway over the autotask part's REST client. The client throws AutotaskError
// values (and already retries what is safe to send again); here they become the gateway's coded
// results. Reads are batched: one `in` query per 500 contract ids, every page.
import type { z } from 'zod';
import type { AutotaskClient } from '../autotask/autotaskClient.js';
import { isAutotaskError, type AutotaskErrorCode } from '../autotask/autotaskError.js';
import { ContractServiceSchema, ContractServiceUnitSchema } from '../autotask/entities.js';
import type {
  AdjustmentRequest,
  AutotaskGateway,
  GatewayFailure,
  GatewayFailureCode,
  GatewayLine,
  GatewayResult,
  GatewayUnitsRow,
} from './autotaskGateway.js';
import { attributeUnitsToLines, unitsRowOf } from './unitsTimeline.js';

const FAILURE_BY_CODE: Partial<Record<AutotaskErrorCode, GatewayFailureCode>> = {
  AUTOTASK_BUSINESS_RULE: 'BUSINESS_RULE',
  AUTOTASK_THREAD_LIMIT: 'NOT_SENT',
  AUTOTASK_HOURLY_LIMIT: 'NOT_SENT',
  AUTOTASK_UNREACHABLE: 'NOT_SENT',
  AUTOTASK_TIMEOUT: 'OUTCOME_UNKNOWN',
  AUTOTASK_OUTCOME_UNKNOWN: 'OUTCOME_UNKNOWN',
};

function failure(error: unknown, write: boolean): GatewayFailure {
  if (!isAutotaskError(error)) throw error;
  let code = FAILURE_BY_CODE[error.code] ?? 'FATAL';
  // a read that timed out changed nothing; it is simply not answered
  if (!write && code === 'OUTCOME_UNKNOWN') code = 'NOT_SENT';
  return { ok: false, code, problem: error.problem };
}

async function attempt<T>(work: () => Promise<T>, write: boolean): Promise<GatewayResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return failure(error, write);
  }
}

/** A batched read of the rows of an entity that belong to contracts (`in` on contractID). */
function readByContract<R, T>(
  client: AutotaskClient,
  entity: string,
  schema: z.ZodType<R>,
  answer: (row: R) => T,
): (contractIds: readonly number[]) => Promise<GatewayResult<T[]>> {
  return (contractIds) =>
    attempt(async () => {
      if (contractIds.length === 0) return [];
      const rows = await client.queryIn(entity, schema, 'contractID', [...contractIds]);
      return rows.map(answer);
    }, false);
}

const decimalNumber = (text: string): number => Number(text);

export function clientAutotaskGateway(client: AutotaskClient): AutotaskGateway {
  return {
    contractServices: readByContract(client, 'ContractServices', ContractServiceSchema, (r): GatewayLine => ({
      contractServiceId: r.id,
      contractId: r.contractID,
      serviceId: r.serviceID,
    })),

    contractServiceUnits: (contractIds) =>
      attempt(async () => {
        if (contractIds.length === 0) return [];
        const rows = await client.queryIn('ContractServiceUnits', ContractServiceUnitSchema, 'contractID', [
          ...contractIds,
        ]);
        // rows without contractServiceID (Autotask marks it optional) need the lines to be attributed
        const unattributed = [
          ...new Set(rows.filter((r) => r.contractServiceID === null).map((r) => r.contractID)),
        ];
        const lines = unattributed.length
          ? await client.queryIn('ContractServices', ContractServiceSchema, 'contractID', unattributed)
          : [];
        return attributeUnitsToLines(rows, lines).map((r): GatewayUnitsRow => ({
          ...unitsRowOf(r),
          contractId: r.contractID,
          serviceId: r.serviceID,
        }));
      }, false),

    createContractService: (request) =>
      attempt(async () => {
        const id = await client.createContractService(request.contractId, {
          serviceID: request.serviceId,
          unitPrice: decimalNumber(request.unitPrice),
        });
        return { contractServiceId: id };
      }, true),

    createAdjustment: (request: AdjustmentRequest) =>
      attempt(async () => {
        const itemId = await client.createContractServiceAdjustment(request.contractId, {
          effectiveDate: request.effectiveDate,
          unitChange: request.unitChange,
          ...(request.contractServiceId !== undefined
            ? { contractServiceID: request.contractServiceId }
            : {}),
          ...(request.serviceId !== undefined ? { serviceID: request.serviceId } : {}),
          ...(request.allowRepeatService ? { allowRepeatService: true } : {}),
          ...(request.adjustedUnitPrice !== undefined
            ? { adjustedUnitPrice: decimalNumber(request.adjustedUnitPrice) }
            : {}),
        });
        return { itemId };
      }, true),
  };
}
