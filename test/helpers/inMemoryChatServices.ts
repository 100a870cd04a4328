// A ChatServices implementation for chat tests (the real use cases are built in other parts). It
// keeps runs in memory, records every call, and enforces nothing about roles or four-eyes — so a
// test that sees a denial knows the router did it. Customers, settings and the audit log are the
// test database's, through the same records the bot uses (src/app/chatRecords.ts).
import { explainSubscription } from '../../src/useCases/explainSubscription.js';
import type {
  CustomerTarget,
  ExplainAnswer,
  ExplainRequest,
  ReconcileAnswer,
} from '../../src/chat/chatServices.js';
import { chooseBillingMonth } from '../../src/reconciliation/billingMonth.js';
import { reconciliationCsv } from '../../src/reconciliation/reconciliationCsv.js';
import { buildReconciliationReport } from '../../src/reconciliation/reconciliationReport.js';
import { Decimal } from 'decimal.js';
import { chatRecords, type ChatRecords } from '../../src/app/chatRecords.js';
import type { PrismaClient } from '../../src/db/prismaClient.js';
import type {
  ChatServices,
  MappingView,
  RunSummary,
  ScheduleView,
  ValidationResult,
} from '../../src/chat/chatServices.js';
import type { Actor } from '../../src/audit/actor.js';
import { SOURCE_LABEL, type PullSummary } from '../../src/sources/pullSummary.js';
import { SOURCE_NAMES, type SourceName, type SourceTestReport } from '../../src/sources/sourceConnector.js';
import type { AddSourceOutcome, SourceView, TestSourceOutcome } from '../../src/sources/sourceView.js';

export interface InMemoryChatServicesOptions {
  /** the test database: customer resolution, mapping mode, notification target, audit log */
  prisma: PrismaClient;
  /** customers the services know: id → name */
  customers: { id: string; name: string }[];
  unmappedProducts?: number;
  services?: number;
  /** how long validate takes (a slow Autotask) */
  validateDelayMs?: number;
  /** customers whose Autotask catalogue is small (30 services: static selects) */
  smallCatalogueCustomerIds?: string[];
  /** validation issues per customer (0 = clean) */
  validationErrors?: number;
  /** sync.four_eyes (default on) */
  fourEyes?: boolean;
}

export interface Recorded {
  method: keyof ChatServices;
  input: unknown;
}

export class InMemoryChatServices implements ChatServices {
  readonly calls: Recorded[] = [];
  readonly runs = new Map<string, RunSummary>();
  /** decisions taken (approve/reject), one record each */
  readonly decisions: { runId: string; decision: 'approved' | 'rejected'; by: string }[] = [];
  /** uploads started (one per approval) */
  readonly uploads: string[] = [];
  readonly schedules: ScheduleView[] = [];
  private nextRun = 1;

  private readonly records: ChatRecords;

  constructor(private readonly options: InMemoryChatServicesOptions) {
    this.records = chatRecords(options.prisma);
  }

  resolveCustomer: ChatRecords['resolveCustomer'] = (input) => this.records.resolveCustomer(input);
  mappingMode: ChatRecords['mappingMode'] = () => this.records.mappingMode();
  setMappingMode: ChatRecords['setMappingMode'] = (input) => this.records.setMappingMode(input);
  notificationTarget: ChatRecords['notificationTarget'] = () => this.records.notificationTarget();
  setNotificationTarget: ChatRecords['setNotificationTarget'] = (input) =>
    this.records.setNotificationTarget(input);
  listAudit: ChatRecords['listAudit'] = (input) => this.records.listAudit(input);
  recordAudit: ChatRecords['recordAudit'] = (entry) => this.records.recordAudit(entry);

  private record(method: keyof ChatServices, input: unknown) {
    this.calls.push({ method, input });
  }

  callsOf(method: keyof ChatServices) {
    return this.calls.filter((c) => c.method === method);
  }

  private name(customerId: string) {
    return this.options.customers.find((c) => c.id === customerId)?.name ?? customerId;
  }

  private newRun(customerIds: string[]): RunSummary {
    const run: RunSummary = {
      runId: `run_${this.nextRun++}`,
      customerIds,
      customerNames: customerIds.map((id) => this.name(id)),
      state: 'validated',
      operations: 1200,
      changes: Array.from(
        { length: 14 },
        (_, i) =>
          `Microsoft 365 Business Premium: 10 → ${11 + i} units from 2026-11-${String(i + 1).padStart(2, '0')}`,
      ),
      requestedBy: null,
      requestedAt: null,
      validatedAt: new Date(Date.now() - 5 * 60_000),
      decidedBy: null,
      decidedAt: null,
      rejectReason: null,
      progress: null,
      outcome: null,
    };
    this.runs.set(run.runId, run);
    return run;
  }

  async testConnection() {
    this.record('testConnection', {});
    return {
      ok: true,
      mode: 'sandbox' as const,
      zoneUrl: 'http://127.0.0.1/sandbox/',
      authenticated: true,
      permissions: [
        'Companies',
        'Contracts',
        'ContractServices',
        'ContractServiceAdjustments',
        'Services',
      ].map((entity) => ({
        entity,
        read: true,
        create: entity !== 'Companies',
        update: entity === 'Contracts',
      })),
      latencyMs: 42,
      apiBudget: { used: 120, limit: 10_000, windowMinutes: 60 },
      errors: [],
    };
  }

  /** a tenant that passes every check; the write probe writes nowhere (no Autotask here) */
  async verifyTenant(input: Parameters<ChatServices['verifyTenant']>[0]) {
    this.record('verifyTenant', input);
    const probe = input.writeProbe;
    return {
      ok: true,
      databaseKey: 'autotask:http://127.0.0.1|api@partner.example',
      lines: [
        {
          id: 'credentials',
          title: 'credentials',
          status: 'ok' as const,
          expected: 'accepted',
          observed: 'accepted',
          hint: null,
          reliedOn: false,
        },
      ],
      probe: probe
        ? {
            target: this.probeTarget(probe.contractId, probe.serviceId ?? 20),
            leftBehind: ['line 1 of service 20 at unit price 0'],
            finalUnits: 0,
          }
        : null,
      probeProblem: null,
      refusesUploads: [],
      requestsMade: 25,
    };
  }

  async checkWriteProbe(input: Parameters<ChatServices['checkWriteProbe']>[0]) {
    this.record('checkWriteProbe', input);
    return { ok: true as const, target: this.probeTarget(input.contractId, input.serviceId ?? 20) };
  }

  private probeTarget(contractId: number, serviceId: number) {
    return {
      contractId,
      contractName: 'Bot verify probe',
      serviceId,
      serviceName: 'Probe service',
      firstDate: '2026-12-02',
      secondDate: '2026-12-03',
    };
  }

  async tenantFacts() {
    this.record('tenantFacts', {});
    return [];
  }

  async listCustomers(input: { filter: string | null }) {
    this.record('listCustomers', input);
    return this.options.customers
      .filter((c) => !input.filter || c.name.toLowerCase().includes(input.filter.toLowerCase()))
      .map((c) => ({
        customerId: c.id,
        name: c.name,
        company: 'mapped' as const,
        contracts: 'suggested' as const,
        unmappedProducts: 3,
      }));
  }

  /** settable mid-test: a slow Autotask from now on */
  validateDelayMs = 0;

  private serviceList(customerId?: string) {
    const small = customerId !== undefined && this.options.smallCatalogueCustomerIds?.includes(customerId);
    return Array.from({ length: small ? 30 : (this.options.services ?? 30) }, (_, i) => ({
      serviceId: 1000 + i,
      name: `Service ${i + 1} — ${'Microsoft 365 E3 (monthly, per user) '.repeat(i % 3 === 0 ? 3 : 1).trim()}`,
    }));
  }

  async mappingOf(input: { customerId: string }): Promise<MappingView> {
    this.record('mappingOf', input);
    const unmapped = this.options.unmappedProducts ?? 3;
    return {
      customerId: input.customerId,
      customerName: this.name(input.customerId),
      mode: 'automatic',
      company: {
        state: 'suggested',
        companyId: 7,
        companyName: 'ACME Corporation, Inc.',
        confidence: 0.91,
        suggestionId: 'sug_1',
      },
      contracts: [
        { billingCycle: 'monthly', state: 'mapped', contractId: 70, contractName: 'ACME Monthly' },
        { billingCycle: 'annual', state: 'missing', contractId: null, contractName: null },
      ],
      products: [
        {
          productName: 'Exchange Online (Plan 1)',
          sku: 'EXO1',
          state: 'mapped',
          serviceId: 1001,
          serviceName: 'Exchange Online',
        },
        {
          productName: 'Teams Phone',
          sku: null,
          state: 'suggested',
          serviceId: 1002,
          serviceName: 'Teams Phone Standard',
          confidence: 0.8,
          suggestionId: 'sug_2',
        },
        ...Array.from({ length: unmapped }, (_, i) => ({
          productName:
            `Product ${i + 1} ${i % 7 === 0 ? 'with a rather long name that goes on and on for a while '.repeat(4) : ''}`.trim(),
          sku: `SKU-${i}`,
          state: 'missing' as const,
          serviceId: null,
          serviceName: null,
        })),
      ],
      services: this.serviceList(input.customerId),
    };
  }

  async searchServices(input: { customerId: string; query: string; limit: number }) {
    this.record('searchServices', input);
    return this.serviceList(input.customerId)
      .filter((s) => s.name.toLowerCase().includes(input.query.toLowerCase()))
      .slice(0, input.limit);
  }

  private change(method: keyof ChatServices, input: unknown) {
    this.record(method, input);
    return Promise.resolve({ ok: true, changes: [`${method} done`], errors: [] });
  }
  mapCompany = (input: unknown) => this.change('mapCompany', input);
  mapContract = (input: unknown) => this.change('mapContract', input);
  mapProduct = (input: unknown) => this.change('mapProduct', input);
  confirmSuggestion = (input: unknown) => this.change('confirmSuggestion', input);
  confirmAll = (input: unknown) => this.change('confirmAll', input);

  async listUnmapped(input: { customerId: string | null }) {
    this.record('listUnmapped', input);
    return [{ customerId: 'c', customerName: 'Acme Corp', what: 'product' as const, name: 'Visio Plan 2' }];
  }

  async validate(input: Parameters<ChatServices['validate']>[0]): Promise<ValidationResult> {
    this.record('validate', input);
    const delay = this.validateDelayMs || this.options.validateDelayMs;
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const ids = input.target.all ? this.options.customers.map((c) => c.id) : [input.target.customerId];
    const run = this.newRun(ids);
    const errors = this.options.validationErrors ?? 0;
    return {
      runId: run.runId,
      ok: errors === 0,
      validatedAt: run.validatedAt,
      customers: ids.map((id) => ({
        customerId: id,
        customerName: this.name(id),
        subscriptions: 12,
        operations: 30,
        netUnits: 14,
        monthlyRevenueChange: new Decimal('1234.5'),
        currency: 'USD',
        apiCalls: 45,
        estimatedSeconds: 20,
        errors,
      })),
      issues: Array.from({ length: errors }, (_, i) => ({
        customerName: this.name(ids[0]!),
        subscription: `sub-${i}`,
        severity: 'error' as const,
        error: {
          code: 'CONTRACT_TERM_GAP',
          message: 'the contract ends 2026-06-30 but the change is dated 2026-07-14',
          hint: 'extend the contract end date',
        },
      })),
    };
  }

  async requestUpload(input: Parameters<ChatServices['requestUpload']>[0]) {
    this.record('requestUpload', input);
    const run = 'runId' in input ? this.runs.get(input.runId) : this.newRun([input.customerId]);
    if (!run)
      return {
        ok: false as const,
        run: null,
        error: { code: 'RUN_NOT_FOUND', message: 'no such run', hint: 'list runs with `runs`' },
      };
    run.state = 'awaiting_approval';
    run.requestedBy = input.actor.id;
    run.requestedAt = new Date();
    return { ok: true as const, run: { ...run } };
  }

  async getRun(input: { runId: string }) {
    this.record('getRun', input);
    const run = this.runs.get(input.runId);
    return run ? { ...run } : null;
  }

  async approve(input: Parameters<ChatServices['approve']>[0]) {
    this.record('approve', input);
    const run = this.runs.get(input.runId)!;
    // the use case's four eyes (sync.four_eyes on): the requester cannot approve
    if (this.options.fourEyes !== false && run.requestedBy === input.actor.id)
      return {
        ok: false as const,
        run: { ...run },
        error: { code: 'FOUR_EYES', message: `you requested run ${run.runId}`, hint: 'ask another approver' },
      };
    run.state = 'uploading';
    run.decidedBy = input.actor.id;
    run.decidedAt = new Date();
    run.progress = { done: 0, total: run.operations };
    this.decisions.push({ runId: run.runId, decision: 'approved', by: input.actor.id });
    this.uploads.push(run.runId);
    return { ok: true as const, run: { ...run } };
  }

  async reject(input: Parameters<ChatServices['reject']>[0]) {
    this.record('reject', input);
    const run = this.runs.get(input.runId)!;
    run.state = 'rejected';
    run.decidedBy = input.actor.id;
    run.rejectReason = input.reason;
    this.decisions.push({ runId: run.runId, decision: 'rejected', by: input.actor.id });
    return { ok: true as const, run: { ...run } };
  }

  async retry(input: Parameters<ChatServices['retry']>[0]) {
    this.record('retry', input);
    const run = this.runs.get(input.runId);
    if (!run)
      return {
        ok: false as const,
        run: null,
        error: { code: 'RUN_NOT_FOUND', message: 'no such run', hint: 'list runs with `runs`' },
      };
    run.state = 'uploading';
    return { ok: true as const, run: { ...run } };
  }

  /** the real use case over the test database, without Autotask and without a chart */
  async explain(input: ExplainRequest): Promise<ExplainAnswer> {
    this.record('explain', input);
    const outcome = await explainSubscription({ prisma: this.options.prisma, client: null }, input);
    return outcome.ok ? { ...outcome, chart: null, chartProblem: null } : outcome;
  }

  /** the month checked as the real use case does; no Autotask here, so no line to reconcile */
  async reconcile(input: {
    target: CustomerTarget;
    scopeLabel: string;
    month: string | null;
  }): Promise<ReconcileAnswer> {
    this.record('reconcile', input);
    const chosen = chooseBillingMonth(input.month, '2026-11-25');
    if (!chosen.ok) return chosen;
    const report = buildReconciliationReport({
      month: chosen.month,
      scopeLabel: input.scopeLabel,
      customers: input.target.all ? this.options.customers.length : 1,
      lines: [],
      skipped: [],
    });
    const bytes = Buffer.from(reconciliationCsv(report));
    return { ok: true, report, csv: { fileName: 'reconciliation.csv', bytes, url: null, problem: null } };
  }

  async listRuns(input: { customerId: string | null; limit: number }) {
    this.record('listRuns', input);
    return [...this.runs.values()].slice(0, input.limit);
  }

  async runDetail(input: { runId: string }) {
    this.record('runDetail', input);
    const run = this.runs.get(input.runId);
    if (!run) return null;
    return {
      run: { ...run },
      issues: [],
      operations: Array.from({ length: 60 }, (_, i) => ({
        customerName: run.customerNames[0] ?? '',
        description: `adjust service ${i} by +1 unit from 2026-11-01`,
        state: i % 10 === 0 ? ('failed' as const) : ('done' as const),
        error: i % 10 === 0 ? { code: 'AUTOTASK_429', message: 'too many requests', hint: '' } : null,
      })),
    };
  }

  async schedule(input: Parameters<ChatServices['schedule']>[0]) {
    this.record('schedule', input);
    const view = {
      id: `sch_${this.schedules.length + 1}`,
      target: input.target.all ? 'all' : this.name(input.target.customerId),
      cadence: input.cadence,
      nextRunAt: new Date('2026-11-26T06:00:00Z'),
      createdBy: input.actor.id,
    };
    this.schedules.push(view);
    return { ok: true as const, schedule: view };
  }

  async listSchedules() {
    this.record('listSchedules', {});
    return [...this.schedules];
  }

  async unschedule(input: { id: string }) {
    this.record('unschedule', input);
    const at = this.schedules.findIndex((s) => s.id === input.id);
    if (at >= 0) this.schedules.splice(at, 1);
    return at >= 0;
  }

  async apiBudget() {
    this.record('apiBudget', {});
    return { used: 120, limit: 10_000, windowMinutes: 60 };
  }

  /** sources turned on with `source add` (the in-memory stand-in of the registry) */
  readonly enabledSources = new Set<SourceName>();

  async listSources(): Promise<SourceView[]> {
    this.record('listSources', {});
    return SOURCE_NAMES.map((source) => this.sourceView(source));
  }

  async addSource(input: { source: SourceName; actor: Actor }): Promise<AddSourceOutcome> {
    this.record('addSource', input);
    this.enabledSources.add(input.source);
    return { ok: true, source: this.sourceView(input.source), report: this.testReport(input.source) };
  }

  async removeSource(input: { source: SourceName; actor: Actor }) {
    this.record('removeSource', input);
    return { ok: this.enabledSources.delete(input.source) };
  }

  async testSource(input: { source: SourceName; actor: Actor }): Promise<TestSourceOutcome> {
    this.record('testSource', input);
    return { ok: true, report: this.testReport(input.source) };
  }

  async syncSource(input: {
    source: SourceName;
    customerId: string | null;
    actor: Actor;
  }): Promise<PullSummary> {
    this.record('syncSource', input);
    return {
      pullId: `pull-${this.calls.length}`,
      source: input.source,
      scope: input.customerId ?? 'all',
      pullDate: '2026-12-01',
      outcome: 'ok',
      customers: this.options.customers.length,
      customersCreated: 0,
      subscriptions: 0,
      subscriptionsCreated: 0,
      eventsNew: 0,
      eventsAlreadyStored: 0,
      requests: 1,
      findings: [],
    };
  }

  private sourceView(source: SourceName): SourceView {
    const enabled = this.enabledSources.has(source);
    return {
      source,
      label: SOURCE_LABEL[source],
      mode: 'stand-in',
      enabled,
      addedBy: null,
      cron: enabled ? '0 1 * * *' : null,
      nextPullAt: null,
      lastPull: null,
    };
  }

  private testReport(source: SourceName): SourceTestReport {
    return {
      source,
      baseUrl: `http://127.0.0.1/${source}`,
      checks: [{ name: 'sign-in', outcome: 'ok', detail: 'token issued' }],
      counts: { customers: this.options.customers.length },
      latencyMs: undefined,
      requests: 1,
    };
  }
}
