// `autotask-bot auto-approve`: off by default, set on with a limit and off again, audited; bad
// arguments get the usage line.
import { listAudit } from '../../../src/audit/auditLog.js';
import { runCli } from '../../../src/cli/main.js';
import { readAutoApprovePolicy } from '../../../src/jobs/autoApprovePolicy.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(
    argv,
    { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) },
    { DATABASE_URL: db.url, LOG_LEVEL: 'silent', PATH: process.env.PATH },
  );
  return { code, out, err };
}

describe('autotask-bot auto-approve', () => {
  it('is off by default, turns on with a limit and off again, audited', async () => {
    expect(await cli('auto-approve')).toMatchObject({ code: 0, out: expect.stringMatching(/OFF/) });
    expect(await cli('auto-approve', 'on', '5', '--as', 'alice')).toMatchObject({
      code: 0,
      out: expect.stringMatching(/ON.*at most 5 per customer/),
    });
    expect(await readAutoApprovePolicy(db.prisma)).toEqual({
      enabled: true,
      increasesOnly: true,
      maxUnitsPerCustomer: 5,
    });
    expect(await cli('auto-approve', 'off', '--as', 'alice')).toMatchObject({
      code: 0,
      out: expect.stringMatching(/OFF/),
    });
    const changes = await listAudit(db.prisma, { action: 'settings.changed' });
    expect(changes.map((c) => c.actorId)).toEqual(['cli:alice', 'cli:alice']);
  });

  it.each(
    [['on'], ['on', 'lots'], ['maybe'], ['on', '5', 'extra'], ['on', '99999']].map((a) => [a.join(' '), a]),
  )('answers "auto-approve %s" with the usage line and exit 2', async (_label, args) => {
    const result = await cli('auto-approve', ...(args as string[]));
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/auto-approve \[on <max units per customer> \| off\]/);
    expect(result.err).not.toMatch(/\bat \w+ \(/);
  });
});
