// The demo customer the Slack tests found: Margie's Travel has two Exchange Online (Plan 2)
// subscriptions on its monthly contract, and Autotask refused the plan's second line for the
// service. Through the real bot and its Autotask sandbox: validate, request and approve the upload
// (the CLI path), then every write is accepted, one line per service is created by POST and each
// subscription's own lines carry exactly the units the ledger sent; validating again finds nothing.
import { ContractServiceUnitSchema } from '../../../src/autotask/entities.js';
import { lineChangePoints } from '../../helpers/sandboxTimeline.js';
import { OPS, startSlackHarness, type SlackHarness } from '../../helpers/slackBotHarness.js';
import { buttonsOf, textOfCall } from '../../helpers/slackMessages.js';
import { chatCliBeside } from '../../helpers/chatCli.js';

const CUSTOMER = 'Margie’s Travel';
const PRODUCT = 'Exchange Online (Plan 2)';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

it(`${CUSTOMER}: two subscriptions of one product upload to one base line and a repeat line`, async () => {
  const customer = await h.db.prisma.customer.findFirstOrThrow({ where: { name: CUSTOMER } });
  const twins = await h.db.prisma.subscription.findMany({
    where: { customerId: customer.id, productName: PRODUCT, billingCycle: 'monthly' },
  });
  expect(twins).toHaveLength(2);

  const { message } = await h.command(OPS, `validate "${CUSTOMER}"`);
  expect(buttonsOf(message).map((b) => b.text.text)).toContain('Request upload');
  const { out, cli } = chatCliBeside(h.bot);
  const sandbox = h.bot.autotask.sandbox!;
  const writesBefore = sandbox.controls.writeLog().length;
  expect(await cli('slack:T1:UOPS', 'upload', CUSTOMER)).toBe(0);
  const runId = /run (r-[0-9a-f]+)/.exec(out.join('\n'))![1]!;
  expect(await cli('slack:T1:UAPP', 'approve', runId)).toBe(0);
  expect((await h.db.prisma.syncRun.findUniqueOrThrow({ where: { id: runId } })).state).toBe('succeeded');

  const ops = await h.db.prisma.syncOperationRecord.findMany({ where: { runId }, orderBy: { seq: 'asc' } });
  const writes = sandbox.controls.writeLog().slice(writesBefore);
  expect(writes.filter((w) => w.status >= 400)).toEqual([]);
  expect(writes).toHaveLength(ops.length);
  // one create per contract and service, never a second one for the twins' service
  const creates = ops.filter((o) => o.kind === 'create_line').map((o) => `${o.contractId}:${o.serviceId}`);
  expect(new Set(creates).size).toBe(creates.length);
  const twinOps = ops.filter((o) => twins.some((t) => t.id === o.subscriptionId));
  expect(twinOps.filter((o) => o.kind === 'create_line')).toHaveLength(1);

  // each of the customer's lines carries what the ledger sent to it, change by change
  const client = h.bot.autotask.client;
  expect((await client.query('ContractServiceUnits', ContractServiceUnitSchema)).length).toBeGreaterThan(0);
  const points = await lineChangePoints(h.db.prisma, client, customer.id);
  const expected: Record<string, string[]> = {};
  for (const lineKey of new Set(ops.filter((o) => o.kind === 'adjust').map((o) => o.lineKey))) {
    let units = 0;
    expected[lineKey] = ops
      .filter((o) => o.kind === 'adjust' && o.lineKey === lineKey)
      .map((o) => `${o.effectiveDate} ${(units += o.unitChange)}`);
  }
  expect(points).toEqual(expected);
  expect(
    Object.keys(points).filter((k) => twins.some((t) => k.startsWith(`${t.id}|`))).length,
  ).toBeGreaterThanOrEqual(2);

  const again = await h.command(OPS, `validate "${CUSTOMER}"`);
  expect(textOfCall(again.message)).toContain('Valid — 0 operations');
}, 180_000);
