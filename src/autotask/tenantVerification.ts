// `verify-tenant`, read-only part: the connectivity test (zone, credentials, permissions,
// picklists, threshold) as a report card of one line per check, plus what the test does not look
// at — that every field the bot reads or writes is in the entity's field list, and a dry run of the
// reads validate makes (one row of each entity, parsed as validate parses it). Nothing is written.
import { z } from 'zod';
import type { AutotaskClient } from './autotaskClient.js';
import { isAutotaskError } from './autotaskError.js';
import { REQUIRED_PERMISSIONS, testConnectivity, type ConnectivityReport } from './connectivityTest.js';
import {
  CompanySchema,
  ContractSchema,
  ContractServiceAdjustmentInputSchema,
  ContractServiceInputSchema,
  ContractServiceSchema,
  ContractServiceUnitSchema,
  ServiceSchema,
} from './entities.js';

export type CheckStatus = 'ok' | 'differs' | 'cannot-check';

/** One line of the report card. */
export interface VerificationCheck {
  /** stable name, e.g. "permissions.ContractServices"; stored as the fact's behaviour */
  id: string;
  /** what was checked, in a partner's words */
  title: string;
  status: CheckStatus;
  /** what the bot expects */
  expected: string;
  /** what the tenant answered */
  observed: string;
  /** what to do when it is not ok; null when ok */
  hint: string | null;
}

const keys = (...schemas: { shape: Record<string, unknown> }[]): string[] => [
  ...new Set(schemas.flatMap((s) => Object.keys(s.shape))),
];

/** Every field the bot reads or writes, per entity: the names of its zod schemas (entities.ts). */
export const FIELDS_USED: Record<string, string[]> = {
  Companies: keys(CompanySchema),
  Contracts: keys(ContractSchema),
  Services: keys(ServiceSchema),
  ContractServices: keys(ContractServiceSchema, ContractServiceInputSchema),
  ContractServiceAdjustments: keys(ContractServiceAdjustmentInputSchema),
  ContractServiceUnits: keys(ContractServiceUnitSchema),
};

/** The entities validate reads (readAutotaskState), with the schema it parses their rows with. */
const VALIDATE_READS: { entity: string; schema: z.ZodType }[] = [
  { entity: 'Companies', schema: CompanySchema },
  { entity: 'Contracts', schema: ContractSchema },
  { entity: 'Services', schema: ServiceSchema },
  { entity: 'ContractServices', schema: ContractServiceSchema },
  { entity: 'ContractServiceUnits', schema: ContractServiceUnitSchema },
];

const AFTER_CONNECTING = 'fix the connection first (see the lines above), then run verify-tenant again';

export interface ReadOnlyVerification {
  checks: VerificationCheck[];
  /** Autotask requests the verification made */
  requestsMade: number;
}

export async function verifyTenantReadOnly(
  client: AutotaskClient,
  options: { budgetShare: number },
): Promise<ReadOnlyVerification> {
  const before = client.requestStats().total;
  const report = await testConnectivity(client, options);
  const checks = connectivityChecks(report);
  checks.push(...(await fieldChecks(client, isConnected(report))));
  checks.push(...(await dryRunChecks(client, isConnected(report))));
  return { checks, requestsMade: client.requestStats().total - before };
}

function connectivityChecks(report: ConnectivityReport): VerificationCheck[] {
  const failed = report.error;
  const cannot = (id: string, title: string, expected: string): VerificationCheck => ({
    id,
    title,
    status: 'cannot-check',
    expected,
    observed: failed ? failed.code : 'not reached',
    hint: AFTER_CONNECTING,
  });
  const checks: VerificationCheck[] = [];
  checks.push(
    report.zone
      ? {
          id: 'zone',
          title: 'zone',
          status: 'ok',
          expected: 'the zone lookup finds the API user (or AUTOTASK_BASE_URL is set)',
          observed: `${report.zone.name ?? '(no name)'} ${report.zone.url}`,
          hint: null,
        }
      : {
          id: 'zone',
          title: 'zone',
          status: 'differs',
          expected: 'the zone lookup finds the API user',
          observed: failed ? `${failed.code}: ${failed.message}` : 'not found',
          hint: failed?.hint ?? 'check AUTOTASK_USERNAME, or set AUTOTASK_BASE_URL',
        },
  );
  const authFailed = failed?.code.startsWith('AUTOTASK_AUTH_') ?? false;
  checks.push(
    report.authenticated
      ? {
          id: 'credentials',
          title: 'credentials',
          status: 'ok',
          expected: 'user, secret and integration code accepted',
          observed: 'accepted',
          hint: null,
        }
      : authFailed
        ? {
            id: 'credentials',
            title: 'credentials',
            status: 'differs',
            expected: 'user, secret and integration code accepted',
            observed: `${failed!.code}: ${failed!.message}`,
            hint: failed!.hint,
          }
        : cannot('credentials', 'credentials', 'user, secret and integration code accepted'),
  );
  for (const need of REQUIRED_PERMISSIONS) {
    const id = `permissions.${need.entity}`;
    const expected = [need.query ? 'query' : '', need.create ? 'create' : ''].filter(Boolean).join(' + ');
    const found = report.permissions.find((p) => p.entity === need.entity);
    if (!found) {
      checks.push(cannot(id, `permission ${need.entity}`, expected));
      continue;
    }
    const observed =
      [found.canQuery ? 'query' : '', found.canCreate ? 'create' : ''].filter(Boolean).join(' + ') || 'none';
    checks.push({
      id,
      title: `permission ${need.entity}`,
      status: found.ok ? 'ok' : 'differs',
      expected,
      observed,
      hint: found.ok
        ? null
        : `give the API user's security level ${expected} on ${need.entity} (Admin › Security Levels › API User)`,
    });
  }
  for (const picklist of PICKLIST_EXPECTATIONS) {
    const id = `picklist.${picklist.path}`;
    if (!isConnected(report)) {
      checks.push(cannot(id, `picklist ${picklist.title} "${picklist.label}"`, picklist.expected));
      continue;
    }
    const fellBack = report.picklistFallbacks.includes(picklist.path);
    checks.push({
      id,
      title: `picklist ${picklist.title} "${picklist.label}"`,
      status: fellBack ? 'differs' : 'ok',
      expected: picklist.expected,
      observed: fellBack ? 'no active value with that label' : 'found',
      hint: fellBack
        ? `add or re-activate "${picklist.label}" in ${picklist.where}, or tell the bot's maintainers your label`
        : null,
    });
  }
  if (report.budget) {
    const over = report.budget.percentUsed >= report.budget.botShare * 100;
    checks.push({
      id: 'threshold',
      title: 'hourly API threshold',
      status: over ? 'differs' : 'ok',
      expected: `under ${report.budget.botShare * 100} % of the hourly threshold used`,
      observed: `${report.budget.used} of ${report.budget.threshold} requests this hour (${report.budget.percentUsed} %)`,
      hint: over
        ? 'another integration is using most of the budget: wait for the hour to pass, or lower its use'
        : null,
    });
  } else checks.push(cannot('threshold', 'hourly API threshold', 'ThresholdInformation answers'));
  return checks;
}

const isConnected = (report: ConnectivityReport) => report.authenticated && report.error === null;

const CONTRACT_PICKLISTS = 'Admin › Contracts › Contract picklists';
const PICKLIST_EXPECTATIONS = [
  {
    path: 'contractType.recurringService',
    title: 'contract type',
    label: 'Recurring Service',
    where: CONTRACT_PICKLISTS,
  },
  { path: 'contractStatus.active', title: 'contract status', label: 'Active', where: CONTRACT_PICKLISTS },
  ...(['contractPeriodType', 'servicePeriodType'] as const).flatMap((field) =>
    (
      [
        ['monthly', 'Monthly'],
        ['quarterly', 'Quarterly'],
        ['semiAnnual', 'Semi-Annual'],
        ['yearly', 'Yearly'],
      ] as const
    ).map(([key, label]) => ({
      path: `${field}.${key}`,
      title: `${field === 'contractPeriodType' ? 'contract' : 'service'} period type`,
      label,
      where: field === 'contractPeriodType' ? CONTRACT_PICKLISTS : 'Admin › Products & Services › Services',
    })),
  ),
].map((p) => ({ ...p, expected: `an active value labelled "${p.label}"` }));

async function fieldChecks(client: AutotaskClient, connected: boolean): Promise<VerificationCheck[]> {
  const checks: VerificationCheck[] = [];
  for (const [entity, fields] of Object.entries(FIELDS_USED)) {
    const base = {
      id: `fields.${entity}`,
      title: `fields of ${entity}`,
      expected: fields.join(', '),
    };
    if (!connected) {
      checks.push({ ...base, status: 'cannot-check', observed: 'not reached', hint: AFTER_CONNECTING });
      continue;
    }
    try {
      const listed = new Set((await client.entityFields(entity)).fields.map((f) => f.name.toLowerCase()));
      const missing = fields.filter((f) => !listed.has(f.toLowerCase()));
      checks.push({
        ...base,
        status: missing.length ? 'differs' : 'ok',
        observed: missing.length ? `missing: ${missing.join(', ')}` : `all ${fields.length} listed`,
        hint: missing.length
          ? `the bot reads or writes ${missing.join(', ')} on ${entity}; report this tenant's field list to the maintainers`
          : null,
      });
    } catch (error) {
      checks.push({
        ...base,
        status: 'cannot-check',
        observed: failureText(error),
        hint: failureHint(error),
      });
    }
  }
  return checks;
}

async function dryRunChecks(client: AutotaskClient, connected: boolean): Promise<VerificationCheck[]> {
  const checks: VerificationCheck[] = [];
  for (const { entity, schema } of VALIDATE_READS) {
    const base = {
      id: `dryRun.${entity}`,
      title: `validate's read of ${entity}`,
      expected: 'a query answers, and its rows parse as validate reads them',
    };
    if (!connected) {
      checks.push({ ...base, status: 'cannot-check', observed: 'not reached', hint: AFTER_CONNECTING });
      continue;
    }
    try {
      const rows = await client.query(entity, schema, { maxRecords: 1, limit: 1 });
      checks.push({
        ...base,
        status: 'ok',
        observed: rows.length ? 'one row read and parsed' : 'no rows (the query answered)',
        hint: null,
      });
    } catch (error) {
      checks.push({ ...base, status: 'differs', observed: failureText(error), hint: failureHint(error) });
    }
  }
  return checks;
}

const failureText = (error: unknown) =>
  isAutotaskError(error) ? `${error.code}: ${error.message}` : String(error);
const failureHint = (error: unknown) =>
  isAutotaskError(error) ? error.hint : 'please report this with the message';
