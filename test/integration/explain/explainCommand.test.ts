// `explain` through the real bot: after an upload approved from the CLI, the Slack command answers
// with the story and a signed link to the chart, the link serves a PNG within the chat limits,
// and the CLI writes the same chart with --png.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CARD_IMAGE_MAX_BYTES,
  CARD_IMAGE_MAX_HEIGHT_PX,
  CARD_IMAGE_MAX_WIDTH_PX,
} from '../../../src/charts/chartImageLimits.js';
import { chatCliBeside } from '../../helpers/chatCli.js';
import { OPS, startSlackHarness, type SlackHarness } from '../../helpers/slackBotHarness.js';
import { textOfCall } from '../../helpers/slackMessages.js';

const CUSTOMER = 'Margie’s Travel';

let h: SlackHarness;
let dir: string;
beforeAll(async () => {
  h = await startSlackHarness();
  dir = await mkdtemp(path.join(tmpdir(), 'explain-'));
}, 120_000);
afterAll(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

/** width and height from a PNG's IHDR chunk */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

it('explains an uploaded subscription in Slack and in the terminal, with the same chart', async () => {
  const customer = await h.db.prisma.customer.findFirstOrThrow({ where: { name: CUSTOMER } });
  const subscriptions = await h.db.prisma.subscription.findMany({ where: { customerId: customer.id } });
  // validating maps the customer automatically (as the demo's other tests do)
  await h.command(OPS, `validate "${CUSTOMER}"`);
  const { out, cli } = chatCliBeside(h.bot);
  expect(await cli('slack:T1:UOPS', 'upload', CUSTOMER)).toBe(0);
  const runId = /run (r-[0-9a-f]+)/.exec(out.join('\n'))![1]!;
  expect(await cli('slack:T1:UAPP', 'approve', runId)).toBe(0);
  // a subscription the run uploaded, the only one of its product at this customer
  const uploaded = await h.db.prisma.syncOperationRecord.findMany({
    where: { runId, status: 'done', kind: 'adjust' },
  });
  const single = subscriptions.find(
    (s) =>
      uploaded.some((o) => o.subscriptionId === s.id) &&
      subscriptions.filter((x) => x.productName === s.productName).length === 1,
  )!;
  expect(single).toBeDefined();

  const { message } = await h.command(OPS, `explain "${CUSTOMER}" "${single.productName}"`);
  const text = textOfCall(message);
  expect(text).toContain(`${single.productName} (${single.billingCycle}) — ${CUSTOMER}`);
  // the approval, by whom, is in the words; the chart is a signed link (no https PUBLIC_URL here)
  expect(text).toContain('UAPP');
  expect(text).toContain(runId);
  const link = /(http:\/\/127\.0\.0\.1:\d+\/artifacts\/[^\s|>)]+)/.exec(text)?.[1];
  expect(link).toBeDefined();
  const served = await fetch(link!.replace(/&amp;/g, '&'));
  expect(served.status).toBe(200);
  expect(served.headers.get('content-type')).toBe('image/png');
  const png = Buffer.from(await served.arrayBuffer());
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(png.length).toBeLessThanOrEqual(CARD_IMAGE_MAX_BYTES);
  expect(pngSize(png).width).toBeLessThanOrEqual(CARD_IMAGE_MAX_WIDTH_PX);
  expect(pngSize(png).height).toBeLessThanOrEqual(CARD_IMAGE_MAX_HEIGHT_PX);

  // the terminal: the words on stdout, the same chart written to --png
  const file = path.join(dir, 'chart.png');
  const lines: string[] = [];
  const { runChatCommandFromCli } = await import('../../../src/cli/cliChatBridge.js');
  const code = await runChatCommandFromCli(
    {
      config: () => h.bot.config,
      io: { out: (t) => lines.push(t), err: (t) => lines.push(t) },
      flags: { json: false, as: 'slack:T1:UOPS', png: file },
    },
    ['explain', CUSTOMER, single.productName],
    { teamsDemoDatabase: true },
  );
  expect(code).toBe(0);
  const written = await readFile(file);
  expect(written.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(pngSize(written)).toEqual(pngSize(png));
  expect(lines.join('\n')).toContain(`Wrote ${written.length} bytes to ${file}`);

  // a product the customer does not have: a clear answer, no file, exit 1
  const missing = path.join(dir, 'missing.png');
  const refused = await runChatCommandFromCli(
    {
      config: () => h.bot.config,
      io: { out: (t) => lines.push(t), err: (t) => lines.push(t) },
      flags: { json: false, as: 'slack:T1:UOPS', png: missing },
    },
    ['explain', CUSTOMER, 'No Such Product'],
    { teamsDemoDatabase: true },
  );
  expect(refused).toBe(1);
  expect(lines.join('\n')).toContain('EXPLAIN_PRODUCT_UNKNOWN');
  await expect(readFile(missing)).rejects.toThrow();
}, 180_000);
