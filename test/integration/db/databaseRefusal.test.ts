// The database's refusals are read from their error fields: the SQLSTATE (the project's own for
// its triggers) and the constraint where PostgreSQL names it — through Prisma's driver adapter
// and through the plain pg driver alike.
import pg from 'pg';
import { databaseRefusal, SQLSTATE } from '../../../src/db/databaseRefusal.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let db: TestDatabase;
const sql = (text: string) => db.prisma.$executeRawUnsafe(text);
const refusalOf = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (error) {
    return databaseRefusal(error);
  }
  throw new Error('the database accepted it');
};
const mapCompany = (customer: string, company: number) =>
  sql(`INSERT INTO mapping_customer_company (customer_id, company_id, company_name, source, decided_by)
       VALUES ('${customer}', ${company}, 'X', 'manual', 'cli:t')`);

beforeAll(async () => {
  db = await createTestDatabase();
  await sql(
    `INSERT INTO customers (id, name, updated_at) VALUES ('c1', 'Acme', now()), ('c2', 'Contoso', now())`,
  );
  await mapCompany('c1', 101);
});
afterAll(() => db.drop());

describe('databaseRefusal', () => {
  it('names the unique index a write collided with', async () => {
    expect(await refusalOf(mapCompany('c2', 101))).toEqual({
      sqlState: SQLSTATE.uniqueViolation,
      constraint: 'mapping_customer_company_company_id_key',
    });
  });

  it('names the foreign key a write broke', async () => {
    expect(await refusalOf(mapCompany('nobody', 102))).toEqual({
      sqlState: SQLSTATE.foreignKeyViolation,
      constraint: 'mapping_customer_company_customer_fkey',
    });
  });

  it('reads a check violation by its SQLSTATE', async () => {
    const refused = await refusalOf(
      sql(`INSERT INTO mapping_customer_contract (id, customer_id, billing_cycle, company_id, contract_id, contract_name, contract_period, is_default, source, decided_by)
           VALUES ('k1', 'c1', 'monthly', 101, 9001, 'X', 'yearly', false, 'manual', 'cli:t')`),
    );
    expect(refused?.sqlState).toBe(SQLSTATE.checkViolation);
  });

  it("reads the upload lock's and four eyes' own SQLSTATEs", async () => {
    await sql(`UPDATE mapping_customer_company SET first_uploaded_at = now() WHERE customer_id = 'c1'`);
    expect(
      (await refusalOf(sql(`DELETE FROM mapping_customer_company WHERE customer_id = 'c1'`)))?.sqlState,
    ).toBe(SQLSTATE.mappingLockedByUpload);
    await sql(`INSERT INTO sync_runs (id, scope, state, plan_hash, created_by, requested_by, updated_at)
               VALUES ('r1', 'c1', 'upload_requested', 'h', 'slack:T1:U1', 'slack:T1:U1', now())`);
    const selfApproval = sql(
      `UPDATE sync_runs SET state = 'approved', decided_by = 'slack:T1:U1' WHERE id = 'r1'`,
    );
    expect((await refusalOf(selfApproval))?.sqlState).toBe(SQLSTATE.fourEyes);
  });

  it('reads the plain pg driver the same way', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const refused = await refusalOf(
        client.query(`INSERT INTO mapping_customer_company (customer_id, company_id, company_name, source, decided_by)
                      VALUES ('c2', 101, 'X', 'manual', 'cli:t')`),
      );
      expect(refused).toEqual({
        sqlState: SQLSTATE.uniqueViolation,
        constraint: 'mapping_customer_company_company_id_key',
      });
    } finally {
      await client.end();
    }
  });

  it('is undefined for an error that is not the database refusing', () => {
    expect(databaseRefusal(new Error('MAPPING_LOCKED_BY_UPLOAD: looks like one'))).toBeUndefined();
    expect(databaseRefusal({ code: 'ECONNRESET' })).toBeUndefined();
    expect(databaseRefusal('FOUR_EYES: text')).toBeUndefined();
  });
});
