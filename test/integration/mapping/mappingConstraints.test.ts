// "Must show" 3: each mapping restriction is refused by the database itself. These tests bypass
// the use cases and write SQL directly.
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let db: TestDatabase;
const sql = (text: string) => db.prisma.$executeRawUnsafe(text);

beforeAll(async () => {
  db = await createTestDatabase();
  await sql(
    `INSERT INTO customers (id, name, updated_at) VALUES ('c1', 'Acme', now()), ('c2', 'Contoso', now())`,
  );
  await sql(
    `INSERT INTO mapping_customer_company (customer_id, company_id, company_name, source, decided_by)
     VALUES ('c1', 101, 'Acme Corp', 'manual', 'cli:t'), ('c2', 102, 'Contoso', 'manual', 'cli:t')`,
  );
  await sql(
    `INSERT INTO mapping_customer_contract (id, customer_id, billing_cycle, company_id, contract_id, contract_name, contract_period, is_default, source, decided_by)
     VALUES ('k1', 'c1', 'monthly', 101, 9001, 'Acme monthly', 'monthly', true, 'manual', 'cli:t'),
            ('k2', 'c1', 'monthly', 101, 9002, 'Acme monthly 2', 'monthly', false, 'manual', 'cli:t'),
            ('k3', 'c1', 'annual', 101, 9003, 'Acme yearly', 'yearly', true, 'manual', 'cli:t')`,
  );
});
afterAll(() => db.drop());

describe('one customer ↔ one company', () => {
  it('refuses a second company for a customer', async () => {
    await expect(
      sql(`INSERT INTO mapping_customer_company (customer_id, company_id, company_name, source, decided_by)
           VALUES ('c1', 103, 'Acme Holdings', 'manual', 'cli:t')`),
    ).rejects.toThrow(/mapping_customer_company_pkey/);
  });

  it('refuses a company for a second customer', async () => {
    await expect(
      sql(`UPDATE mapping_customer_company SET company_id = 101 WHERE customer_id = 'c2'`),
    ).rejects.toThrow(/mapping_customer_company_company_id_key/);
  });

  it('refuses a mapping for a customer that does not exist', async () => {
    await expect(
      sql(`INSERT INTO mapping_customer_company (customer_id, company_id, company_name, source, decided_by)
           VALUES ('nobody', 104, 'X', 'manual', 'cli:t')`),
    ).rejects.toThrow(/mapping_customer_company_customer_fkey/);
  });
});

describe('contracts', () => {
  const insert = (values: string) =>
    sql(`INSERT INTO mapping_customer_contract (id, customer_id, billing_cycle, company_id, contract_id, contract_name, contract_period, is_default, source, decided_by)
         VALUES ${values}`);

  it('refuses a second default for a customer and cycle', async () => {
    await expect(
      sql(`UPDATE mapping_customer_contract SET is_default = true WHERE id = 'k2'`),
    ).rejects.toThrow(/mapping_customer_contract_one_default/);
  });

  it('refuses quarterly/semi-annual periods and a period that does not fit the cycle', async () => {
    for (const [cycle, period] of [
      ['monthly', 'quarterly'],
      ['monthly', 'semi-annual'],
      ['monthly', 'yearly'],
      ['annual', 'monthly'],
      ['quarterly', 'quarterly'],
    ])
      await expect(
        insert(`('kx', 'c1', '${cycle}', 101, 9100, 'X', '${period}', false, 'manual', 'cli:t')`),
      ).rejects.toThrow(/mapping_customer_contract_period_check/);
  });

  it('refuses a contract of another company than the customer is mapped to', async () => {
    await expect(
      insert(`('kx', 'c1', 'monthly', 102, 9101, 'X', 'monthly', false, 'manual', 'cli:t')`),
    ).rejects.toThrow(/mapping_customer_contract_company_fkey/);
  });

  it('refuses one contract for two customers or two cycles', async () => {
    await expect(
      insert(`('kx', 'c2', 'monthly', 102, 9001, 'X', 'monthly', false, 'manual', 'cli:t')`),
    ).rejects.toThrow(/mapping_customer_contract_contract_id_key/);
    await expect(
      insert(`('kx', 'c1', 'annual', 101, 9001, 'X', 'yearly', false, 'manual', 'cli:t')`),
    ).rejects.toThrow(/mapping_customer_contract_contract_id_key/);
  });
});

describe('one product → one contract', () => {
  const override = (values: string) =>
    sql(`INSERT INTO mapping_customer_product (id, customer_id, product_name, product_sku, billing_cycle, service_id, service_name, contract_id, source, decided_by)
         VALUES ${values}`);

  it('refuses two overrides of one product and cycle for a customer', async () => {
    await override(`('p1', 'c1', 'M365 E3', 'SKU3', 'monthly', 501, 'E3', 9001, 'manual', 'cli:t')`);
    await expect(
      override(`('p2', 'c1', 'M365 E3', 'SKU3', 'monthly', 501, 'E3', 9002, 'manual', 'cli:t')`),
    ).rejects.toThrow(/mapping_customer_product_customer_id_product_name_product_s_key/);
  });

  it('refuses a pin without a concrete cycle', async () => {
    await expect(
      override(`('p3', 'c1', 'M365 E5', '', 'any', 502, 'E5', 9001, 'manual', 'cli:t')`),
    ).rejects.toThrow(/mapping_customer_product_pin_cycle_check/);
  });

  it('refuses a pin to a contract not mapped for that customer and cycle', async () => {
    // 9003 is the customer's yearly contract: monthly subscriptions cannot be pinned to it
    await expect(
      override(`('p4', 'c1', 'M365 E5', '', 'monthly', 502, 'E5', 9003, 'manual', 'cli:t')`),
    ).rejects.toThrow(/mapping_customer_product_pin_fkey/);
    await expect(
      override(`('p5', 'c2', 'M365 E5', '', 'monthly', 502, 'E5', 9001, 'manual', 'cli:t')`),
    ).rejects.toThrow(/mapping_customer_product_pin_fkey/);
  });

  it('refuses two global rules for one product and cycle', async () => {
    const rule = (id: string, service: number) =>
      sql(`INSERT INTO mapping_product_service (id, product_name, product_sku, billing_cycle, service_id, service_name, source, decided_by)
           VALUES ('${id}', 'Visio Plan 2', '', 'any', ${service}, 'Visio', 'manual', 'cli:t')`);
    await rule('r1', 601);
    await expect(rule('r2', 602)).rejects.toThrow(
      /mapping_product_service_product_name_product_sku_billing_cy_key/,
    );
  });
});

describe('a mapping with uploads is locked', () => {
  const ruleR1 = () =>
    db.prisma.$queryRawUnsafe(
      `SELECT service_id, service_name, decided_by, first_uploaded_at IS NOT NULL AS uploaded
       FROM mapping_product_service WHERE id = 'r1'`,
    );
  beforeAll(async () => {
    await sql(`UPDATE mapping_customer_company SET first_uploaded_at = now() WHERE customer_id = 'c2'`);
    await sql(`UPDATE mapping_customer_contract SET first_uploaded_at = now() WHERE id = 'k1'`);
    await sql(`UPDATE mapping_customer_product SET first_uploaded_at = now() WHERE id = 'p1'`);
    await sql(`UPDATE mapping_product_service SET first_uploaded_at = now() WHERE id = 'r1'`);
  });

  it.each([
    ['the company', `UPDATE mapping_customer_company SET company_id = 999 WHERE customer_id = 'c2'`],
    ['the company (delete)', `DELETE FROM mapping_customer_company WHERE customer_id = 'c2'`],
    ['the default contract', `UPDATE mapping_customer_contract SET is_default = false WHERE id = 'k1'`],
    ['the contract (delete)', `DELETE FROM mapping_customer_contract WHERE id = 'k1'`],
    ['an override', `UPDATE mapping_customer_product SET service_id = 777 WHERE id = 'p1'`],
    ['an override pin', `UPDATE mapping_customer_product SET contract_id = 9002 WHERE id = 'p1'`],
    ['a global rule', `UPDATE mapping_product_service SET service_id = 777 WHERE id = 'r1'`],
    ['the upload mark itself', `UPDATE mapping_product_service SET first_uploaded_at = NULL WHERE id = 'r1'`],
  ])('refuses changing %s', async (_what, statement) => {
    await expect(sql(statement)).rejects.toThrow(/MAPPING_LOCKED_BY_UPLOAD/);
  });

  it('lets bookkeeping columns change (a renamed service, who decided)', async () => {
    await sql(
      `UPDATE mapping_product_service SET service_name = 'Visio (renamed)', decided_by = 'cli:u' WHERE id = 'r1'`,
    );
    await expect(ruleR1()).resolves.toEqual([
      { service_id: 601, service_name: 'Visio (renamed)', decided_by: 'cli:u', uploaded: true },
    ]);
  });

  it('lets a forced change through only inside the transaction that set the reason', async () => {
    await db.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT set_config('autotask_bot.mapping_force_reason', 'wrong product', true)`;
      await tx.$executeRawUnsafe(
        `UPDATE mapping_product_service SET service_id = 603, first_uploaded_at = NULL WHERE id = 'r1'`,
      );
    });
    await expect(ruleR1()).resolves.toEqual([
      { service_id: 603, service_name: 'Visio (renamed)', decided_by: 'cli:u', uploaded: false },
    ]);
    await sql(`UPDATE mapping_product_service SET first_uploaded_at = now() WHERE id = 'r1'`);
    await expect(sql(`UPDATE mapping_product_service SET service_id = 604 WHERE id = 'r1'`)).rejects.toThrow(
      /MAPPING_LOCKED_BY_UPLOAD/,
    );
  });
});

describe('suggestions', () => {
  const suggestion = (values: string) =>
    sql(`INSERT INTO mapping_suggestions (id, kind, customer_id, product_name, product_sku, candidate_id, candidate_name, confidence, reason, status, created_by, decided_by, decided_at)
         VALUES ${values}`);

  it('refuses unknown status, confidence outside 0..1 and a decision without who and when', async () => {
    await expect(
      suggestion(
        `('s1', 'company', 'c1', NULL, NULL, 1, 'X', 0.5, 'similar', 'maybe', 'cli:t', 'cli:t', now())`,
      ),
    ).rejects.toThrow(/mapping_suggestions_status_check/);
    await expect(
      suggestion(
        `('s1', 'company', 'c1', NULL, NULL, 1, 'X', 1.5, 'similar', 'pending', 'cli:t', NULL, NULL)`,
      ),
    ).rejects.toThrow(/mapping_suggestions_confidence_check/);
    await expect(
      suggestion(
        `('s1', 'company', 'c1', NULL, NULL, 1, 'X', 0.5, 'similar', 'confirmed', 'cli:t', NULL, NULL)`,
      ),
    ).rejects.toThrow(/mapping_suggestions_decision_check/);
  });

  it('refuses the same pending candidate twice', async () => {
    await suggestion(
      `('s2', 'company', 'c1', NULL, NULL, 7, 'X', 0.7, 'similar', 'pending', 'cli:t', NULL, NULL)`,
    );
    await expect(
      suggestion(
        `('s3', 'company', 'c1', NULL, NULL, 7, 'X', 0.7, 'similar', 'pending', 'cli:t', NULL, NULL)`,
      ),
    ).rejects.toThrow(/mapping_suggestions_one_pending/);
  });
});
