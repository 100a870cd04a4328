// Validation of one customer before any upload (docs/billing-semantics.md §5), PURE: the customer's
// subscriptions and history, the mapping part's resolution and findings, the Autotask state read
// in batches and the ledger → findings plus the encoded operations. Errors block the customer.
import { encodeHistory, type EncodedHistory } from './encodeHistory.js';
import type { AutotaskSnapshot, SnapshotContract } from './autotaskSnapshot.js';
import type { SyncOperation } from './syncOperation.js';
import { lineChanges } from './ledgerChanges.js';
import { describeDrift, findDrift } from './unitsTimeline.js';
import { finding, hasErrors, type Finding } from './validationFinding.js';
import type {
  CustomerTargets,
  KnownLine,
  PushedCycle,
  PushedOperation,
  SubscriptionEventInput,
  SubscriptionInput,
} from './syncInputs.js';

export interface CustomerValidationInput {
  customer: { id: string; name: string; cutoverDate: string | null };
  /** today, YYYY-MM-DD */
  asOf: string;
  subscriptions: readonly SubscriptionInput[];
  events: readonly SubscriptionEventInput[];
  /** what the mapping part resolved, and what it found (CUSTOMER_*, CONTRACT_AMBIGUOUS, ...) */
  mapping: { targets: CustomerTargets; findings: readonly Finding[] };
  autotask: AutotaskSnapshot;
  ledger: { pushed: readonly PushedOperation[]; knownLines: readonly KnownLine[] };
}

export interface CustomerValidation {
  customerId: string;
  customerName: string;
  findings: Finding[];
  blocked: boolean;
  encoded: EncodedHistory;
}

export function validateCustomer(input: CustomerValidationInput): CustomerValidation {
  const customerId = input.customer.id;
  const about = { customerId };
  const findings: Finding[] = [];
  const { targets } = input.mapping;
  const snapshot = input.autotask;
  const done = (): CustomerValidation => {
    const unique = dedupe(findings);
    return {
      customerId,
      customerName: input.customer.name,
      findings: unique,
      blocked: hasErrors(unique),
      encoded,
    };
  };
  let encoded: EncodedHistory = { operations: [], findings: [], skipped: [], lines: [] };

  if (!snapshot.connectivity.ok) {
    const code = snapshot.connectivity.code;
    findings.push(
      finding(
        code,
        about,
        snapshot.connectivity.message,
        code === 'AUTOTASK_AUTH'
          ? 'check AUTOTASK_USERNAME, AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE'
          : code === 'AUTOTASK_ROW_UNREADABLE'
            ? 'fix the field the message names on that record in Autotask (or report it if your tenant customises it), then validate again'
            : 'check the network and the Autotask zone, then validate again',
      ),
    );
    return done();
  }
  findings.push(...input.mapping.findings);

  // Company
  const mappingSays = (code: string) => input.mapping.findings.some((f) => f.code === code);
  if (targets.companyId === null) {
    if (!mappingSays('CUSTOMER_UNMAPPED') && !mappingSays('CUSTOMER_AMBIGUOUS'))
      findings.push(
        finding(
          'CUSTOMER_UNMAPPED',
          about,
          `${input.customer.name} is not mapped to an Autotask company`,
          `map ${input.customer.name} to its Autotask company`,
        ),
      );
  } else {
    const company = snapshot.companies.find((c) => c.id === targets.companyId);
    if (!company)
      findings.push(
        finding(
          'CUSTOMER_UNMAPPED',
          about,
          `${input.customer.name} is mapped to Autotask company ${targets.companyId}, which no longer exists`,
          `map ${input.customer.name} to its Autotask company again`,
        ),
      );
    else if (!company.isActive)
      findings.push(
        finding(
          'COMPANY_INACTIVE',
          about,
          `${input.customer.name} is mapped to ${company.companyName} (${company.id}), which is inactive in Autotask`,
          `reactivate ${company.companyName} in Autotask or map ${input.customer.name} to another company`,
        ),
      );
  }

  // Contracts: each mapped one must be a Recurring Service contract with the cycle's period.
  const { picklists } = snapshot;
  const contractOk = new Map<number, boolean>();
  for (const cycle of ['monthly', 'annual'] as PushedCycle[]) {
    const contractId = targets.contracts[cycle];
    if (contractId === null) continue;
    const contract = snapshot.contracts.find((c) => c.id === contractId);
    const period = cycle === 'annual' ? 'yearly' : 'monthly';
    if (!contract) {
      findings.push(
        finding(
          'CONTRACT_MISSING',
          about,
          `the ${period} contract ${contractId} mapped for ${input.customer.name} does not exist in Autotask`,
          `map a ${period} Recurring Service contract for ${input.customer.name}`,
        ),
      );
      contractOk.set(contractId, false);
    } else if (contract.contractType !== picklists.contractType.recurringService) {
      findings.push(
        finding(
          'CONTRACT_NOT_RECURRING',
          about,
          `contract ${contract.contractName} (${contract.id}) is not a Recurring Service contract`,
          `map a Recurring Service contract with a ${period} period instead`,
        ),
      );
      contractOk.set(contractId, false);
    } else if (
      contract.contractPeriodType !==
      (cycle === 'annual' ? picklists.contractPeriodType.yearly : picklists.contractPeriodType.monthly)
    ) {
      findings.push(
        finding(
          'CONTRACT_PERIOD_UNSUPPORTED',
          about,
          `contract ${contract.contractName} (${contract.id}) does not have a ${period} period, so it cannot carry ${cycle} subscriptions`,
          `map a ${period} Recurring Service contract for ${cycle} subscriptions (quarterly and semi-annual ones are never used)`,
        ),
      );
      contractOk.set(contractId, false);
    } else contractOk.set(contractId, true);
  }

  // Encode what is still to send.
  const mappedContracts = new Set(
    [targets.contracts.monthly, targets.contracts.annual].filter((c) => c !== null),
  );
  encoded = encodeHistory({
    customerId,
    cutoverDate: input.customer.cutoverDate,
    asOf: input.asOf,
    subscriptions: input.subscriptions,
    events: input.events,
    targets,
    pushed: input.ledger.pushed,
    knownLines: input.ledger.knownLines,
    existingLines: snapshot.contractServices
      .filter((l) => mappedContracts.has(l.contractID))
      .map((l) => ({ contractId: l.contractID, serviceId: l.serviceID, contractServiceId: l.id })),
  });
  // an unmapped customer has no contracts or services yet: saying so per subscription is noise
  findings.push(
    ...encoded.findings.filter(
      (f) => targets.companyId !== null || (f.code !== 'CONTRACT_MISSING' && f.code !== 'SERVICE_UNMAPPED'),
    ),
  );
  const context: CheckContext = { input, customerId, snapshot, encoded, contractOk, findings };
  const checks = [
    checkContractDates,
    checkPostedPeriods,
    checkServices,
    checkProductContracts,
    checkDuplicateBilling,
    checkDrift,
  ];
  for (const check of checks) check(context);

  if (encoded.operations.length === 0 && !hasErrors(findings))
    findings.push(
      finding(
        'NOTHING_TO_UPLOAD',
        about,
        `everything of ${input.customer.name} is already in Autotask`,
        'nothing to do; new history will show up in the next validation',
      ),
    );
  return done();
}

/** What each check after encoding reads, and the list it reports to. */
interface CheckContext {
  input: CustomerValidationInput;
  customerId: string;
  snapshot: AutotaskSnapshot;
  encoded: EncodedHistory;
  /** per mapped contract: whether it passed the contract checks (a failure is already reported) */
  contractOk: ReadonlyMap<number, boolean>;
  findings: Finding[];
}

const aboutOp = (customerId: string, op: SyncOperation) => ({
  customerId,
  subscriptionId: op.subscriptionId,
  productName: op.productName,
});

function checkContractDates(context: CheckContext): void {
  const { input, customerId, snapshot, encoded, contractOk, findings } = context;
  const reported = new Set<string>();
  for (const op of encoded.operations) {
    if (contractOk.get(op.contractId) === false) continue;
    const contract = snapshot.contracts.find((c) => c.id === op.contractId);
    if (!contract) continue;
    const about = aboutOp(customerId, op);
    const once = (code: string) => {
      const k = `${code}:${op.subscriptionId}:${contract.id}`;
      if (reported.has(k)) return false;
      reported.add(k);
      return true;
    };
    if (op.effectiveDate > contract.endDate && contract.endDate < input.asOf) {
      if (once('CONTRACT_EXPIRED'))
        findings.push(
          finding(
            'CONTRACT_EXPIRED',
            about,
            `contract ${name(contract)} ended on ${contract.endDate}, before the change of ${op.productName} dated ${op.effectiveDate}`,
            'renew the contract in Autotask (or map the new one), then validate again',
          ),
        );
    } else if (op.effectiveDate > contract.endDate || op.effectiveDate < contract.startDate) {
      if (once('CONTRACT_TERM_GAP'))
        findings.push(
          finding(
            'CONTRACT_TERM_GAP',
            about,
            op.effectiveDate < contract.startDate
              ? `contract ${name(contract)} starts ${contract.startDate} but the change of ${op.productName} is dated ${op.effectiveDate}`
              : `contract ${name(contract)} ends ${contract.endDate} but the change of ${op.productName} is dated ${op.effectiveDate}`,
            op.effectiveDate < contract.startDate
              ? 'move the contract start date back, or set a cutover date for this customer'
              : 'extend the contract end date',
          ),
        );
    }
  }
}

function checkPostedPeriods({ customerId, snapshot, encoded, findings }: CheckContext): void {
  const reported = new Set<string>();
  for (const op of encoded.operations) {
    if (op.kind !== 'adjust' || reported.has(op.subscriptionId)) continue;
    const posted = snapshot.units.find(
      (u) =>
        u.contractID === op.contractId &&
        u.approveAndPostDate &&
        u.startDate <= op.effectiveDate &&
        op.effectiveDate <= u.endDate,
    );
    if (!posted) continue;
    reported.add(op.subscriptionId);
    findings.push(
      finding(
        'PERIOD_POSTED',
        aboutOp(customerId, op),
        `the change of ${op.productName} dated ${op.effectiveDate} falls in the period ${posted.startDate}–${posted.endDate} of contract ${op.contractId}, already approved and posted`,
        'set a cutover date after the posted period, or reverse the posting in Autotask',
      ),
    );
  }
}

function checkServices({ customerId, snapshot, encoded, findings }: CheckContext): void {
  const reported = new Set<number>();
  for (const op of encoded.operations) {
    if (reported.has(op.serviceId)) continue;
    const service = snapshot.services.find((s) => s.id === op.serviceId);
    if (service && service.isActive) continue;
    reported.add(op.serviceId);
    findings.push(
      service
        ? finding(
            'SERVICE_INACTIVE',
            aboutOp(customerId, op),
            `${op.productName} maps to the service ${service.name} (${service.id}), which is inactive in Autotask`,
            `reactivate ${service.name} in Autotask or map ${op.productName} to another service`,
          )
        : finding(
            'SERVICE_UNMAPPED',
            aboutOp(customerId, op),
            `${op.productName} maps to service ${op.serviceId}, which does not exist in Autotask`,
            `map ${op.productName} to an existing Autotask service`,
          ),
    );
  }
}

/**
 * A product's service is pushed to one contract only. A product held both monthly and annually
 * is fine when each cycle has its own service (the Monthly one on the monthly contract, the
 * Yearly one on the yearly contract); one service for both cycles would put it on two contracts.
 */
function checkProductContracts({ input, customerId, findings }: CheckContext): void {
  const cycles = new Map<string, Set<string>>();
  for (const s of input.subscriptions) {
    if (s.status === 'cancelled' || s.billingType !== 'quantity') continue;
    const set = cycles.get(s.productName) ?? new Set<string>();
    set.add(s.billingCycle);
    cycles.set(s.productName, set);
  }
  for (const [productName, set] of cycles) {
    if (set.size < 2) continue;
    const services = [...set].map(
      (cycle) =>
        input.mapping.targets.services.find((t) => t.productName === productName && t.billingCycle === cycle)
          ?.serviceId,
    );
    // a cycle without a service is reported as SERVICE_UNMAPPED; distinct services are separate lines
    if (services.some((id) => id === undefined) || new Set(services).size === services.length) continue;
    findings.push(
      finding(
        'PRODUCT_MULTI_CONTRACT',
        { customerId, productName },
        `${productName} would be pushed to two contracts on one service (${services[0]}): it has ${[...set].sort().join(' and ')} subscriptions`,
        `map the product per billing cycle: map ${input.customer.name} product "${productName}" annual service <the Yearly service>`,
      ),
    );
  }
}

/** The same service live on another active contract of the company would bill the customer twice. */
function checkDuplicateBilling({ input, customerId, snapshot, encoded, findings }: CheckContext): void {
  const { asOf } = input;
  const reported = new Set<string>();
  for (const op of encoded.operations) {
    const others = snapshot.contracts.filter(
      (c) =>
        c.id !== op.contractId && c.status === snapshot.picklists.contractStatus.active && c.endDate >= asOf,
    );
    for (const other of others) {
      const live = snapshot.units.some(
        (u) => u.contractID === other.id && u.serviceID === op.serviceId && u.units > 0 && u.endDate >= asOf,
      );
      const k = `${op.subscriptionId}:${other.id}`;
      if (!live || reported.has(k)) continue;
      reported.add(k);
      findings.push(
        finding(
          'DUPLICATE_BILLING_RISK',
          aboutOp(customerId, op),
          `service ${op.serviceId} for ${op.productName} already bills units on another active contract, ${name(other)}`,
          `end the units on ${name(other)} in Autotask, or map ${op.productName} to that contract`,
        ),
      );
    }
  }
}

/** Known lines must carry what the ledger pushed; a line we would adopt must carry nothing. */
function checkDrift({ input, customerId, encoded, findings }: CheckContext): void {
  const rowsOf = (contractServiceId: number) =>
    input.autotask.units.filter((u) => u.contractServiceId === contractServiceId);
  const bySubscription = new Map<string, string[]>();
  const note = (subscriptionId: string, text: string) =>
    bySubscription.set(subscriptionId, [...(bySubscription.get(subscriptionId) ?? []), text]);
  for (const known of input.ledger.knownLines) {
    const line = encoded.lines.find((l) => l.lineKey === known.lineKey);
    if (!line) continue;
    const changes = lineChanges(input.ledger.pushed, known.lineKey);
    const drift = findDrift(rowsOf(known.contractServiceId), changes);
    if (drift.length > 0)
      note(line.subscriptionId, `line ${known.contractServiceId}: ${describeDrift(drift)}`);
  }
  for (const op of encoded.operations) {
    if (op.kind !== 'adjust' || op.line.mode !== 'base' || op.line.contractServiceId === null) continue;
    const foreign = rowsOf(op.line.contractServiceId).filter((r) => r.units !== 0);
    if (foreign.length > 0 && !bySubscription.has(op.subscriptionId))
      note(
        op.subscriptionId,
        `line ${op.line.contractServiceId} already carries units this system never pushed (${foreign[0]!.units} from ${foreign[0]!.startDate})`,
      );
  }
  for (const [subscriptionId, texts] of bySubscription) {
    const productName = input.subscriptions.find((s) => s.id === subscriptionId)?.productName;
    findings.push(
      finding(
        'DRIFT',
        { customerId, subscriptionId, productName },
        `Autotask's units for ${productName ?? subscriptionId} differ from what this system pushed: ${texts.join('; ')}`,
        `find out who changed the line in Autotask; plan a correction with \`correct ${input.customer.name}\` (an approver decides), or undo the change there and validate again`,
      ),
    );
  }
}

const name = (c: SnapshotContract) => `${c.contractName} (${c.id})`;

function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.code}|${f.subscriptionId ?? ''}|${f.productName ?? ''}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
