// `verify-tenant` (admin): a partner's first-day check of their real Autotask tenant. Read-only by
// default (autotask/tenantVerification.ts); with a write probe on a contract named for testing it
// also observes the behaviours no public source confirms (autotask/writeProbe.ts). The results are
// stored, audited, as the tenant's facts (sync/tenantFacts.ts), which the upload consults.
// docs/tenant-verification.md is the partner's description.
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import type { AutotaskClient } from '../autotask/autotaskClient.js';
import { isAutotaskError } from '../autotask/autotaskError.js';
import { TENANT_BEHAVIOURS, tenantBehaviour, type TenantBehaviour } from '../autotask/tenantBehaviours.js';
import { verifyTenantReadOnly, type VerificationCheck } from '../autotask/tenantVerification.js';
import { checkProbeTarget, runWriteProbe, type ProbeTarget } from '../autotask/writeProbe.js';
import { utcDateOf } from '../core/calendarDate.js';
import { problem, type Problem } from '../core/problem.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { loadTenantFacts, storeTenantFacts, type TenantFact } from '../sync/tenantFacts.js';

export interface VerifyTenantDependencies {
  prisma: PrismaClient;
  client: AutotaskClient;
  /** the Autotask database verified (autotaskDatabaseKey): the facts are kept under it */
  databaseKey: string;
  budgetShare: number;
  now?: () => Date;
}

/** One line of the report card: a read-only check, or a behaviour. */
export interface TenantCheckLine extends VerificationCheck {
  /** a behaviour the upload relies on: when it differs, uploads to this tenant are refused */
  reliedOn: boolean;
}

export interface ProbeTargetView {
  contractId: number;
  contractName: string;
  serviceId: number;
  serviceName: string;
  firstDate: string;
  secondDate: string;
}

export interface TenantVerification {
  ok: boolean;
  databaseKey: string;
  lines: TenantCheckLine[];
  /** what the write probe did, when it ran */
  probe: { target: ProbeTargetView; leftBehind: string[]; finalUnits: number | null } | null;
  /** why the write probe did not run, or stopped */
  probeProblem: Problem | null;
  /** the relied-on behaviours this tenant contradicts: the upload refuses it */
  refusesUploads: string[];
  requestsMade: number;
}

export interface ProbeRequest {
  contractId: number;
  serviceId: number | null;
}

const PROBE_HINT =
  'run `verify-tenant --write-probe <contract id>` on a contract whose name contains "verify"';

const today = (deps: VerifyTenantDependencies) => utcDateOf((deps.now ?? (() => new Date()))());

const targetView = (t: ProbeTarget): ProbeTargetView => ({
  contractId: t.contract.id,
  contractName: t.contract.contractName,
  serviceId: t.service.id,
  serviceName: t.service.name,
  firstDate: t.firstDate,
  secondDate: t.secondDate,
});

/** The probe's contract, service and dates, or why it may not write there: nothing is written. */
async function probeTarget(
  deps: VerifyTenantDependencies,
  request: ProbeRequest,
): Promise<{ ok: true; target: ProbeTarget } | { ok: false; error: Problem }> {
  try {
    const checked = await checkProbeTarget(deps.client, {
      contractId: request.contractId,
      serviceId: request.serviceId ?? undefined,
      today: today(deps),
    });
    return checked.ok ? checked : { ok: false, error: checked.problem };
  } catch (error) {
    if (isAutotaskError(error)) return { ok: false, error: error.problem };
    throw error;
  }
}

/** What the write probe would write to, or why it may not (the chat confirmation shows it). */
export async function checkWriteProbe(
  deps: VerifyTenantDependencies,
  request: ProbeRequest,
): Promise<{ ok: true; target: ProbeTargetView } | { ok: false; error: Problem }> {
  const checked = await probeTarget(deps, request);
  return checked.ok ? { ok: true, target: targetView(checked.target) } : checked;
}

export async function verifyTenant(
  deps: VerifyTenantDependencies,
  input: { actor: Actor; writeProbe: ProbeRequest | null },
): Promise<TenantVerification> {
  const now = (deps.now ?? (() => new Date()))();
  const before = deps.client.requestStats().total;
  const readOnly = await verifyTenantReadOnly(deps.client, { budgetShare: deps.budgetShare });
  await storeTenantFacts(deps.prisma, {
    databaseKey: deps.databaseKey,
    source: 'read-only',
    facts: readOnly.checks.map((c) => ({
      behaviour: c.id,
      expected: c.expected,
      observed: c.observed,
      holds: c.status === 'ok' ? true : c.status === 'differs' ? false : null,
    })),
    actor: input.actor,
    now,
  });

  let probe: TenantVerification['probe'] = null;
  let probeProblem: Problem | null = null;
  const connected = readOnly.checks.find((c) => c.id === 'credentials')?.status === 'ok';
  if (input.writeProbe && !connected)
    probeProblem = problem(
      'PROBE_NOT_CONNECTED',
      'the write probe did not run: the bot cannot log in to Autotask',
      'fix the credentials line first',
    );
  else if (input.writeProbe) {
    const target = await probeTarget(deps, input.writeProbe);
    if (!target.ok) {
      probeProblem = target.error;
      await recordAudit(deps.prisma, {
        actor: input.actor,
        action: 'tenant.probe_refused',
        outcome: 'denied',
        details: { databaseKey: deps.databaseKey, ...input.writeProbe, problem: target.error },
      });
    } else
      try {
        const report = await runWriteProbe(deps.client, target.target);
        await storeTenantFacts(deps.prisma, {
          databaseKey: deps.databaseKey,
          source: 'write-probe',
          facts: report.observations.map((o) => ({
            behaviour: o.key,
            expected: tenantBehaviour(o.key).expected,
            observed: o.observed,
            holds: o.holds,
          })),
          actor: input.actor,
          now,
        });
        probe = {
          target: targetView(target.target),
          leftBehind: report.leftBehind,
          finalUnits: report.finalUnits,
        };
      } catch (error) {
        if (!isAutotaskError(error)) throw error;
        probeProblem = problem(
          'PROBE_STOPPED',
          `the write probe stopped on contract ${target.target.contract.id}: ${error.message}; it may have left a line of service ${target.target.service.id} there`,
          `${error.hint} Nothing was recorded about the behaviours; run the probe again on a fresh test contract.`,
        );
      }
  }

  const facts = await loadTenantFacts(deps.prisma, deps.databaseKey);
  const lines: TenantCheckLine[] = [
    ...readOnly.checks.map((c) => ({ ...c, reliedOn: false })),
    ...TENANT_BEHAVIOURS.map((b) =>
      behaviourLine(
        b,
        facts.find((f) => f.behaviour === b.key),
      ),
    ),
  ];
  const refusesUploads = lines.filter((l) => l.reliedOn && l.status === 'differs').map((l) => l.id);
  return {
    ok: lines.every((l) => l.status !== 'differs') && probeProblem === null,
    databaseKey: deps.databaseKey,
    lines,
    probe,
    probeProblem,
    refusesUploads,
    requestsMade: deps.client.requestStats().total - before,
  };
}

/** A behaviour's line: from its stored fact (this probe's, or an earlier one), else not checked. */
function behaviourLine(behaviour: TenantBehaviour, fact: TenantFact | undefined): TenantCheckLine {
  const base = {
    id: behaviour.key,
    title: `behaviour ${behaviour.key}`,
    expected: behaviour.expected,
    reliedOn: behaviour.reliedOn,
  };
  if (!fact || fact.holds === null)
    return {
      ...base,
      status: 'cannot-check',
      observed: fact?.observed ?? 'not probed yet',
      hint: fact ? (behaviour.reliedOn ? PROBE_HINT : null) : PROBE_HINT,
    };
  if (fact.holds)
    return {
      ...base,
      status: 'ok',
      observed: `${fact.observed} (${fact.checkedAt.toISOString().slice(0, 10)})`,
      hint: null,
    };
  return {
    ...base,
    status: 'differs',
    observed: fact.observed,
    hint: behaviour.reliedOn
      ? `uploads to this tenant are refused (${behaviour.why}): send this card to the maintainers`
      : `recorded only (${behaviour.why}); the maintainers would like this card`,
  };
}

/** The stored facts of this tenant, for `status`. */
export const tenantFactsOf = (deps: Pick<VerifyTenantDependencies, 'prisma' | 'databaseKey'>) =>
  loadTenantFacts(deps.prisma, deps.databaseKey);
