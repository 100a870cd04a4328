// `verify-tenant --write-probe <contract>`: observes, on a contract the partner set aside for it,
// the behaviours no public source confirms (tenantBehaviours.ts). It adds one line at unit price 0
// and a few adjustments dated in the future inside the contract, reads the units timeline back and
// nets the units to 0. Autotask cannot delete lines or adjustments, so it says what it left.
// docs/tenant-verification.md describes each step.
import { addDays, addMonthsClamped } from '../core/calendarDate.js';
import { problem, type Problem } from '../core/problem.js';
import type { AutotaskClient } from './autotaskClient.js';
import { isAutotaskError } from './autotaskError.js';
import {
  ContractSchema,
  ContractServiceSchema,
  ContractServiceUnitSchema,
  ServiceSchema,
  type Contract,
  type ContractServiceUnit,
  type Service,
} from './entities.js';
import { filters } from './queryFilter.js';
import { TENANT_BEHAVIOURS, type TenantBehaviourKey } from './tenantBehaviours.js';

/** A contract is for testing when its name says so: the probe writes nowhere else. */
export const PROBE_CONTRACT_WORD = /verify/i;

export type ProbeRefusalCode =
  | 'PROBE_CONTRACT_NOT_FOUND'
  | 'PROBE_CONTRACT_NOT_RECURRING'
  | 'PROBE_CONTRACT_NOT_FOR_TESTING'
  | 'PROBE_CONTRACT_NO_ROOM'
  | 'PROBE_SERVICE_UNAVAILABLE';

export interface ProbeTarget {
  contract: Contract;
  service: Service;
  /** the first adjustment (+1) */
  firstDate: string;
  /** the second adjustment (-1): units are 0 from here on */
  secondDate: string;
}

export interface BehaviourObservation {
  key: TenantBehaviourKey;
  observed: string;
  /** null: the probe could not tell */
  holds: boolean | null;
}

export interface WriteProbeReport {
  contractId: number;
  serviceId: number;
  observations: BehaviourObservation[];
  /** units in force after the probe's last date (0 when netted) */
  finalUnits: number | null;
  /** what stays in Autotask, in words */
  leftBehind: string[];
  requestsMade: number;
}

/**
 * Whether the probe may write to this contract, and on which service and dates. Nothing is
 * written. `today` is the first day that is not in the future.
 */
export async function checkProbeTarget(
  client: AutotaskClient,
  input: { contractId: number; serviceId?: number | undefined; today: string },
): Promise<{ ok: true; target: ProbeTarget } | { ok: false; problem: Problem<ProbeRefusalCode> }> {
  const refuse = (code: ProbeRefusalCode, message: string, hint: string) => ({
    ok: false as const,
    problem: problem(code, message, hint),
  });
  let contract: Contract;
  try {
    contract = await client.get('Contracts', ContractSchema, input.contractId);
  } catch (error) {
    if (isAutotaskError(error) && error.code === 'AUTOTASK_NOT_FOUND')
      return refuse(
        'PROBE_CONTRACT_NOT_FOUND',
        `Autotask has no contract ${input.contractId} (or the API user cannot see it)`,
        'give the id of a contract set aside for the probe',
      );
    throw error;
  }
  const picklists = await client.picklists();
  if (contract.contractType !== picklists.contractType.recurringService)
    return refuse(
      'PROBE_CONTRACT_NOT_RECURRING',
      `contract ${contract.id} "${contract.contractName}" is not a Recurring Service contract`,
      'create a Recurring Service contract for the probe',
    );
  if (!PROBE_CONTRACT_WORD.test(contract.contractName))
    return refuse(
      'PROBE_CONTRACT_NOT_FOR_TESTING',
      `contract ${contract.id} is named "${contract.contractName}", which does not say it is for testing`,
      'the probe writes only to a contract whose name contains "verify" (e.g. "Bot verify probe"); rename a test contract or create one',
    );
  const dates = probeDates(contract, input.today);
  if (!dates)
    return refuse(
      'PROBE_CONTRACT_NO_ROOM',
      `contract ${contract.id} has no future dates to probe on (it runs ${contract.startDate}–${contract.endDate})`,
      'extend the test contract at least a month into the future',
    );
  const lines = await client.query('ContractServices', ContractServiceSchema, {
    filter: [filters.eq('contractID', contract.id)],
  });
  const onContract = new Set(lines.map((l) => l.serviceID));
  let service: Service | undefined;
  if (input.serviceId !== undefined) {
    service = (
      await client.query('Services', ServiceSchema, { filter: [filters.eq('id', input.serviceId)] })
    )[0];
    if (!service || !service.isActive || onContract.has(service.id))
      return refuse(
        'PROBE_SERVICE_UNAVAILABLE',
        `service ${input.serviceId} ${!service ? 'does not exist' : !service.isActive ? 'is not active' : 'is already on the contract'}`,
        'name an active service that is not on the test contract yet, or leave --service out',
      );
  } else {
    const active = await client.query('Services', ServiceSchema, {
      filter: [filters.eq('isActive', true)],
    });
    service = active.sort((a, b) => a.id - b.id).find((s) => !onContract.has(s.id));
    if (!service)
      return refuse(
        'PROBE_SERVICE_UNAVAILABLE',
        `every active service is already on contract ${contract.id}`,
        'use a fresh test contract (each probe adds a line of a service not on it yet)',
      );
  }
  return { ok: true, target: { contract, service, ...dates } };
}

/**
 * Two consecutive future days inside the contract, neither of which can start a billing period
 * (periods start on the contract start's day of the month), so the second adjustment splits a row.
 */
function probeDates(contract: Contract, today: string): { firstDate: string; secondDate: string } | null {
  const startDay = Number(contract.startDate.slice(8, 10));
  const mayStartPeriod = (date: string) => {
    const day = Number(date.slice(8, 10));
    return day === startDay || (startDay >= 28 && day >= 28);
  };
  let first = addDays(today > contract.startDate ? today : addDays(contract.startDate, -1), 1);
  const lastTry = addMonthsClamped(first, 2);
  while (first <= lastTry) {
    const second = addDays(first, 1);
    if (second > contract.endDate) return null;
    if (!mayStartPeriod(first) && !mayStartPeriod(second)) return { firstDate: first, secondDate: second };
    first = second;
  }
  return null;
}

/** Runs the probe on a target checkProbeTarget accepted. */
export async function runWriteProbe(client: AutotaskClient, target: ProbeTarget): Promise<WriteProbeReport> {
  const before = client.requestStats().total;
  const { contract, service, firstDate, secondDate } = target;
  const observations: BehaviourObservation[] = [];
  const observe = (key: TenantBehaviourKey, holds: boolean | null, observed: string) =>
    observations.push({ key, holds, observed });
  const leftBehind: string[] = [];
  let adjustments = 0;

  // the line, at price and cost 0: the one day it carries a unit bills nothing
  const lineId = await client.createContractService(contract.id, {
    serviceID: service.id,
    unitPrice: 0,
    unitCost: 0,
    invoiceDescription: 'autotask-bot verify-tenant probe (0 units, no charge)',
  });
  leftBehind.push(`line ${lineId} of service ${service.id} "${service.name}" at unit price 0`);

  const rowsBefore = await unitsOf(client, lineId);
  observe(
    'noUnitsBeforeFirstAdjustment',
    rowsBefore.length === 0,
    rowsBefore.length === 0
      ? 'no rows before the first adjustment'
      : `${rowsBefore.length} row(s) before any adjustment, the first ${rowsBefore[0]!.startDate}–${rowsBefore[0]!.endDate} at ${rowsBefore[0]!.units} units`,
  );

  try {
    const second = await client.createContractService(contract.id, {
      serviceID: service.id,
      unitPrice: 0,
      unitCost: 0,
      invoiceDescription: 'autotask-bot verify-tenant probe, second POST (0 units, no charge)',
    });
    observe('repeatServicePost', false, `accepted: a second line ${second} was created`);
    leftBehind.push(`a second line ${second} of the same service (the repeat POST was accepted)`);
  } catch (error) {
    observe(
      'repeatServicePost',
      isAutotaskError(error) && error.code === 'AUTOTASK_BUSINESS_RULE' ? true : null,
      `refused: ${refusalText(error)}`,
    );
  }

  let extraUnits = 0;
  const itemId = await client.createContractServiceAdjustment(contract.id, {
    contractServiceID: lineId,
    effectiveDate: firstDate,
    unitChange: 1,
  });
  adjustments += 1;
  observe(
    'adjustmentAnswer',
    itemId === null,
    itemId === null ? 'answered { itemId: null }' : `answered { itemId: ${itemId} }`,
  );

  try {
    await client.createContractServiceAdjustment(contract.id, {
      contractServiceID: lineId,
      effectiveDate: firstDate,
      unitChange: 1,
    });
    adjustments += 1;
    extraUnits += 1;
    observe('duplicateAdjustmentText', false, 'accepted: a second adjustment on the same date');
  } catch (error) {
    const text = refusalText(error);
    observe('duplicateAdjustmentText', /attempt to insert duplicate data/i.test(text), `refused: ${text}`);
  }

  try {
    await client.createContractServiceAdjustment(contract.id, {
      contractServiceID: lineId,
      effectiveDate: addDays(contract.endDate, 1),
      unitChange: 1,
    });
    adjustments += 1;
    observe('outsideContractText', false, `accepted: an adjustment dated ${addDays(contract.endDate, 1)}`);
  } catch (error) {
    const text = refusalText(error);
    observe(
      'outsideContractText',
      /effectiveDate must be between the start date and end date/i.test(text),
      `refused: ${text}`,
    );
  }

  await client.createContractServiceAdjustment(contract.id, {
    contractServiceID: lineId,
    effectiveDate: secondDate,
    unitChange: -(1 + extraUnits),
  });
  adjustments += 1;

  const rows = await unitsOf(client, lineId);
  const split = rows.find((r) => r.startDate <= firstDate && firstDate <= r.endDate);
  const dayBefore = addDays(secondDate, -1);
  observe(
    'splitRowEnd',
    !split ? null : split.endDate === dayBefore ? true : split.endDate === secondDate ? false : null,
    !split
      ? `no row covers ${firstDate}`
      : `the row before the adjustment of ${secondDate} runs ${split.startDate}–${split.endDate}`,
  );
  observe('postedPeriodRefusal', null, 'not probed: the probe never writes into an approved & posted period');

  const last = [...rows].sort((a, b) => (a.startDate < b.startDate ? -1 : 1)).at(-1);
  const finalUnits = last ? last.units : null;
  leftBehind.push(
    `${adjustments} adjustment(s) on line ${lineId} (${firstDate}, ${secondDate}${adjustments > 2 ? ' and the refused-date probes that were accepted' : ''}); ${finalUnits === 0 ? 'units are 0 from' : `units are ${finalUnits ?? 'unknown'} after`} ${secondDate}`,
  );
  return {
    contractId: contract.id,
    serviceId: service.id,
    observations: order(observations),
    finalUnits,
    leftBehind,
    requestsMade: client.requestStats().total - before,
  };
}

const unitsOf = (client: AutotaskClient, lineId: number): Promise<ContractServiceUnit[]> =>
  client.query('ContractServiceUnits', ContractServiceUnitSchema, {
    filter: [filters.eq('contractServiceID', lineId)],
  });

function refusalText(error: unknown): string {
  if (!isAutotaskError(error)) throw error;
  return error.autotaskMessages.length ? error.autotaskMessages.join(' ') : `${error.code}: ${error.message}`;
}

/** in the catalogue's order (tenantBehaviours.ts) */
const order = (observations: BehaviourObservation[]): BehaviourObservation[] =>
  [...observations].sort(
    (a, b) =>
      TENANT_BEHAVIOURS.findIndex((t) => t.key === a.key) -
      TENANT_BEHAVIOURS.findIndex((t) => t.key === b.key),
  );
