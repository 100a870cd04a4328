// A stand-in for one Autotask database behind the sync engine's AutotaskGateway port, for the
// executor tests until the built-in sandbox (part-autotask) is merged. It keeps Autotask's rules
// that matter for exactly-once — effective date inside the contract, one adjustment per line and
// date, a service once per contract, repeat lines by allowRepeatService — and records every
// write so tests can prove nothing was sent twice. Faults: refused before processing, lost
// before processing (outcome unknown), and committed then dropped (outcome unknown).
import type {
  AdjustmentRequest,
  AutotaskGateway,
  GatewayLine,
  GatewayResult,
  GatewayUnitsRow,
} from '../../src/sync/autotaskGateway.js';

export interface FakeContract {
  id: number;
  startDate: string;
  endDate: string;
}

export type FakeFault = 'not_sent' | 'lost' | 'commit_then_drop';

interface Line extends GatewayLine {
  unitPrice: string;
  adjustments: { effectiveDate: string; unitChange: number }[];
}

export class InMemoryAutotask implements AutotaskGateway {
  readonly contracts = new Map<number, FakeContract>();
  readonly lines: Line[] = [];
  readonly writes: { kind: 'line' | 'adjustment'; request: unknown; committed: boolean }[] = [];
  calls = 0;
  private nextId = 9000;
  private faultRate = 0;
  private faultKinds: FakeFault[] = [];
  private random = mulberry32(42);

  constructor(contracts: FakeContract[]) {
    for (const c of contracts) this.contracts.set(c.id, c);
  }

  setFaults(rate: number, kinds: FakeFault[], seed = 42): void {
    this.faultRate = rate;
    this.faultKinds = kinds;
    this.random = mulberry32(seed);
  }

  /** Someone editing a line by hand in Autotask. */
  handAdjust(contractServiceId: number, effectiveDate: string, unitChange: number): void {
    this.lines
      .find((l) => l.contractServiceId === contractServiceId)!
      .adjustments.push({ effectiveDate, unitChange });
  }

  /** Units in force per line on a date: `{ contractServiceId: units }`. */
  unitsOn(date: string): Record<number, number> {
    return Object.fromEntries(this.lines.map((l) => [l.contractServiceId, unitsAt(l, date)]));
  }

  /** Every line's change points as `date units` steps, for golden comparisons. */
  timeline(): { contractId: number; serviceId: number; unitPrice: string; steps: string[] }[] {
    return this.lines.map((l) => ({
      contractId: l.contractId,
      serviceId: l.serviceId,
      unitPrice: l.unitPrice,
      steps: [...new Set(l.adjustments.map((a) => a.effectiveDate))]
        .sort()
        .map((d) => `${d} ${unitsAt(l, d)}`),
    }));
  }

  private fault(): FakeFault | null {
    if (this.faultRate === 0 || this.random() >= this.faultRate) return null;
    return this.faultKinds[Math.floor(this.random() * this.faultKinds.length)] ?? null;
  }

  async contractServices(contractIds: readonly number[]): Promise<GatewayResult<GatewayLine[]>> {
    this.calls += 1;
    const f = this.fault();
    if (f) return { ok: false, code: 'NOT_SENT', message: 'thread threshold of 3 threads has been exceeded' };
    return {
      ok: true,
      value: this.lines
        .filter((l) => contractIds.includes(l.contractId))
        .map(({ contractServiceId, contractId, serviceId }) => ({
          contractServiceId,
          contractId,
          serviceId,
        })),
    };
  }

  async contractServiceUnits(contractIds: readonly number[]): Promise<GatewayResult<GatewayUnitsRow[]>> {
    this.calls += 1;
    const f = this.fault();
    if (f) return { ok: false, code: 'NOT_SENT', message: '429 Too Many Requests' };
    const rows: GatewayUnitsRow[] = [];
    for (const line of this.lines.filter((l) => contractIds.includes(l.contractId))) {
      const contract = this.contracts.get(line.contractId)!;
      const dates = [...new Set(line.adjustments.map((a) => a.effectiveDate))].sort();
      dates.forEach((date, i) => {
        const next = dates[i + 1];
        rows.push({
          contractServiceId: line.contractServiceId,
          contractId: line.contractId,
          serviceId: line.serviceId,
          startDate: date,
          endDate: next ? dayBefore(next) : contract.endDate,
          units: unitsAt(line, date),
        });
      });
    }
    return { ok: true, value: rows };
  }

  async createContractService(request: {
    contractId: number;
    serviceId: number;
    unitPrice: string;
  }): Promise<GatewayResult<{ contractServiceId: number }>> {
    this.calls += 1;
    const f = this.fault();
    if (f === 'not_sent') return { ok: false, code: 'NOT_SENT', message: '429 Too Many Requests' };
    if (f === 'lost') return { ok: false, code: 'OUTCOME_UNKNOWN', message: 'timeout' };
    if (this.lines.some((l) => l.contractId === request.contractId && l.serviceId === request.serviceId)) {
      this.writes.push({ kind: 'line', request, committed: false });
      return { ok: false, code: 'BUSINESS_RULE', message: 'the service is already on the contract' };
    }
    const line: Line = { ...request, contractServiceId: this.nextId++, adjustments: [] };
    this.lines.push(line);
    this.writes.push({ kind: 'line', request, committed: true });
    if (f === 'commit_then_drop') return { ok: false, code: 'OUTCOME_UNKNOWN', message: 'socket hang up' };
    return { ok: true, value: { contractServiceId: line.contractServiceId } };
  }

  async createAdjustment(request: AdjustmentRequest): Promise<GatewayResult<{ itemId: number | null }>> {
    this.calls += 1;
    const f = this.fault();
    if (f === 'not_sent')
      return { ok: false, code: 'NOT_SENT', message: 'thread threshold of 3 threads has been exceeded' };
    if (f === 'lost') return { ok: false, code: 'OUTCOME_UNKNOWN', message: 'timeout' };
    const contract = this.contracts.get(request.contractId)!;
    const refuse = (message: string) => {
      this.writes.push({ kind: 'adjustment', request, committed: false });
      return { ok: false as const, code: 'BUSINESS_RULE' as const, message };
    };
    if (request.effectiveDate < contract.startDate || request.effectiveDate > contract.endDate)
      return refuse(
        'ContractServiceAdjustment effectiveDate must be between the start date and end date of the Contract referenced by contractID.',
      );
    let line: Line | undefined;
    if (request.contractServiceId !== undefined) {
      line = this.lines.find((l) => l.contractServiceId === request.contractServiceId);
      if (!line) return refuse('contractServiceID does not exist');
    } else {
      line = {
        contractServiceId: this.nextId++,
        contractId: request.contractId,
        serviceId: request.serviceId!,
        unitPrice: request.adjustedUnitPrice ?? '0',
        adjustments: [],
      };
      this.lines.push(line);
    }
    if (line.adjustments.some((a) => a.effectiveDate === request.effectiveDate))
      return refuse('Attempt to insert duplicate data into contract_service_period');
    line.adjustments.push({ effectiveDate: request.effectiveDate, unitChange: request.unitChange });
    this.writes.push({ kind: 'adjustment', request, committed: true });
    if (f === 'commit_then_drop') return { ok: false, code: 'OUTCOME_UNKNOWN', message: 'socket hang up' };
    return { ok: true, value: { itemId: null } };
  }
}

function unitsAt(line: Line, date: string): number {
  return line.adjustments.filter((a) => a.effectiveDate <= date).reduce((s, a) => s + a.unitChange, 0);
}

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
