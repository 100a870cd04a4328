import { ContractSchema, ContractServiceUnitSchema, ServiceSchema } from '../../../src/autotask/entities.js';

describe('Autotask entity schemas', () => {
  it('turns date-only fields into YYYY-MM-DD and money into decimals, keeping unknown fields', () => {
    const contract = ContractSchema.parse({
      id: 12,
      companyID: 3,
      contractName: 'Acme monthly',
      contractType: 7,
      contractPeriodType: 2,
      status: 1,
      startDate: '2026-01-15T00:00:00Z',
      endDate: '2026-12-31T00:00:00.000Z',
      userDefinedFields: [],
    });
    expect(contract.startDate).toBe('2026-01-15');
    expect(contract.endDate).toBe('2026-12-31');
    expect((contract as Record<string, unknown>).userDefinedFields).toEqual([]);
    const unit = ContractServiceUnitSchema.parse({
      id: 1,
      contractID: 12,
      contractServiceID: 5,
      serviceID: 9,
      startDate: '2026-01-15',
      endDate: '2026-02-14',
      units: 10,
      price: 120.1,
      cost: null,
    });
    expect(unit.price?.toFixed(2)).toBe('120.10');
    expect(unit.cost).toBeNull();
  });

  it('reports missing required fields by path', () => {
    const result = ServiceSchema.safeParse({ id: 1, isActive: true });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain('name');
  });
});
