import { listAudit, recordAudit } from '../../../src/audit/auditLog.js';
import { readSetting, writeSetting } from '../../../src/settings/settingsStore.js';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('audit log', () => {
  it('stores records and lists them newest first', async () => {
    await recordAudit(db.prisma, { actor: { id: 'cli:alice', name: 'Alice' }, action: 'test.first' });
    await recordAudit(db.prisma, {
      actor: { id: 'slack:T1:U1' },
      action: 'test.second',
      customerId: 'c1',
      details: { n: 1 },
    });
    const records = await listAudit(db.prisma);
    expect(records.map((r) => r.action).slice(0, 2)).toEqual(['test.second', 'test.first']);
    expect(await listAudit(db.prisma, { customerId: 'c1' })).toHaveLength(1);
  });

  it('is refused UPDATE, DELETE and TRUNCATE by the database itself', async () => {
    await recordAudit(db.prisma, { actor: { id: 'cli:alice' }, action: 'test.immutable' });
    await expect(db.prisma.$executeRawUnsafe(`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow(
      /AUDIT_APPEND_ONLY.*UPDATE/,
    );
    await expect(db.prisma.$executeRawUnsafe(`DELETE FROM audit_log`)).rejects.toThrow(
      /AUDIT_APPEND_ONLY.*DELETE/,
    );
    await expect(db.prisma.$executeRawUnsafe(`TRUNCATE audit_log`)).rejects.toThrow(
      /AUDIT_APPEND_ONLY.*TRUNCATE/,
    );
    await expect(db.prisma.auditRecord.deleteMany({})).rejects.toThrow(/AUDIT_APPEND_ONLY/);
    const actions = (await listAudit(db.prisma, { limit: 1000 })).map((r) => r.action);
    expect(actions).toContain('test.immutable');
    expect(actions).not.toContain('forged');
  });

  it('drops secret-named keys from details at any depth', async () => {
    await recordAudit(db.prisma, {
      actor: { id: 'cli:alice' },
      action: 'test.secrets',
      details: {
        username: 'api@x.com',
        secret: 'shh-1',
        nested: { apiKey: 'shh-2', list: [{ password: 'shh-3', ok: 1 }] },
      },
    });
    const [record] = await listAudit(db.prisma, { action: 'test.secrets' });
    const text = JSON.stringify(record);
    expect(text).not.toMatch(/shh-/);
    expect(record!.details).toEqual({ username: 'api@x.com', nested: { list: [{ ok: 1 }] } });
  });
});

describe('settings', () => {
  it('writes a setting and its audit record together', async () => {
    const schema = z.enum(['auto', 'manual']);
    expect(await readSetting(db.prisma, 'mapping.mode', schema, 'auto')).toBe('auto');
    await writeSetting(db.prisma, 'mapping.mode', schema, 'manual', { id: 'cli:admin' });
    expect(await readSetting(db.prisma, 'mapping.mode', schema, 'auto')).toBe('manual');
    const [audit] = await listAudit(db.prisma, { action: 'settings.changed' });
    expect(audit).toMatchObject({
      actorId: 'cli:admin',
      details: { key: 'mapping.mode', before: null, after: 'manual' },
    });
  });

  it('refuses a value that does not fit the schema and writes nothing', async () => {
    const schema = z.number().int();
    await expect(writeSetting(db.prisma, 'n', schema, 1.5 as number, { id: 'cli:admin' })).rejects.toThrow();
    expect(await db.prisma.setting.findUnique({ where: { key: 'n' } })).toBeNull();
  });
});
