// One Autotask database in memory: the entities, their field metadata and picklists, queries
// with paging, and the contract-service writes with Autotask's business rules. The HTTP layer
// (sandboxServer.ts) adds credentials, limits, faults and counters around it.
import { Decimal } from 'decimal.js';
import { QueryBodySchema, type FilterCondition } from '../autotask/queryFilter.js';
import { isCalendarDate } from '../core/calendarDate.js';
import { FilterError, matchesFilter } from './filterEvaluation.js';
import type { SandboxPatch } from './sandboxControls.js';
import { SANDBOX_ERROR_TEXT } from './sandboxErrorTexts.js';
import type { SandboxSeed } from './sandboxSeed.js';
import type { SandboxState } from './sandboxState.js';
import { periodContaining, unitsTimeline, type TimelineContract } from './unitsTimeline.js';
import { fieldOf, SANDBOX_FIELDS, wireRow, type SandboxEntity, type WireValue } from './entityFieldModel.js';
import { seededVendorFields } from './sandboxSeed.js';

/** An answer in Autotask's shape: status + JSON body. */
export interface SandboxAnswer {
  status: number;
  body: unknown;
}

const fail = (status: number, ...errors: string[]): SandboxAnswer => ({ status, body: { errors } });
const ok = (body: unknown): SandboxAnswer => ({ status: 200, body });

const atMidnight = (date: string) => `${date}T00:00:00Z`;
const money = (d: Decimal | null) => (d === null ? null : d.toNumber());

interface CompanyRow {
  id: number;
  companyName: string;
  companyNumber: string | null;
  companyType: number;
  isActive: boolean;
  /** the vendor's other fields, as the seed set them (null when not set) */
  vendorFields: Record<string, WireValue>;
}
interface ContractRow {
  id: number;
  companyID: number;
  contractName: string;
  contractNumber: string | null;
  contractType: number;
  contractPeriodType: number | null;
  status: number;
  startDate: string;
  endDate: string;
  isDefaultContract: boolean;
  /** the vendor's other fields, as the seed set them (null when not set) */
  vendorFields: Record<string, WireValue>;
}
interface ServiceRow {
  id: number;
  name: string;
  sku: string | null;
  unitPrice: Decimal;
  unitCost: Decimal | null;
  periodType: number;
  isActive: boolean;
  billingCodeID: number | null;
  /** the vendor's other fields, as the seed set them (null when not set) */
  vendorFields: Record<string, WireValue>;
}
interface ContractServiceRow {
  id: number;
  contractID: number;
  serviceID: number;
  unitPrice: Decimal;
  unitCost: Decimal | null;
  adjustedPrice: Decimal | null;
  invoiceDescription: string | null;
  /** the vendor's other fields, as the seed set them (null when not set) */
  vendorFields: Record<string, WireValue>;
}
export interface AdjustmentRow {
  id: number;
  contractID: number;
  contractServiceID: number;
  serviceID: number;
  effectiveDate: string;
  unitChange: number;
  adjustedUnitPrice: Decimal | null;
  adjustedUnitCost: Decimal | null;
}

/** The entities the sandbox serves, by their route name. */
export const SANDBOX_ENTITIES = {
  Companies: { singular: 'Company', canCreate: true },
  Contracts: { singular: 'Contract', canCreate: true },
  Services: { singular: 'Service', canCreate: true },
  ContractServices: { singular: 'ContractService', canCreate: true },
  ContractServiceAdjustments: { singular: 'ContractServiceAdjustment', canCreate: true },
  ContractServiceUnits: { singular: 'ContractServiceUnit', canCreate: false },
  BillingItems: { singular: 'BillingItem', canCreate: false },
} as const satisfies Record<SandboxEntity, { singular: string; canCreate: boolean }>;
export type { SandboxEntity };

export interface WriteLogEntry {
  at: string;
  route: string;
  status: number;
  itemId: number | null;
}

/** Why a patch was refused: the admin route answers with this status and message. */
export interface SandboxPatchProblem {
  status: 400 | 404;
  message: string;
}

export class SandboxDatabase {
  private companies: CompanyRow[] = [];
  private contracts: ContractRow[] = [];
  private services: ServiceRow[] = [];
  private contractServices: ContractServiceRow[] = [];
  private adjustments: AdjustmentRow[] = [];
  private postedThrough: string | null = null;
  private postedAt: string | null = null;
  private nextId = 1;
  readonly writeLog: WriteLogEntry[] = [];
  externalRequestThreshold = 10_000;
  /** called after every change to the data (a persisted sandbox saves then) */
  onChange: () => void = () => undefined;

  constructor(
    private readonly seed: SandboxSeed,
    private readonly now: () => Date,
  ) {
    this.reset();
  }

  private changed(): void {
    this.unitRowsCache = undefined;
    this.onChange();
  }

  reset(): void {
    this.unitRowsCache = undefined;
    const s = this.seed;
    const dec = (v: string | null | undefined) => (v == null ? null : new Decimal(v));
    this.companies = s.companies.map((c) => ({
      id: c.id,
      companyName: c.companyName,
      companyNumber: c.companyNumber ?? null,
      companyType: c.companyType,
      isActive: c.isActive,
      vendorFields: seededVendorFields('companies', c),
    }));
    this.contracts = s.contracts.map((c) => ({
      id: c.id,
      companyID: c.companyID,
      contractName: c.contractName,
      contractNumber: c.contractNumber ?? null,
      contractType: c.contractType,
      contractPeriodType: c.contractPeriodType,
      status: c.status,
      startDate: c.startDate,
      endDate: c.endDate,
      isDefaultContract: c.isDefaultContract,
      vendorFields: seededVendorFields('contracts', c),
    }));
    this.services = s.services.map((x) => ({
      id: x.id,
      name: x.name,
      sku: x.sku ?? null,
      unitPrice: new Decimal(x.unitPrice),
      unitCost: dec(x.unitCost),
      periodType: x.periodType,
      isActive: x.isActive,
      billingCodeID: x.billingCodeID ?? null,
      vendorFields: seededVendorFields('services', x),
    }));
    this.contractServices = s.contractServices.map((l) => ({
      id: l.id,
      contractID: l.contractID,
      serviceID: l.serviceID,
      unitPrice: new Decimal(l.unitPrice),
      unitCost: dec(l.unitCost),
      adjustedPrice: null,
      invoiceDescription: l.invoiceDescription ?? null,
      vendorFields: seededVendorFields('contractServices', l),
    }));
    const maxId = Math.max(
      0,
      ...[...this.companies, ...this.contracts, ...this.services, ...this.contractServices].map((r) => r.id),
    );
    this.nextId = maxId + 1;
    this.adjustments = s.adjustments.map((a) => {
      const line = this.contractServices.find((l) => l.id === a.contractServiceID)!;
      return {
        id: this.nextId++,
        contractID: line.contractID,
        contractServiceID: line.id,
        serviceID: line.serviceID,
        effectiveDate: a.effectiveDate,
        unitChange: a.unitChange,
        adjustedUnitPrice: dec(a.adjustedUnitPrice),
        adjustedUnitCost: dec(a.adjustedUnitCost),
      };
    });
    this.postedThrough = s.postedThrough ?? null;
    this.postedAt = this.postedThrough ? this.now().toISOString() : null;
    this.writeLog.length = 0;
    this.externalRequestThreshold = s.externalRequestThreshold;
    this.changed();
  }

  // ---- persistence (sandboxState.ts) ------------------------------------------------------

  /** The data as plain JSON: what a restart needs to carry on where it stopped. */
  exportState(): SandboxState {
    const text = (d: Decimal | null) => (d === null ? null : d.toString());
    return {
      companies: this.companies.map((c) => ({ ...c })),
      contracts: this.contracts.map((c) => ({ ...c })),
      services: this.services.map((x) => ({
        ...x,
        unitPrice: x.unitPrice.toString(),
        unitCost: text(x.unitCost),
      })),
      contractServices: this.contractServices.map((l) => ({
        ...l,
        unitPrice: l.unitPrice.toString(),
        unitCost: text(l.unitCost),
        adjustedPrice: text(l.adjustedPrice),
      })),
      adjustments: this.adjustments.map((a) => ({
        ...a,
        adjustedUnitPrice: text(a.adjustedUnitPrice),
        adjustedUnitCost: text(a.adjustedUnitCost),
      })),
      postedThrough: this.postedThrough,
      postedAt: this.postedAt,
      nextId: this.nextId,
      externalRequestThreshold: this.externalRequestThreshold,
    };
  }

  /** Carries on from a saved state (checked by sandboxState.ts) instead of the seed. */
  restore(state: SandboxState): void {
    const dec = (v: string | null) => (v === null ? null : new Decimal(v));
    this.companies = state.companies.map((c) => ({ ...c }));
    this.contracts = state.contracts.map((c) => ({ ...c }));
    this.services = state.services.map((x) => ({
      ...x,
      unitPrice: new Decimal(x.unitPrice),
      unitCost: dec(x.unitCost),
    }));
    this.contractServices = state.contractServices.map((l) => ({
      ...l,
      unitPrice: new Decimal(l.unitPrice),
      unitCost: dec(l.unitCost),
      adjustedPrice: dec(l.adjustedPrice),
    }));
    this.adjustments = state.adjustments.map((a) => ({
      ...a,
      adjustedUnitPrice: dec(a.adjustedUnitPrice),
      adjustedUnitCost: dec(a.adjustedUnitCost),
    }));
    this.postedThrough = state.postedThrough;
    this.postedAt = state.postedAt;
    this.nextId = state.nextId;
    this.externalRequestThreshold = state.externalRequestThreshold;
    this.unitRowsCache = undefined;
  }

  permissions(entity: SandboxEntity): { canQuery: boolean; canCreate: boolean } {
    const base = {
      canQuery: entity !== 'ContractServiceAdjustments',
      canCreate: SANDBOX_ENTITIES[entity].canCreate,
    };
    const restricted = this.seed.permissions[entity];
    return restricted
      ? { canQuery: base.canQuery && restricted.canQuery, canCreate: base.canCreate && restricted.canCreate }
      : base;
  }

  // ---- metadata ---------------------------------------------------------------------------

  entityInformation(entity: SandboxEntity): SandboxAnswer {
    const p = this.permissions(entity);
    return ok({
      info: {
        name: SANDBOX_ENTITIES[entity].singular,
        canCreate: p.canCreate,
        canDelete: false,
        canQuery: p.canQuery,
        canUpdate: entity === 'ContractServices' || entity === 'Contracts' || entity === 'Companies',
        hasUserDefinedFields: entity === 'Companies' || entity === 'Contracts',
        supportsWebhookCallouts: false,
      },
    });
  }

  entityFields(entity: SandboxEntity): SandboxAnswer {
    return ok({
      fields: SANDBOX_FIELDS[entity].map((f) => ({
        name: f.name,
        dataType: f.dataType,
        length: f.dataType === 'string' ? 100 : 0,
        isRequired: f.isRequired,
        isReadOnly: f.isReadOnly,
        isQueryable: entity !== 'ContractServiceAdjustments',
        isReference: f.referenceEntityType !== null,
        referenceEntityType: f.referenceEntityType ?? '',
        isPickList: f.isPickList,
        picklistValues: f.isPickList
          ? (f.picklist ? this.seed.picklists[f.picklist] : []).map((v, i) => ({
              value: String(v.value),
              label: v.label,
              isDefaultValue: i === 0,
              sortOrder: i,
              parentValue: '',
              isActive: v.isActive,
              isSystem: true,
            }))
          : null,
        picklistParentValueField: '',
        isSupportedWebhookField: false,
      })),
    });
  }

  // ---- reading ----------------------------------------------------------------------------

  /** Every row of an entity in wire format, sorted by id. */
  private rows(entity: SandboxEntity): Record<string, unknown>[] {
    switch (entity) {
      case 'Companies':
        return this.companies.map(({ vendorFields, ...c }) => wireRow(entity, c, vendorFields));
      case 'Contracts':
        return this.contracts.map(({ vendorFields, ...c }) =>
          wireRow(
            entity,
            { ...c, startDate: atMidnight(c.startDate), endDate: atMidnight(c.endDate) },
            vendorFields,
          ),
        );
      case 'Services':
        return this.services.map(({ vendorFields, ...s }) =>
          wireRow(entity, { ...s, unitPrice: money(s.unitPrice), unitCost: money(s.unitCost) }, vendorFields),
        );
      case 'ContractServices':
        // like the real API, adjustedPrice is not returned; internalCurrencyAdjustedPrice is
        return this.contractServices.map(({ vendorFields, adjustedPrice, ...l }) =>
          wireRow(
            entity,
            {
              ...l,
              unitPrice: money(l.unitPrice),
              unitCost: money(l.unitCost),
              internalCurrencyUnitPrice: money(l.unitPrice),
              internalCurrencyAdjustedPrice: money(adjustedPrice ?? l.unitPrice),
            },
            vendorFields,
            ['adjustedPrice'],
          ),
        );
      case 'ContractServiceAdjustments':
        return [];
      case 'ContractServiceUnits':
        return this.unitRows().map(({ periodEnd: _periodEnd, companyID: _companyID, ...r }) =>
          wireRow(entity, { ...r, internalCurrencyPrice: r.price }),
        );
      case 'BillingItems':
        return this.unitRows()
          .filter((r) => r.approveAndPostDate !== null && r.units !== 0)
          .map((r) =>
            wireRow(entity, {
              id: r.id,
              companyID: r.companyID,
              contractID: r.contractID,
              serviceID: r.serviceID,
              itemName: this.services.find((s) => s.id === r.serviceID)?.name ?? null,
              itemDate: r.startDate,
              postedDate: r.approveAndPostDate,
              quantity: r.units,
              rate: r.units === 0 ? null : new Decimal(r.price).div(r.units).toDecimalPlaces(4).toNumber(),
              extendedPrice: r.price,
              totalAmount: r.price,
              internalCurrencyExtendedPrice: r.price,
              internalCurrencyTotalAmount: r.price,
              ourCost: r.cost,
              nonBillable: false,
            }),
          );
    }
  }

  query(
    entity: SandboxEntity,
    body: unknown,
    afterId: number,
    nextPageUrl: (afterId: number) => string,
  ): SandboxAnswer {
    const parsed = QueryBodySchema.safeParse(body);
    if (!parsed.success) {
      return fail(
        500,
        ...parsed.error.issues.map((i) =>
          i.path[0] === 'filter' && i.code === 'too_small'
            ? 'A filter is required: use {"op":"exist","field":"id"} to list every row.'
            : `Invalid query: ${i.path.join('.') || 'body'}: ${i.message}`,
        ),
      );
    }
    const { filter, IncludeFields, MaxRecords } = parsed.data;
    if (MaxRecords !== undefined && (MaxRecords < 1 || MaxRecords > 500))
      return fail(500, SANDBOX_ERROR_TEXT.maxRecords);
    const pageSize = MaxRecords ?? 500;
    const unknown = this.unknownField(entity, filter, IncludeFields ?? []);
    if (unknown) return fail(500, unknown);
    let matching: Record<string, unknown>[];
    try {
      matching = this.matching(entity, filter);
    } catch (error) {
      if (error instanceof FilterError) return fail(500, error.message);
      throw error;
    }
    const rest = matching.filter((r) => (r.id as number) > afterId);
    const page = rest.slice(0, pageSize);
    const more = rest.length > pageSize;
    const items = IncludeFields?.length
      ? page.map((r) => pick(r, ['id', 'userDefinedFields', ...IncludeFields]))
      : page;
    return ok({
      items,
      pageDetails: {
        count: items.length,
        requestCount: pageSize,
        prevPageUrl: null,
        nextPageUrl: more ? nextPageUrl(page[page.length - 1]!.id as number) : null,
      },
    });
  }

  count(entity: SandboxEntity, body: unknown): SandboxAnswer {
    const parsed = QueryBodySchema.safeParse(body);
    if (!parsed.success)
      return fail(500, 'A filter is required: use {"op":"exist","field":"id"} to count every row.');
    const unknown = this.unknownField(entity, parsed.data.filter, []);
    if (unknown) return fail(500, unknown);
    try {
      return ok({ queryCount: this.matching(entity, parsed.data.filter).length });
    } catch (error) {
      if (error instanceof FilterError) return fail(500, error.message);
      throw error;
    }
  }

  /** Autotask's answer to a filter or include naming a field the entity does not have, before any row is read. */
  private unknownField(entity: SandboxEntity, filter: FilterCondition[], include: string[]): string | null {
    const names = [...include, ...filter.flatMap(fieldNames)];
    const missing = names.find((n) => !fieldOf(entity, n));
    return missing === undefined
      ? null
      : `Unable to find ${missing} in the ${SANDBOX_ENTITIES[entity].singular} Entity.`;
  }

  private matching(entity: SandboxEntity, filter: FilterCondition[]): Record<string, unknown>[] {
    // a restricted API security level answers with no rows rather than an error, as Autotask does
    if (!this.permissions(entity).canQuery) return [];
    const singular = SANDBOX_ENTITIES[entity].singular;
    return this.rows(entity)
      .filter((row) => filter.every((c) => matchesFilter(row, c, singular)))
      .sort((a, b) => (a.id as number) - (b.id as number));
  }

  get(entity: SandboxEntity, id: number): SandboxAnswer {
    if (!this.permissions(entity).canQuery) return ok({ item: null });
    return ok({ item: this.rows(entity).find((r) => r.id === id) ?? null });
  }

  /** GET /Contracts/{id}/{child}/{childId}: the row, when it belongs to that contract. */
  getChild(entity: SandboxEntity, contractId: number, id: number): SandboxAnswer {
    if (!this.permissions(entity).canQuery) return ok({ item: null });
    return ok({ item: this.rows(entity).find((r) => r.id === id && r.contractID === contractId) ?? null });
  }

  thresholdInformation(currentCount: number): SandboxAnswer {
    return ok({
      externalRequestThreshold: this.externalRequestThreshold,
      requestThresholdTimeframe: 60,
      currentTimeframeRequestCount: currentCount,
    });
  }

  // ---- the units timeline -----------------------------------------------------------------

  private periodMonths(contract: ContractRow): number | undefined {
    const label = this.seed.picklists.contractPeriodType.find(
      (p) => p.value === contract.contractPeriodType,
    )?.label;
    if (!label) return undefined;
    if (/semi/i.test(label)) return 6;
    if (/month/i.test(label)) return 1;
    if (/quarter/i.test(label)) return 3;
    if (/year|annual/i.test(label)) return 12;
    return undefined;
  }

  private timelineContract(contract: ContractRow): TimelineContract | undefined {
    const periodMonths = this.periodMonths(contract);
    return periodMonths === undefined
      ? undefined
      : { startDate: contract.startDate, endDate: contract.endDate, periodMonths };
  }

  private isRecurring(contract: ContractRow): boolean {
    const label =
      this.seed.picklists.contractType.find((p) => p.value === contract.contractType)?.label ?? '';
    return /^recurring service$/i.test(label);
  }

  private unitRowsCache: ReturnType<SandboxDatabase['computeUnitRows']> | undefined;

  /** The timeline of every line, computed once per change (writes, posting, reset clear it). */
  private unitRows() {
    return (this.unitRowsCache ??= this.computeUnitRows());
  }

  private computeUnitRows() {
    const rows: {
      id: number;
      companyID: number;
      contractID: number;
      contractServiceID: number;
      serviceID: number;
      startDate: string;
      endDate: string;
      periodEnd: string;
      units: number;
      price: number;
      cost: number;
      approveAndPostDate: string | null;
    }[] = [];
    for (const line of this.contractServices) {
      const contract = this.contracts.find((c) => c.id === line.contractID)!;
      const timelineContract = this.timelineContract(contract);
      if (!timelineContract) continue;
      const timeline = unitsTimeline(
        timelineContract,
        line,
        this.adjustments.filter((a) => a.contractServiceID === line.id),
      );
      // Row ids are stable while the line's adjustments do not change (Autotask regenerates
      // the rows of a line when it is adjusted, so no caller may keep a row id).
      timeline.forEach((r, i) =>
        rows.push({
          id: line.id * 10_000 + i + 1,
          companyID: contract.companyID,
          contractID: contract.id,
          contractServiceID: line.id,
          serviceID: line.serviceID,
          startDate: atMidnight(r.startDate),
          endDate: atMidnight(r.endDate),
          periodEnd: r.periodEnd,
          units: r.units,
          price: r.price.toNumber(),
          cost: r.cost.toNumber(),
          approveAndPostDate: this.postedThrough && r.periodEnd <= this.postedThrough ? this.postedAt : null,
        }),
      );
    }
    return rows;
  }

  // ---- writing ----------------------------------------------------------------------------

  private log(route: string, answer: SandboxAnswer): SandboxAnswer {
    if (answer.status === 200) this.changed();
    const itemId = (answer.body as { itemId?: number | null }).itemId ?? null;
    this.writeLog.push({ at: this.now().toISOString(), route, status: answer.status, itemId });
    return answer;
  }

  createContractService(pathContractId: number, body: unknown): SandboxAnswer {
    return this.log('POST Contracts/Services', this.contractServiceRules(pathContractId, body));
  }

  private contractServiceRules(pathContractId: number, body: unknown): SandboxAnswer {
    if (!this.permissions('ContractServices').canCreate)
      return fail(403, 'The API user may not create ContractServices (security level).');
    const b = asRecord(body);
    if (!b) return fail(500, 'The request body must be a ContractService object.');
    // the vendor marks unitPrice optional: a line without one takes the catalogue price
    const problems = [
      ...requireInteger(b, ['contractID', 'serviceID', 'quoteItemID'], ['contractID', 'serviceID']),
      ...requireNumber(b, ['unitPrice', 'unitCost'], []),
    ];
    if (problems.length) return fail(500, ...problems);
    if (b.contractID !== undefined && b.contractID !== pathContractId)
      return fail(
        500,
        `contractID ${String(b.contractID)} does not match the Contract in the URL (${pathContractId}).`,
      );
    const contract = this.contracts.find((c) => c.id === pathContractId);
    if (!contract) return fail(404, `Contract ${pathContractId} does not exist.`);
    if (!this.isRecurring(contract)) return fail(500, SANDBOX_ERROR_TEXT.notRecurringService);
    const service = this.services.find((s) => s.id === b.serviceID);
    if (!service) return fail(500, `Value ${String(b.serviceID)} does not exist for the field serviceID.`);
    if (
      this.seed.tenantQuirks?.repeatServicePost !== 'accepted' &&
      this.contractServices.some((l) => l.contractID === contract.id && l.serviceID === service.id)
    )
      return fail(500, SANDBOX_ERROR_TEXT.serviceAlreadyOnContract);
    const line: ContractServiceRow = {
      id: this.nextId++,
      contractID: contract.id,
      serviceID: service.id,
      unitPrice: b.unitPrice == null ? service.unitPrice : new Decimal(b.unitPrice as number),
      unitCost:
        b.unitCost === undefined || b.unitCost === null
          ? service.unitCost
          : new Decimal(b.unitCost as number),
      adjustedPrice: null,
      invoiceDescription: typeof b.invoiceDescription === 'string' ? b.invoiceDescription : null,
      vendorFields: {},
    };
    this.contractServices.push(line);
    return ok({ itemId: line.id });
  }

  createAdjustment(pathContractId: number | undefined, body: unknown): SandboxAnswer {
    const route =
      pathContractId === undefined ? 'POST ContractServiceAdjustments' : 'POST Contracts/ServiceAdjustments';
    return this.log(route, this.adjustmentRules(pathContractId, body));
  }

  private adjustmentRules(pathContractId: number | undefined, body: unknown): SandboxAnswer {
    if (!this.permissions('ContractServiceAdjustments').canCreate)
      return fail(403, 'The API user may not create ContractServiceAdjustments (security level).');
    const b = asRecord(body);
    if (!b) return fail(500, 'The request body must be a ContractServiceAdjustment object.');
    const problems = [
      ...requireBoolean(b, ['allowRepeatService']),
      ...requireInteger(
        b,
        ['contractID', 'serviceID', 'contractServiceID', 'unitChange', 'quoteItemID'],
        ['unitChange'],
      ),
      ...requireNumber(b, ['adjustedUnitPrice', 'adjustedUnitCost'], []),
    ];
    const contractId = (b.contractID as number | undefined) ?? pathContractId;
    if (contractId === undefined) problems.push('Required field contractID is missing.');
    if (pathContractId !== undefined && b.contractID !== undefined && b.contractID !== pathContractId)
      problems.push(
        `contractID ${String(b.contractID)} does not match the Contract in the URL (${pathContractId}).`,
      );
    // the swagger types effectiveDate as a date-time; Autotask keeps the calendar date sent
    const effective = typeof b.effectiveDate === 'string' ? b.effectiveDate.slice(0, 10) : undefined;
    if (effective === undefined || !isCalendarDate(effective) || !ISO_DATE_TIME.test(String(b.effectiveDate)))
      problems.push('Required field effectiveDate is missing or is not a date.');
    if (b.serviceID === undefined && b.contractServiceID === undefined)
      problems.push('Either serviceID or contractServiceID is required.');
    if (problems.length) return fail(500, ...problems);
    const contract = this.contracts.find((c) => c.id === contractId);
    if (!contract) return fail(404, `Contract ${String(contractId)} does not exist.`);
    if (!this.isRecurring(contract)) return fail(500, SANDBOX_ERROR_TEXT.notRecurringService);
    const date = effective!;
    if (date < contract.startDate || date > contract.endDate)
      return fail(500, SANDBOX_ERROR_TEXT.effectiveDateOutsideContract);
    const timelineContract = this.timelineContract(contract);
    const period = timelineContract ? periodContaining(timelineContract, date) : undefined;
    if (period && this.postedThrough && period.end <= this.postedThrough)
      return fail(500, SANDBOX_ERROR_TEXT.periodPosted);

    let line: ContractServiceRow | undefined;
    if (b.contractServiceID !== undefined) {
      line = this.contractServices.find((l) => l.id === b.contractServiceID && l.contractID === contract.id);
      if (!line)
        return fail(
          500,
          `Value ${String(b.contractServiceID)} does not exist for the field contractServiceID.`,
        );
    } else {
      const service = this.services.find((s) => s.id === b.serviceID);
      if (!service) return fail(500, `Value ${String(b.serviceID)} does not exist for the field serviceID.`);
      if (b.allowRepeatService !== true)
        line = this.contractServices.find((l) => l.contractID === contract.id && l.serviceID === service.id);
      if (!line) {
        // no matching line (or a repeat was asked for): Autotask creates one
        line = {
          id: this.nextId++,
          contractID: contract.id,
          serviceID: service.id,
          unitPrice:
            b.adjustedUnitPrice == null ? service.unitPrice : new Decimal(b.adjustedUnitPrice as number),
          unitCost: b.adjustedUnitCost == null ? service.unitCost : new Decimal(b.adjustedUnitCost as number),
          adjustedPrice: null,
          invoiceDescription: null,
          vendorFields: {},
        };
        this.contractServices.push(line);
      }
    }
    const target = line;
    if (this.adjustments.some((a) => a.contractServiceID === target.id && a.effectiveDate === date))
      return fail(500, SANDBOX_ERROR_TEXT.duplicateAdjustment);
    this.adjustments.push({
      id: this.nextId++,
      contractID: contract.id,
      contractServiceID: target.id,
      serviceID: target.serviceID,
      effectiveDate: date,
      unitChange: b.unitChange as number,
      adjustedUnitPrice: b.adjustedUnitPrice == null ? null : new Decimal(b.adjustedUnitPrice as number),
      adjustedUnitCost: b.adjustedUnitCost == null ? null : new Decimal(b.adjustedUnitCost as number),
    });
    // Autotask answers an adjustment with no id, as Autotask does: the client must cope
    return ok({ itemId: null });
  }

  /** A write refused before its rules ran (a body naming unknown fields), logged like the others. */
  refuseWrite(route: string, answer: SandboxAnswer): SandboxAnswer {
    return this.log(route, answer);
  }

  /**
   * PATCH or PUT /Contracts/{id}/Services with `{ id, adjustedPrice?, invoiceDescription? }`:
   * only those two fields change (the REST ContractServices page); any other field may be sent
   * as it is but not changed. PATCH leaves a field not sent as it was, PUT sets it to null.
   */
  updateContractService(pathContractId: number, body: unknown, mode: 'PATCH' | 'PUT'): SandboxAnswer {
    return this.log(
      `${mode} Contracts/Services`,
      this.contractServiceUpdateRules(pathContractId, body, mode),
    );
  }

  private contractServiceUpdateRules(
    pathContractId: number,
    body: unknown,
    mode: 'PATCH' | 'PUT',
  ): SandboxAnswer {
    const b = asRecord(body);
    if (!b) return fail(500, 'The request body must be a ContractService object.');
    const idProblems = requireInteger(b, ['id'], ['id']);
    if (idProblems.length) return fail(500, ...idProblems);
    const contract = this.contracts.find((c) => c.id === pathContractId);
    if (!contract) return fail(404, `Contract ${pathContractId} does not exist.`);
    const line = this.contractServices.find((l) => l.id === b.id && l.contractID === contract.id);
    if (!line)
      return fail(500, `Value ${String(b.id)} does not exist for the field id on Contract ${contract.id}.`);
    const current = this.rows('ContractServices').find((r) => r.id === line.id)!;
    const problems = [
      ...requireNumber(b, ['adjustedPrice'], []),
      ...(b.invoiceDescription == null || typeof b.invoiceDescription === 'string'
        ? []
        : ['Field invoiceDescription must be text.']),
      ...Object.keys(b)
        .filter((k) => !UPDATABLE_CONTRACT_SERVICE_FIELDS.has(k) && !sameWireValue(b[k], current[k]))
        .map((k) => SANDBOX_ERROR_TEXT.contractServiceNotUpdatable(k)),
    ];
    if (problems.length) return fail(500, ...problems);
    if (mode === 'PUT' || b.adjustedPrice !== undefined)
      line.adjustedPrice = b.adjustedPrice == null ? null : new Decimal(b.adjustedPrice as number);
    if (mode === 'PUT' || b.invoiceDescription !== undefined)
      line.invoiceDescription = (b.invoiceDescription as string | null | undefined) ?? null;
    return ok({ itemId: line.id });
  }

  // ---- test controls ----------------------------------------------------------------------

  /** Approve & post every period ending on or before `date` (BillingItems appear). */
  postPeriodsThrough(date: string): void {
    this.postedThrough = date;
    this.postedAt = this.now().toISOString();
    this.changed();
  }

  /** An admin's hand edit (sandboxControls.ts SandboxPatchSchema, already checked). */
  patch(change: SandboxPatch): SandboxPatchProblem | null {
    const notFound = (): SandboxPatchProblem => ({
      status: 404,
      message: `SANDBOX_PATCH_NOT_FOUND: ${change.entity} ${change.id} does not exist — use an id from GET /_sandbox/snapshot`,
    });
    switch (change.entity) {
      case 'Contracts': {
        const contract = this.contracts.find((c) => c.id === change.id);
        if (!contract) return notFound();
        const next = { ...contract, ...change.fields };
        if (next.startDate > next.endDate)
          return {
            status: 400,
            message: `SANDBOX_PATCH_INVALID: Contract ${change.id} would end (${next.endDate}) before it starts (${next.startDate}) — send dates in order`,
          };
        Object.assign(contract, change.fields);
        break;
      }
      case 'Companies': {
        const company = this.companies.find((c) => c.id === change.id);
        if (!company) return notFound();
        Object.assign(company, change.fields);
        break;
      }
      case 'Services': {
        const service = this.services.find((x) => x.id === change.id);
        if (!service) return notFound();
        Object.assign(service, change.fields);
        break;
      }
    }
    this.changed();
    return null;
  }

  snapshot() {
    return {
      postedThrough: this.postedThrough,
      companies: this.rows('Companies'),
      contracts: this.rows('Contracts'),
      services: this.rows('Services'),
      contractServices: this.rows('ContractServices'),
      adjustments: this.adjustments.map((a) => ({
        ...a,
        adjustedUnitPrice: money(a.adjustedUnitPrice),
        adjustedUnitCost: money(a.adjustedUnitCost),
      })),
      contractServiceUnits: this.rows('ContractServiceUnits'),
      billingItems: this.rows('BillingItems'),
      writeLog: [...this.writeLog],
    };
  }
}

/** The fields a filter names (UDF conditions name user-defined fields, which rows carry apart). */
function fieldNames(condition: FilterCondition): string[] {
  if ('items' in condition) return condition.items.flatMap(fieldNames);
  return condition.udf ? [] : [condition.field];
}

/** `id` names the line; these two are what an update may change. */
const UPDATABLE_CONTRACT_SERVICE_FIELDS = new Set(['id', 'adjustedPrice', 'invoiceDescription']);

/** A field sent on an update "as it is": equal to what a read answers (absent reads as null or []). */
function sameWireValue(sent: unknown, stored: unknown): boolean {
  if (stored === undefined) return sent === null || (Array.isArray(sent) && sent.length === 0);
  return JSON.stringify(sent ?? null) === JSON.stringify(stored ?? null);
}

function pick(row: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const wanted = new Set(fields.map((f) => f.toLowerCase()));
  return Object.fromEntries(Object.entries(row).filter(([k]) => wanted.has(k.toLowerCase())));
}

function asRecord(body: unknown): Record<string, unknown> | undefined {
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : undefined;
}

/** A date or date-time in ISO 8601, as the swagger's `date-time` format allows. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Autotask wants literal booleans: "true", 1 or null is refused (the REST docs: true or false). */
function requireBoolean(b: Record<string, unknown>, names: string[]): string[] {
  return names
    .filter((n) => b[n] !== undefined && typeof b[n] !== 'boolean')
    .map((n) => `Field ${n} must be true or false.`);
}

function requireInteger(b: Record<string, unknown>, names: string[], required: string[]): string[] {
  return names.flatMap((n) => {
    if (b[n] === undefined || b[n] === null)
      return required.includes(n) ? [`Required field ${n} is missing.`] : [];
    return Number.isInteger(b[n]) ? [] : [`Field ${n} must be a whole number.`];
  });
}

function requireNumber(b: Record<string, unknown>, names: string[], required: string[]): string[] {
  return names.flatMap((n) => {
    if (b[n] === undefined || b[n] === null)
      return required.includes(n) ? [`Required field ${n} is missing.`] : [];
    return typeof b[n] === 'number' && Number.isFinite(b[n]) ? [] : [`Field ${n} must be a number.`];
  });
}
