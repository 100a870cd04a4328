// Issue #20, must show 1: the sandbox serves every field of the vendor's REST description. The
// expected field list is read from the checked-in, generated description
// (src/sandbox/vendor/autotaskRestDescription.ts), not from the sandbox's own model; every field
// is listed by entityInformation/fields with the vendor's type and flags, can be filtered and
// included, and an unknown field answers with Autotask's own error.
import { SandboxSeedSchema } from '../../../src/sandbox/sandboxSeed.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { AUTOTASK_REST_DESCRIPTION } from '../../../src/sandbox/vendor/autotaskRestDescription.js';
import { rawCall, smallSeed, startTestSandbox } from '../../helpers/autotaskSandbox.js';

/** Fields Autotask serves beyond its 2025-03 swagger (docs/autotask-fidelity.md says why each is kept). */
const EXTENSIONS: Record<string, string[]> = { Services: ['sku'], ContractServices: ['adjustedPrice'] };
/** Fields Autotask accepts on writes but does not answer on reads. */
const WRITE_ONLY: Record<string, string[]> = { ContractServices: ['adjustedPrice'] };

const SINGULAR: Record<string, string> = {
  Companies: 'Company',
  Contracts: 'Contract',
  Services: 'Service',
  ContractServices: 'ContractService',
  ContractServiceUnits: 'ContractServiceUnit',
  BillingItems: 'BillingItem',
};

function seed() {
  const s = smallSeed();
  s.companies[0] = { ...s.companies[0]!, City: 'Leeds', phone: '0113 496 0000' } as never;
  return {
    ...s,
    contractServices: [{ id: 30, contractID: 10, serviceID: 20, unitPrice: '12.50' }],
    adjustments: [{ contractServiceID: 30, effectiveDate: '2026-01-15', unitChange: 5 }],
    postedThrough: '2026-02-14',
  };
}

const ALL = [{ op: 'exist', field: 'id' }];

describe('the sandbox carries the vendor description of every entity it serves', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => (sandbox = await startTestSandbox(SandboxSeedSchema.parse(seed()))));
  afterAll(() => sandbox.stop());

  it.each(AUTOTASK_REST_DESCRIPTION.entities.map((e) => [e.entity, e] as const))(
    '%s: entityInformation/fields lists every described field with its type and flags',
    async (entity, described) => {
      const res = await rawCall(sandbox, 'GET', `${entity}/entityInformation/fields`);
      expect(res.status).toBe(200);
      const served = (res.body as { fields: Record<string, unknown>[] }).fields;
      const byName = new Map(served.map((f) => [f.name as string, f]));
      for (const f of described.fields) {
        expect(byName.get(f.name)).toMatchObject({
          name: f.name,
          dataType: f.dataType,
          isRequired: f.isRequired,
          isReadOnly: f.isReadOnly,
          isReference: f.referenceEntityType !== null,
          referenceEntityType: f.referenceEntityType ?? '',
        });
        // a field the vendor marks as a picklist is one here too (the sandbox may add picklists it binds)
        if (f.isPickList) expect(byName.get(f.name)!.isPickList).toBe(true);
      }
      const extra = served.map((f) => f.name).filter((n) => !described.fields.some((d) => d.name === n));
      expect(extra.sort()).toEqual((EXTENSIONS[entity] ?? []).sort());
      expect(described.fields.length).toBeGreaterThan(8);
    },
  );

  const queryable = AUTOTASK_REST_DESCRIPTION.entities.filter(
    (e) => e.entity !== 'ContractServiceAdjustments',
  );

  it.each(queryable.map((e) => [e.entity, e] as const))(
    '%s: rows carry every described field, each can be filtered and included on its own',
    async (entity, described) => {
      const all = await rawCall(sandbox, 'POST', `${entity}/query`, { filter: ALL });
      expect(all.status).toBe(200);
      const rows = (all.body as { items: Record<string, unknown>[] }).items;
      expect(rows.length).toBeGreaterThan(0);
      const readable = described.fields
        .map((f) => f.name)
        .filter((n) => !(WRITE_ONLY[entity] ?? []).includes(n));
      for (const row of rows) {
        for (const name of readable) expect(row).toHaveProperty(name);
        expect(row.userDefinedFields).toEqual([]);
      }
      for (const f of described.fields) {
        // the filter names the field in upper case: Autotask's field names are not case-sensitive
        const filtered = await rawCall(sandbox, 'POST', `${entity}/query/count`, {
          filter: [
            {
              op: 'or',
              items: [
                { op: 'exist', field: f.name.toUpperCase() },
                { op: 'notExist', field: f.name },
              ],
            },
          ],
        });
        expect([f.name, filtered.status, filtered.body]).toEqual([f.name, 200, { queryCount: rows.length }]);
        const included = await rawCall(sandbox, 'POST', `${entity}/query`, {
          filter: ALL,
          IncludeFields: [f.name],
        });
        expect(included.status).toBe(200);
        const first = (included.body as { items: Record<string, unknown>[] }).items[0]!;
        const expectedKeys = [
          'id',
          'userDefinedFields',
          ...((WRITE_ONLY[entity] ?? []).includes(f.name) ? [] : [f.name]),
        ];
        expect(Object.keys(first).sort()).toEqual([...new Set(expectedKeys)].sort());
      }
    },
  );

  it('filters on a documented field the bot never uses (Company city), seeded in the vendor spelling', async () => {
    const res = await rawCall(sandbox, 'POST', 'Companies/query', {
      filter: [{ op: 'eq', field: 'city', value: 'leeds' }],
      IncludeFields: ['companyName', 'city', 'phone'],
    });
    expect(res.status).toBe(200);
    expect((res.body as { items: unknown[] }).items).toEqual([
      {
        id: 1,
        companyName: 'Acme Corporation, Inc.',
        city: 'Leeds',
        phone: '0113 496 0000',
        userDefinedFields: [],
      },
    ]);
  });

  it.each(queryable.map((e) => [e.entity] as const))(
    '%s: an unknown field in a filter or in IncludeFields answers Autotask’s "Unable to find" error, even with no rows to read',
    async (entity) => {
      const message = `Unable to find noSuchField in the ${SINGULAR[entity]} Entity.`;
      const filter = await rawCall(sandbox, 'POST', `${entity}/query`, {
        filter: [
          {
            op: 'and',
            items: [
              { op: 'eq', field: 'id', value: -1 },
              { op: 'eq', field: 'noSuchField', value: 1 },
            ],
          },
        ],
      });
      expect([filter.status, filter.body]).toEqual([500, { errors: [message] }]);
      const count = await rawCall(sandbox, 'POST', `${entity}/query/count`, {
        filter: [{ op: 'exist', field: 'noSuchField' }],
      });
      expect([count.status, count.body]).toEqual([500, { errors: [message] }]);
      const include = await rawCall(sandbox, 'POST', `${entity}/query`, {
        filter: ALL,
        IncludeFields: ['noSuchField'],
      });
      expect([include.status, include.body]).toEqual([500, { errors: [message] }]);
    },
  );

  it('refuses a seed that sets a field the entity does not have, naming it', () => {
    const bad = smallSeed();
    bad.companies[0] = { ...bad.companies[0]!, colour: 'blue' } as never;
    const parsed = SandboxSeedSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      [
        'companies.0.colour',
        'Companies has no field "colour" in Autotask\'s description (GET /Companies/entityInformation/fields lists them)',
      ],
    ]);
  });
});
