// The port through which chat reaches the use cases built in other folders (Autotask test,
// mapping, validate/upload/approve, runs, schedules). One method per use case, typed inputs and
// outputs; the composition root passes an implementation of every method, so the router reads
// and writes nothing itself. Implementations need not check roles or four-eyes: the router does
// that before calling.
import type { Decimal } from 'decimal.js';
import type { BillingCycle } from '../core/billingCycle.js';
import type { Problem } from '../core/problem.js';
import type { Actor } from '../audit/actor.js';
import type { AuditEntry, AuditRecordView } from '../audit/auditLog.js';
import type { MappingMode } from '../mapping/mappingMode.js';
import type { PullSummary } from '../sources/pullSummary.js';
import type { SourceName } from '../sources/sourceConnector.js';
import type { AddSourceOutcome, SourceView, TestSourceOutcome } from '../sources/sourceView.js';
import type { NotificationTarget } from '../settings/notificationTargetSetting.js';
import type { CustomerResolution } from '../subscriptions/customerResolution.js';
import type { ExplainRequest, ExplainView } from '../explain/explainView.js';
import type { ReconciliationReport } from '../reconciliation/reconciliationReport.js';

export type { BillingCycle } from '../core/billingCycle.js';
export type { Problem } from '../core/problem.js';
export type { AuditEntry, AuditRecordView } from '../audit/auditLog.js';
export type { MappingMode } from '../mapping/mappingMode.js';
export type { ExplainRequest, ExplainView } from '../explain/explainView.js';
export type { NotificationTarget } from '../settings/notificationTargetSetting.js';
export type { CustomerRef, CustomerResolution } from '../subscriptions/customerResolution.js';

// ── explain ──────────────────────────────────────────────────────────────────────────────
export type ExplainAnswer =
  | {
      ok: true;
      view: ExplainView;
      /** null when the chart could not be drawn or published (chartProblem says why) */
      chart: { url: string; png: Buffer; altText: string } | null;
      chartProblem: Problem | null;
    }
  | { ok: false; problem: Problem };

// ── reconcile ────────────────────────────────────────────────────────────────────────────
export type ReconcileAnswer =
  | {
      ok: true;
      report: ReconciliationReport;
      /** the whole report as CSV: its bytes (the CLI's --csv), and a signed link (null: see problem) */
      csv: { fileName: string; bytes: Buffer; url: string | null; problem: Problem | null };
    }
  | { ok: false; problem: Problem };

// ── connectivity (`test`) ────────────────────────────────────────────────────────────────
export interface EntityPermission {
  entity: string;
  read: boolean;
  create: boolean;
  update: boolean;
}
export interface ConnectivityResult {
  ok: boolean;
  mode: 'live' | 'sandbox';
  zoneUrl: string | null;
  authenticated: boolean;
  permissions: EntityPermission[];
  latencyMs: number | null;
  apiBudget: { used: number; limit: number; windowMinutes: number };
  errors: Problem[];
}

// ── tenant verification (`verify tenant`) ───────────────────────────────────────────────
export type TenantCheckStatus = 'ok' | 'differs' | 'cannot-check';
/** one line of the report card */
export interface TenantCheckLine {
  id: string;
  title: string;
  status: TenantCheckStatus;
  expected: string;
  observed: string;
  /** what to do; null when ok */
  hint: string | null;
  /** a behaviour the upload relies on: when it differs, uploads to the tenant are refused */
  reliedOn: boolean;
}
/** where the write probe writes: a contract named for testing, a service not on it, two future days */
export interface ProbeTargetView {
  contractId: number;
  contractName: string;
  serviceId: number;
  serviceName: string;
  firstDate: string;
  secondDate: string;
}
export interface ProbeRequest {
  contractId: number;
  /** null: the first active service not on the contract */
  serviceId: number | null;
}
export interface TenantVerificationResult {
  ok: boolean;
  databaseKey: string;
  lines: TenantCheckLine[];
  probe: { target: ProbeTargetView; leftBehind: string[]; finalUnits: number | null } | null;
  /** why the write probe did not run, or stopped */
  probeProblem: Problem | null;
  /** relied-on behaviours the tenant contradicts: uploads to it are refused */
  refusesUploads: string[];
  requestsMade: number;
}
/** a stored fact about the tenant, as `status` shows it */
export interface TenantFactView {
  behaviour: string;
  observed: string;
  holds: boolean | null;
  source: 'read-only' | 'write-probe';
  checkedAt: Date;
  checkedBy: string;
  reliedOn: boolean;
}

// ── customers and mapping ────────────────────────────────────────────────────────────────
export type MappingState = 'mapped' | 'suggested' | 'missing' | 'ambiguous';
export interface CustomerMappingSummary {
  customerId: string;
  name: string;
  company: MappingState;
  contracts: MappingState;
  unmappedProducts: number;
}
export interface CompanyMappingView {
  state: MappingState;
  companyId: number | null;
  companyName: string | null;
  /** 0–1 for suggestions */
  confidence?: number;
  suggestionId?: string;
}
export interface ContractMappingView {
  billingCycle: BillingCycle;
  state: MappingState;
  contractId: number | null;
  contractName: string | null;
  suggestionId?: string;
}
/** One row of the mapping card: a product in one billing cycle. */
export interface ProductMappingView {
  productName: string;
  sku: string | null;
  /** monthly | annual, or the unsupported cycle of a skipped row */
  billingCycle?: string;
  state: MappingState | 'skipped';
  serviceId: number | null;
  serviceName: string | null;
  /** id · name · period · SKU · unit price of the mapped or suggested service */
  serviceLabel?: string;
  confidence?: number;
  suggestionId?: string;
  /** why a suggestion was not applied, or why the row is skipped */
  note?: string;
}
export interface ServiceChoice {
  serviceId: number;
  name: string;
  /** id · name · period · SKU · unit price: what tells two services of one name apart */
  label?: string;
}
export interface MappingView {
  customerId: string;
  customerName: string;
  mode: MappingMode;
  company: CompanyMappingView;
  contracts: ContractMappingView[];
  products: ProductMappingView[];
  /** the Autotask services one may map a product to (all of them; renderers page or search) */
  services: ServiceChoice[];
}
export interface MappingChangeResult {
  ok: boolean;
  /** what changed, in words: "Visio Plan 2 → Visio (service 31)" */
  changes: string[];
  errors: Problem[];
}
export interface UnmappedItem {
  customerId: string;
  customerName: string;
  what: 'company' | 'contract' | 'product';
  /** the product name, or the billing cycle for a contract */
  name: string;
}

// ── validate, upload, decide, runs ──────────────────────────────────────────────────────
export interface ValidationIssue {
  customerName: string;
  subscription: string | null;
  severity: 'error' | 'warning';
  error: Problem;
}
export interface CustomerValidationSummary {
  customerId: string;
  customerName: string;
  subscriptions: number;
  operations: number;
  netUnits: number;
  monthlyRevenueChange: Decimal;
  currency: string;
  apiCalls: number;
  estimatedSeconds: number;
  errors: number;
}
export interface ValidationResult {
  /** the run that holds this plan; `upload <run>` requests it */
  runId: string;
  ok: boolean;
  customers: CustomerValidationSummary[];
  issues: ValidationIssue[];
  validatedAt: Date;
  /** the subscriptions the plan touches or reports on (the card's Explain buttons) */
  explainable?: ExplainableProduct[];
}

/** a run as chat shows it: the store's states folded into what a person needs (src/app/runViews.ts) */
export type ChatRunState =
  | 'validated'
  | 'awaiting_approval'
  | 'approved'
  | 'rejected'
  | 'uploading'
  | 'succeeded'
  | 'failed'
  | 'partially_failed';

export interface RunSummary {
  runId: string;
  customerIds: string[];
  customerNames: string[];
  state: ChatRunState;
  operations: number;
  /** what will change, in words, one line each (the approval card lists the first few) */
  changes: string[];
  requestedBy: string | null;
  requestedAt: Date | null;
  validatedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  rejectReason: string | null;
  progress: { done: number; total: number } | null;
  outcome: { succeeded: number; failed: number } | null;
}

export interface RunOperationView {
  customerName: string;
  /** YYYY-MM-DD the operation takes effect; shown in a column of its own, never cut */
  effectiveDate?: string;
  /** adjustments: the unit change ("+3", "−2"); new lines: null */
  unitChange?: number | null;
  description: string;
  state: 'pending' | 'done' | 'failed' | 'skipped';
  error: Problem | null;
}
/** a subscription a card offers to explain: its product and cycle, as `explain` reads them */
export interface ExplainableProduct {
  customerName: string;
  productName: string;
  billingCycle: string;
}
export interface RunDetail {
  run: RunSummary;
  issues: ValidationIssue[];
  operations: RunOperationView[];
  /** the subscriptions the run touches or reports on (the card's Explain buttons) */
  explainable?: ExplainableProduct[];
}

export type DecisionResult =
  { ok: true; run: RunSummary } | { ok: false; run: RunSummary | null; error: Problem };

export type UploadRequestResult =
  { ok: true; run: RunSummary } | { ok: false; run: RunSummary | null; error: Problem };

// ── schedules ────────────────────────────────────────────────────────────────────────────
export interface ScheduleView {
  id: string;
  target: string;
  cadence: string;
  nextRunAt: Date | null;
  createdBy: string;
}

/** `schedule`: the schedule made, or why not (SCHEDULE_TOO_FREQUENT, CUSTOMER_NOT_FOUND, …) */
export type ScheduleResult = { ok: true; schedule: ScheduleView } | { ok: false; error: Problem };

export interface FailureNotice {
  /** null when no run is involved (a scheduled validation that could not start) */
  runId: string | null;
  customerName: string;
  /** what failed, in plain words */
  what: string;
  errors: Problem[];
  /** the command behind the Retry button (`retry <run>`, `validate <customer>`); null: no button */
  retryCommand: string | null;
}

/** The drift watch's finding for one customer: its lines whose Autotask units differ from the ledger. */
export interface DriftWarning {
  customerId: string;
  customerName: string;
  lines: {
    productName: string;
    billingCycle: string;
    contractServiceId: number;
    since: string;
    detail: string;
  }[];
  /** the command behind "Plan a correction" */
  correctionCommand: string;
}

/** `all` or one customer id */
export type CustomerTarget = { all: true } | { all: false; customerId: string };

export interface ChatServices {
  /** a customer argument as people type it: `acme` finds "Acme Corporation", or the candidates */
  resolveCustomer(input: { query: string }): Promise<CustomerResolution>;
  mappingMode(): Promise<MappingMode>;
  /** `mode auto|manual`; audited */
  setMappingMode(input: { mode: MappingMode; actor: Actor }): Promise<void>;
  /** where approval requests and failures go; null until an admin says `notify here` */
  notificationTarget(): Promise<NotificationTarget | null>;
  /** `notify here`; audited */
  setNotificationTarget(input: { target: NotificationTarget; actor: Actor }): Promise<void>;
  /** the newest audit records first */
  listAudit(input: {
    customerId: string | null;
    since: Date | null;
    limit: number;
  }): Promise<AuditRecordView[]>;
  /** what the router refused (roles, four eyes, the command budget) goes to the audit log too */
  recordAudit(entry: AuditEntry): Promise<void>;
  testConnection(): Promise<ConnectivityResult>;
  /** `verify tenant`: read-only checks, and the write probe when asked (and confirmed); stored, audited */
  verifyTenant(input: { actor: Actor; writeProbe: ProbeRequest | null }): Promise<TenantVerificationResult>;
  /** what the write probe would write to, or why it may not; nothing is written */
  checkWriteProbe(
    input: ProbeRequest,
  ): Promise<{ ok: true; target: ProbeTargetView } | { ok: false; error: Problem }>;
  /** the stored facts of this tenant (none: not verified yet) */
  tenantFacts(): Promise<TenantFactView[]>;
  listCustomers(input: { filter: string | null }): Promise<CustomerMappingSummary[]>;
  mappingOf(input: { customerId: string }): Promise<MappingView>;
  /** services whose name matches what a person typed into a searchable select */
  searchServices(input: { customerId: string; query: string; limit: number }): Promise<ServiceChoice[]>;
  mapCompany(input: { customerId: string; company: string; actor: Actor }): Promise<MappingChangeResult>;
  mapContract(input: {
    customerId: string;
    billingCycle: BillingCycle;
    contract: string;
    isDefault: boolean;
    actor: Actor;
  }): Promise<MappingChangeResult>;
  mapProduct(input: {
    customerId: string;
    product: string;
    /** absent: every billing cycle the customer has the product in */
    billingCycle?: BillingCycle;
    service: string;
    actor: Actor;
  }): Promise<MappingChangeResult>;
  confirmSuggestion(input: { suggestionId: string; actor: Actor }): Promise<MappingChangeResult>;
  confirmAll(input: { customerId: string; actor: Actor }): Promise<MappingChangeResult>;
  listUnmapped(input: { customerId: string | null }): Promise<UnmappedItem[]>;
  /** correct: plan corrections of hand edits on the lines too (`correct <customer>`) */
  validate(input: { target: CustomerTarget; actor: Actor; correct?: boolean }): Promise<ValidationResult>;
  /** `upload <customer>` (a fresh validated plan of that customer) or `upload <run>` */
  requestUpload(
    input: ({ customerId: string } | { runId: string }) & { actor: Actor },
  ): Promise<UploadRequestResult>;
  getRun(input: { runId: string }): Promise<RunSummary | null>;
  approve(input: { runId: string; actor: Actor }): Promise<DecisionResult>;
  reject(input: { runId: string; actor: Actor; reason: string | null }): Promise<DecisionResult>;
  retry(input: { runId: string; actor: Actor }): Promise<UploadRequestResult>;
  listRuns(input: { customerId: string | null; limit: number }): Promise<RunSummary[]>;
  /** one subscription's story with its chart (PNG at a signed URL; the bytes for the CLI) */
  explain(input: ExplainRequest): Promise<ExplainAnswer>;
  /** `reconcile`: what Autotask billed against the source history for a month (null: last month) */
  reconcile(input: {
    target: CustomerTarget;
    scopeLabel: string;
    month: string | null;
  }): Promise<ReconcileAnswer>;
  runDetail(input: { runId: string }): Promise<RunDetail | null>;
  schedule(input: { target: CustomerTarget; cadence: string; actor: Actor }): Promise<ScheduleResult>;
  listSchedules(): Promise<ScheduleView[]>;
  unschedule(input: { id: string; actor: Actor }): Promise<boolean>;
  // ── subscription sources (`sources`, `source …`; docs/sources.md) ──
  listSources(): Promise<SourceView[]>;
  addSource(input: { source: SourceName; actor: Actor }): Promise<AddSourceOutcome>;
  removeSource(input: { source: SourceName; actor: Actor }): Promise<{ ok: boolean; error?: Problem }>;
  testSource(input: { source: SourceName; actor: Actor }): Promise<TestSourceOutcome>;
  /** pulls now; `customerId` limits it to one customer the source already brought */
  syncSource(input: { source: SourceName; customerId: string | null; actor: Actor }): Promise<PullSummary>;
  apiBudget(): Promise<{ used: number; limit: number; windowMinutes: number }>;
}
