// Issue [9/10], must show 3: a restart of the demo keeps every row (the partner's history, the
// mappings and runs made in the playground, the audit log) and imports the demo partner again
// not at all — counted in the embedded database, before and after, with real `npm start`s.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../src/db/embeddedPostgres.js';
import { killStartedGroups, startNpm, waitFor, type RunningProcess } from '../helpers/cliProcess.js';

const TABLES = [
  'customers',
  'subscriptions',
  'subscription_events',
  'chat_role_grants',
  'mapping_customer_company',
  'sync_runs',
  'audit_log',
  'settings',
];

describe('restarting the demo', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autotask-bot-restart-'));
    fs.chmodSync(dataDir, 0o755);
  });
  afterAll(() => {
    killStartedGroups();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(port: number): Promise<RunningProcess> {
    const bot = startNpm({ DATA_DIR: dataDir, PORT: String(port) });
    await waitFor(
      async () => ((await fetch(`http://127.0.0.1:${port}/playground/api/session`)).ok ? true : undefined),
      60_000,
      'the playground',
    );
    return bot;
  }

  async function counts(): Promise<Record<string, number>> {
    const pgPort = Number(
      fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3],
    );
    const client = new pg.Client({
      host: '127.0.0.1',
      port: pgPort,
      user: 'postgres',
      password: 'autotask-bot-embedded',
      database: 'autotask_bot',
    });
    await client.connect();
    try {
      const out: Record<string, number> = {};
      for (const table of TABLES)
        out[table] = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
      const imports = await client.query(
        `SELECT count(*) AS n FROM audit_log WHERE actor_id = 'system:demo' AND action <> 'settings.changed'`,
      );
      out['demo audit records'] = Number(imports.rows[0].n);
      return out;
    } finally {
      await client.end();
    }
  }

  const command = (port: number, as: string, text: string) =>
    fetch(`http://127.0.0.1:${port}/playground/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as, text }),
    }).then((r) => r.json() as Promise<{ denied: boolean; cards: { model: { kind: string }[] } }>);

  it('keeps all data and does not import the demo partner twice', async () => {
    const port = await freePort();
    const first = await start(port);
    expect(first.output()).toContain('generated demo partner, 32 customers (imported now)');
    // leave traces of use: a mapping and a validated run
    expect((await command(port, 'cli:alice', 'map wingtip')).cards.model[0]!.kind).toBe('mapping');
    expect((await command(port, 'cli:alice', 'validate wingtip')).cards.model[0]!.kind).toBe('validation');
    const before = await counts();
    expect(before).toMatchObject({ customers: 32, chat_role_grants: 4, sync_runs: 1 });
    expect(before.subscription_events).toBeGreaterThan(100);

    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const second = await start(port);
    expect(second.output()).toContain('generated demo partner, 32 customers (kept from before)');
    const after = await counts();
    console.log(`rows before and after the restart: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    expect(after).toEqual(before);
    // and the data still works: the mapping made before the restart is there
    const mapping = await command(port, 'cli:alice', 'map wingtip');
    expect(JSON.stringify(mapping)).toContain('Wingtip Toys (127)');
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 120_000);
});
