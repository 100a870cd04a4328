// Issue [9/10], must show 3: a restart of the demo keeps every row (the partner's history, the
// mappings and runs made in the playground, the audit log) and imports the demo partner again
// not at all — counted in the embedded database, before and after, with real `npm start`s.
// Issue #10: the in-process Autotask sandbox keeps its data too (DATA_DIR/autotask-sandbox.json),
// so an upload made before the restart is still in Autotask after it: validating that customer
// again finds no DRIFT and nothing to upload.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../src/db/embeddedPostgres.js';
import { killStartedGroups, startNpm, waitFor, type RunningProcess } from '../helpers/cliProcess.js';
import { readEmbeddedCredentials } from '../../src/db/embeddedCredentials.js';

const TABLES = [
  'customers',
  'subscriptions',
  'subscription_events',
  'chat_role_grants',
  'mapping_customer_company',
  'sync_runs',
  'audit_log',
  'settings',
  'source_pulls',
  'customer_source_links',
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
      user: readEmbeddedCredentials(dataDir)!.superuser.role,
      password: readEmbeddedCredentials(dataDir)!.superuser.password,
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
    }).then(
      (r) => r.json() as Promise<{ denied: boolean; cards: { model: { kind: string; summary: string }[] } }>,
    );

  async function runState(runId: string): Promise<string> {
    const pgPort = Number(
      fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3],
    );
    const client = new pg.Client({
      host: '127.0.0.1',
      port: pgPort,
      user: readEmbeddedCredentials(dataDir)!.superuser.role,
      password: readEmbeddedCredentials(dataDir)!.superuser.password,
      database: 'autotask_bot',
    });
    await client.connect();
    try {
      return (await client.query('SELECT state FROM sync_runs WHERE id = $1', [runId])).rows[0]
        .state as string;
    } finally {
      await client.end();
    }
  }

  /** The running bot's sandbox (announced in DATA_DIR/sandbox.json): its adjustments. */
  async function sandboxAdjustments(): Promise<unknown[]> {
    const { url } = JSON.parse(fs.readFileSync(path.join(dataDir, 'sandbox.json'), 'utf8')) as {
      url: string;
    };
    const snapshot = (await (await fetch(`${url}/_sandbox/snapshot`)).json()) as { adjustments: unknown[] };
    return snapshot.adjustments;
  }

  it('keeps all data and does not import the demo partner twice', async () => {
    const port = await freePort();
    const first = await start(port);
    expect(first.output()).toContain(
      'generated demo partner, 32 customers (imported now), from the Pax8 stand-in',
    );
    // the demo partner came from the Pax8 stand-in: a source like any other, on, pulled once
    const sources = JSON.stringify(await command(port, 'cli:victor', 'sources'));
    expect(sources).toContain('stand-in');
    expect(sources).toContain('on (0 1 * * *)');
    expect(sources).toMatch(/✅ \d{4}-\d{2}-\d{2}: 99 subscriptions, \d+ new events/);
    // leave traces of use: a mapping, a validated run, and its upload to the sandbox
    expect((await command(port, 'cli:alice', 'map wingtip')).cards.model[0]!.kind).toBe('mapping');
    await command(port, 'cli:alice', 'confirm wingtip all');
    await command(port, 'cli:alice', 'map wingtip product "Azure plan" service 1036');
    const validation = await command(port, 'cli:alice', 'validate wingtip');
    expect(validation.cards.model[0]!.kind).toBe('validation');
    const runId = /Run (r-[0-9a-f]+)/.exec(JSON.stringify(validation))![1]!;
    expect(JSON.stringify(await command(port, 'cli:alice', `upload ${runId}`))).toContain('requested');
    expect(JSON.stringify(await command(port, 'cli:bob', `approve ${runId}`))).toContain('You approved');
    await waitFor(
      async () => ((await runState(runId)) === 'succeeded' ? true : undefined),
      60_000,
      'the upload to succeed',
    );
    const uploaded = await sandboxAdjustments();
    expect(uploaded.length).toBeGreaterThan(0);
    const before = await counts();
    expect(before).toMatchObject({
      customers: 32,
      chat_role_grants: 4,
      sync_runs: 1,
      source_pulls: 1,
      customer_source_links: 32,
    });
    expect(before.subscription_events).toBeGreaterThan(100);

    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const second = await start(port);
    expect(second.output()).toContain('generated demo partner, 32 customers (kept from before)');
    const after = await counts();
    console.log(`rows before and after the restart: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    expect(after).toEqual(before);
    // the sandbox still has what was uploaded, so Autotask and the database agree
    expect(await sandboxAdjustments()).toEqual(uploaded);
    const again = await command(port, 'cli:alice', 'validate wingtip');
    console.log(`validate after the restart: ${again.cards.model[0]!.summary}`);
    expect(again.cards.model[0]!.summary).toMatch(/^✅ Valid — 0 operations for 1 customers/);
    expect(JSON.stringify(again)).not.toContain('DRIFT');
    // and the data still works: the mapping made before the restart is there
    const mapping = await command(port, 'cli:alice', 'map wingtip');
    expect(JSON.stringify(mapping)).toContain('Wingtip Toys (127)');
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 120_000);
});
