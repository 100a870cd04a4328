// Probe (issue 17, budget burn by the lowest role): the real bot behind signed Slack requests, its
// in-process Autotask sandbox counting every request it serves. Ten `customers` by a viewer cost
// one read of Companies and one of Services; a mapping change makes the next listing read again;
// a viewer's eleventh expensive command in a minute is refused with RATE_LIMITED (and reads
// nothing), while another viewer is not affected; the playground shares the limiter and the cache.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADMIN, OPS, startSlackHarness, VIEWER, type SlackHarness } from '../helpers/slackBotHarness.js';
import { textOfCall } from '../helpers/slackMessages.js';
import type { SlackUser } from '../helpers/signedSlackRequests.js';
import { SYNC_TENANT } from '../helpers/syncTenant.js';

const OTHER_VIEWER: SlackUser = { team: 'T1', user: 'UVIEW2' };

let h: SlackHarness;
let seedDir: string;

/** requests the sandbox has served on one endpoint ("POST Companies/query") */
const served = (label: string): number => h.bot.autotask.sandbox!.controls.counters().byEndpoint[label] ?? 0;
const reads = () => ({
  companies: served('POST Companies/query'),
  services: served('POST Services/query'),
  contracts: served('POST Contracts/query'),
  threshold: served('GET ThresholdInformation'),
});

async function say(who: SlackUser, text: string): Promise<string> {
  const { http, message } = await h.command(who, text);
  expect(http.status).toBe(200);
  return textOfCall(message);
}

beforeAll(async () => {
  seedDir = await mkdtemp(path.join(tmpdir(), 'directory-budget-'));
  const seedFile = path.join(seedDir, 'seed.json');
  await writeFile(
    seedFile,
    JSON.stringify({
      ...SYNC_TENANT,
      companies: [...SYNC_TENANT.companies, { id: 2, companyName: 'Northwind Traders Ltd' }],
    }),
  );
  h = await startSlackHarness({
    demo: false,
    env: {
      SANDBOX_SEED: seedFile,
      CHAT_RATE_LIMIT_PER_MINUTE: '10',
      AUTOTASK_DIRECTORY_TTL_SECONDS: '300',
    },
  });
  await h.db.prisma.customer.createMany({
    data: [{ name: 'Acme Corporation' }, { name: 'Northwind Traders' }],
  });
  expect(await say(ADMIN, `grant <@${OTHER_VIEWER.user}> viewer`)).toContain('is now viewer');
}, 120_000);

afterAll(async () => {
  await h?.close();
  await rm(seedDir, { recursive: true, force: true });
});

describe('directory reads and expensive commands of the lowest role', () => {
  it('ten `customers` by a viewer read Companies and Services once; the eleventh expensive command is RATE_LIMITED', async () => {
    const before = reads();
    for (let i = 0; i < 10; i++) {
      const answer = await say(VIEWER, 'customers');
      expect(answer).toContain('Acme Corporation');
      expect(answer).toContain('Northwind Traders');
      expect(answer).not.toContain('RATE_LIMITED');
    }
    const afterTen = reads();
    expect(afterTen.companies).toBe(before.companies + 1);
    expect(afterTen.services).toBe(before.services + 1);

    // `status` would read the API budget from Autotask: refused, it reads nothing
    expect(await say(VIEWER, 'status')).toMatch(/RATE_LIMITED: .*try again in \d+ s/);
    expect(await say(VIEWER, 'unmapped')).toMatch(/RATE_LIMITED: .*try again in \d+ s/);
    expect(reads()).toEqual(afterTen);
    // commands that read only the bot's database are not limited
    expect(await say(VIEWER, 'runs')).not.toContain('RATE_LIMITED');

    // another viewer is not affected, and is served from the same cache
    const other = await say(OTHER_VIEWER, 'customers');
    expect(other).toContain('Acme Corporation');
    expect(other).not.toContain('RATE_LIMITED');
    expect(await say(OTHER_VIEWER, 'unmapped')).not.toContain('RATE_LIMITED');
    expect(reads()).toEqual(afterTen);
    // …and their `status` does read Autotask (what the refusal above spared)
    expect(await say(OTHER_VIEWER, 'status')).not.toContain('RATE_LIMITED');
    expect(reads().threshold).toBe(afterTen.threshold + 1);

    // the first refusal is audited once, however often the viewer tries
    const audited = await h.db.prisma.auditRecord.findMany({
      where: { action: 'chat.rate_limited', actorId: `slack:${VIEWER.team}:${VIEWER.user}` },
    });
    expect(audited).toHaveLength(1);
    expect(audited[0]!.outcome).toBe('denied');
    expect(audited[0]!.details).toMatchObject({ command: 'status', limitPerMinute: 10 });
  }, 120_000);

  it('a mapping change (`map … company`) drops the cache: the next listing reads Autotask again', async () => {
    const before = reads();
    expect(await say(OPS, 'map "Acme Corporation" company 1')).toContain('Acme Corporation, Inc.');
    const afterMap = reads();
    const listing = await say(OTHER_VIEWER, 'customers');
    expect(listing).not.toContain('RATE_LIMITED');
    const afterListing = reads();
    expect(afterListing.companies).toBe(afterMap.companies + 1);
    expect(afterListing.services).toBe(afterMap.services + 1);
    // the mapped company's contracts are read once for the listing, then kept too
    expect(afterListing.contracts).toBe(afterMap.contracts + 1);
    expect(await say(OTHER_VIEWER, 'unmapped')).not.toContain('RATE_LIMITED');
    expect(await say(OTHER_VIEWER, 'customers')).not.toContain('RATE_LIMITED');
    expect(reads()).toEqual(afterListing);
    expect(afterMap.companies).toBeGreaterThan(before.companies);

    // opening a mapping card is the refresh: it reads fresh, and the next listing reads again
    expect(await say(OPS, 'map "Northwind Traders"')).toContain('Northwind Traders');
    const afterCard = reads();
    expect(afterCard.companies).toBeGreaterThan(afterListing.companies);
    expect(await say(OTHER_VIEWER, 'unmapped')).not.toContain('RATE_LIMITED');
    expect(reads().companies).toBe(afterCard.companies + 1);
    expect(reads().services).toBe(afterCard.services + 1);
  }, 120_000);

  it('validation never plans from the cache: with the listings cached it reads Companies and contracts itself', async () => {
    expect(await say(OTHER_VIEWER, 'runs')).not.toContain('RATE_LIMITED');
    const cached = reads();
    // the cache holds Companies, Services and Acme's contracts (the last listing read them)
    expect(await say(OTHER_VIEWER, 'customers')).not.toContain('RATE_LIMITED');
    expect(reads()).toEqual(cached);
    const validation = await say(OPS, 'validate "Acme Corporation"');
    expect(validation).not.toContain('failed unexpectedly');
    const after = reads();
    expect(after.companies).toBeGreaterThan(cached.companies);
    expect(after.contracts).toBeGreaterThan(cached.contracts);
  }, 120_000);

  it('the playground goes through the same limiter and cache as Slack', async () => {
    expect(await say(ADMIN, 'grant cli:victor viewer')).toContain('is now viewer');
    const play = async (text: string) => {
      const res = await fetch(`${h.bot.http.url}/playground/api/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ as: 'cli:victor', text }),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { denied: boolean; cards: unknown[] };
    };
    // the validation before dropped the cache (its automatic mapping): one read fills it again
    const before = reads();
    for (let i = 0; i < 10; i++) {
      const answer = await play('customers');
      expect(answer.denied).toBe(false);
      expect(JSON.stringify(answer.cards)).toContain('Acme Corporation');
    }
    const afterTen = reads();
    expect(afterTen).toEqual({
      ...before,
      companies: before.companies + 1,
      services: before.services + 1,
      contracts: before.contracts + 1,
    });
    const refused = await play('customers');
    expect(refused.denied).toBe(true);
    expect(JSON.stringify(refused.cards)).toMatch(/RATE_LIMITED: .*try again in \d+ s/);
    expect(reads()).toEqual(afterTen);
  }, 120_000);
});
