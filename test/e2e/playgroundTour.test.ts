// Issue [9/10], must show 1 and 2: `npm start` on a fresh data directory with nothing configured
// reaches a working playground (the figure is printed), and the README's guided tour is walked
// in it by clicking — Chromium driven by Playwright — through the same router as Slack and Teams.
// At the end the sandbox's ContractServiceUnits timeline holds what the approved run planned.
// Screenshots go to test/e2e/artifacts/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { freePort } from '../../src/db/embeddedPostgres.js';
import { launchChromium } from '../helpers/chromium.js';
import { killStartedGroups, startNpm, waitFor, type RunningProcess } from '../helpers/cliProcess.js';

const ARTIFACTS = path.resolve('test/e2e/artifacts');

interface UnitsRow {
  contractID: number;
  serviceID: number;
  startDate: string;
  endDate: string;
  units: number;
}

describe('the playground tour on a fresh `npm start`', () => {
  let dataDir: string;
  let port: number;
  let bot: RunningProcess;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;
  const base = () => `http://127.0.0.1:${port}`;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autotask-bot-tour-'));
    fs.chmodSync(dataDir, 0o755);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    killStartedGroups();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reaches a working playground within 60 s of npm start, with the banner saying what is demo', async () => {
    port = await freePort();
    const started = Date.now();
    // nothing configured but where to keep data and which port: the demo in full
    bot = startNpm({ DATA_DIR: dataDir, PORT: String(port) });
    const session = await waitFor(
      async () => {
        const res = await fetch(`${base()}/playground/api/session`);
        return res.status === 200
          ? ((await res.json()) as { people: { identity: string; role: string }[] })
          : undefined;
      },
      60_000,
      'the playground',
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(`fresh npm start → working playground: ${seconds.toFixed(1)} s`);
    expect(seconds).toBeLessThan(60);
    expect(session.people).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ identity: 'cli:alice', role: 'operator' }),
        expect.objectContaining({ identity: 'cli:bob', role: 'approver' }),
      ]),
    );
    const page = await fetch(`${base()}/playground`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('autotask-bot');
    const output = bot.output();
    expect(output).toContain(`Playground http://127.0.0.1:${port}/playground`);
    expect(output).toMatch(/Autotask\s+DEMO — built-in sandbox/);
    expect(output).toMatch(/Data\s+DEMO — generated demo partner, 32 customers/);
    expect(output).toContain('set DATABASE_URL');
  });

  it('walks the guided tour by clicking; the sandbox ends with the approved units timeline', async () => {
    const tourStarted = Date.now();
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base()}/playground`);
    await page.locator('body[data-ready="true"]').waitFor();
    const shot = (name: string) =>
      page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });

    const entries = page.locator('#entries .entry');
    /** does something, then waits for the bot's answer to appear as a new entry */
    const answered = async (act: () => Promise<unknown>): Promise<Locator> => {
      const before = await entries.count();
      await act();
      await page.waitForFunction(
        (n) =>
          (
            globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
          ).document.querySelectorAll('#entries .entry').length > n,
        before,
      );
      return entries.nth(before);
    };
    const say = (text: string) =>
      answered(async () => {
        await page.fill('#command', text);
        await page.press('#command', 'Enter');
      });
    const be = (identity: string) => page.selectOption('#identity', identity);

    // 1. test connectivity
    await be('cli:alice');
    const test = await say('test');
    await expectText(test.locator('.slack'), 'Autotask connection');
    await expectText(test.locator('.teams'), 'Autotask connection');
    await shot('01-test-connectivity');

    // 2. map a customer: confirm the suggestion; the usage-based product is skipped, never asks
    const mapping = await say('map wingtip');
    await expectText(mapping.locator('.slack'), 'Mapping — Wingtip Toys');
    await shot('02-mapping-card');
    const confirmed = await answered(() =>
      mapping.locator('.slack button', { hasText: 'Confirm all suggestions' }).click(),
    );
    await expectText(confirmed, 'Visio Plan 2');
    const remapped = await say('map wingtip');
    await expectText(remapped.locator('.slack'), 'Azure plan');
    await expectText(remapped.locator('.slack'), 'usage-based, not quantity-based: not uploaded');
    await expectText(remapped.locator('.slack'), 'Every product has a service.');
    expect(await remapped.locator('.slack select.bk-select').count()).toBe(0);
    await shot('03-product-mapped');
    // the customer holding a product monthly, annually and switching: one row per cycle
    const trey = await say('map trey');
    await expectText(trey.locator('.slack'), 'Microsoft 365 Business Premium');
    await expectText(trey.locator('.slack'), '· Yearly ·');
    await expectText(trey.locator('.slack'), '· Monthly ·');
    await shot('03b-mapping-per-cycle');

    // 3. validate, and ask for the upload with the Teams card's button (Microsoft's renderer)
    const validation = await say('validate wingtip');
    await expectText(validation.locator('.slack'), 'Valid');
    const runId = /Run (r-[0-9a-f]+)/.exec((await validation.locator('.slack').innerText()) ?? '')?.[1];
    expect(runId).toBeDefined();
    await shot('04-validation');
    const requested = await answered(() =>
      validation.locator('.teams button', { hasText: 'Request upload' }).first().click(),
    );
    await expectText(requested, 'requested');
    const approvalPost = page.locator(`#feed [data-key="approval:${runId}"]`);
    await expectText(approvalPost, 'Approve');

    // 4. four-eyes: the operator who asked cannot approve; the approver can
    const refused = await answered(() =>
      approvalPost.locator('.slack button', { hasText: 'Approve' }).first().click(),
    );
    await expectText(refused, 'needs the *approver* role'.replace(/\*/g, ''));
    await be('cli:bob');
    // slower Autotask calls, so the progress can be seen moving
    await page.click('#latency');
    const approved = await answered(() =>
      approvalPost.locator('.slack button', { hasText: 'Approve' }).first().click(),
    );
    await expectText(approved, 'You approved');

    // 5. watch the upload: the channel's card shows progress, then the outcome
    await page
      .locator(`#feed [data-key="approval:${runId}"]`, { hasText: 'operations ·' })
      .waitFor({ timeout: 5_000 })
      .then(() => shot('05-upload-progress'))
      .catch(() => undefined);
    await page
      .locator(`#feed [data-key="approval:${runId}"]`, { hasText: 'Upload succeeded' })
      .waitFor({ timeout: 30_000 });
    await page.click('#latency');
    await shot('06-upload-succeeded');

    // 6. read the audit log
    const audit = await say('audit');
    await expectText(audit.locator('.slack'), 'upload.approved');
    await expectText(audit.locator('.slack'), 'cli:bob');
    await expectText(audit.locator('.slack'), 'chat.denied');
    await shot('07-audit');

    // 6b. explain one line of that upload: the chart (drawn by the bot, served at a signed link)
    // of its units over time with the upload's markers, then the same story in words
    const runCard = await say(`run ${runId}`);
    const explained = await answered(() =>
      runCard.locator('.slack button', { hasText: 'Explain' }).first().click(),
    );
    await expectText(explained.locator('.slack'), 'change at the source');
    const chart = explained.locator('.slack figure.bk-image img').first();
    await chart.waitFor();
    await page.waitForFunction(
      (img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete,
      await chart.elementHandle(),
    );
    const drawn = await chart.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
    expect(drawn).toBeGreaterThan(0);
    // the Slack rendering alone, the sticky bars out of the way: the README's picture
    await page.selectOption('#view', 'slack');
    const unstuck = await page.addStyleTag({
      content: '.top, #command-form { position: static !important; }',
    });
    await explained.screenshot({ path: path.join(ARTIFACTS, '07b-explain-chart.png') });
    await unstuck.evaluate((style) => (style as unknown as { remove(): void }).remove());
    await page.selectOption('#view', 'both');

    // 7. a failure notification on purpose: Autotask's billing periods get posted, then an upload
    await be('cli:alice');
    await expectText(await say('map fourth'), 'Mapping — Fourth Coffee');
    const second = await say('validate fourth');
    const secondRun = /Run (r-[0-9a-f]+)/.exec(await second.locator('.slack').innerText())?.[1];
    expect(secondRun).toBeDefined();
    await answered(() => second.locator('.slack button', { hasText: 'Request upload' }).click());
    await page.click('#post-periods');
    await expectText(page.locator('#fault-state'), 'periods posted through');
    await be('cli:bob');
    await answered(() =>
      page
        .locator(`#feed [data-key="approval:${secondRun}"] .slack button`, { hasText: 'Approve' })
        .first()
        .click(),
    );
    const failure = page.locator(`#feed .post.failure[data-run="${secondRun}"]`);
    await failure.waitFor({ timeout: 30_000 });
    await expectText(failure.locator('.slack'), 'failed');
    await expectText(failure.locator('.slack'), 'Retry');
    await shot('08-failure-notification');

    // 8. reconcile what Autotask billed for the month just ended: Wingtip's periods are posted and
    // billed as uploaded, Fourth Coffee's changes were refused for the posted periods
    await be('cli:alice');
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
      .toISOString()
      .slice(0, 7);
    const reconciled = await say('reconcile all');
    const reconciledSlack = reconciled.locator('.slack');
    await expectText(reconciledSlack, `Reconciliation ${lastMonth} — all customers`);
    await expectText(reconciled.locator('.teams'), `Reconciliation ${lastMonth} — all customers`);
    await expectText(reconciledSlack, 'Expected (source history)');
    await expectText(reconciledSlack, 'Billed (Autotask, posted)');
    await expectText(reconciledSlack, 'not uploaded yet');
    const expectedTotal = /Expected \(source history\)\s*([\d,]+\.\d{2})/.exec(
      await reconciledSlack.innerText(),
    )?.[1];
    expect(Number(expectedTotal?.replace(/,/g, ''))).toBeGreaterThan(0);
    const csvLink = reconciledSlack.locator('a', { hasText: 'Download the CSV' });
    const csvUrl = await csvLink.getAttribute('href');
    expect(csvUrl).toContain(`/artifacts/`);
    expect(csvUrl).toContain(`reconciliation-${lastMonth}.csv`);
    const csvResponse = await fetch(csvUrl!);
    expect(csvResponse.status).toBe(200);
    expect(csvResponse.headers.get('content-type')).toMatch(/^text\/csv/);
    const csvText = await csvResponse.text();
    expect(csvText.split('\r\n')[0]).toBe(
      'customer,contract,contract id,product,service id,period start,period end,expected,billed,variance,reason,detail',
    );
    const csvRows = csvRecords(csvText).slice(1);
    const reasonsOf = (customer: string) => csvRows.filter((r) => r[0] === customer).map((r) => r[10]);
    // uploaded, then posted: billed as sent (to the cent, or a cent a split row)
    expect(reasonsOf('Wingtip Toys').length).toBeGreaterThan(0);
    for (const reason of reasonsOf('Wingtip Toys')) expect(['matches', 'proration']).toContain(reason);
    expect(reasonsOf('Fourth Coffee')).toContain('not-uploaded');
    // the Slack rendering alone, the sticky bars out of the way and the channel column below, so
    // the table is not cut: the README's picture
    await page.selectOption('#view', 'slack');
    const unstuckAgain = await page.addStyleTag({
      content:
        '.top, #command-form { position: static !important; } .layout { grid-template-columns: minmax(0, 1fr) !important; }',
    });
    await reconciled.screenshot({ path: path.join(ARTIFACTS, '08-reconciliation.png') });
    await unstuckAgain.evaluate((style) => (style as unknown as { remove(): void }).remove());
    await page.selectOption('#view', 'both');
    expect(errors).toEqual([]);
    console.log(`playground tour in the browser: ${((Date.now() - tourStarted) / 1000).toFixed(1)} s`);

    // 9. the sandbox: every planned "→ N units" is in force on its date in ContractServiceUnits
    const run = (await (
      await fetch(`${base()}/playground/api/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ as: 'cli:bob', text: `run ${runId}` }),
      })
    ).json()) as { cards: { model: { blocks: { type: string; rows?: string[][] }[] }[] } };
    const rows = run.cards.model.flatMap((c) => c.blocks).flatMap((b) => (b.type === 'table' ? b.rows! : []));
    const planned = rows
      .map((r) => r.join(' '))
      .map((t) => /service (\d+), contract (\d+)\) on (\d{4}-\d{2}-\d{2}) → (\d+)/.exec(t))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ serviceId: Number(m[1]), contractId: Number(m[2]), date: m[3]!, units: Number(m[4]) }));
    expect(planned.length).toBeGreaterThan(3);
    const { url } = JSON.parse(fs.readFileSync(path.join(dataDir, 'sandbox.json'), 'utf8')) as {
      url: string;
    };
    const snapshot = (await (await fetch(`${url}/_sandbox/snapshot`)).json()) as {
      contractServiceUnits: UnitsRow[];
    };
    const unitsOn = (contractId: number, serviceId: number, date: string) =>
      snapshot.contractServiceUnits
        .filter((u) => u.contractID === contractId && u.serviceID === serviceId)
        .filter((u) => u.startDate.slice(0, 10) <= date && date <= u.endDate.slice(0, 10))
        .reduce((sum, u) => sum + u.units, 0);
    const timeline = planned.map((p) => ({ ...p, inSandbox: unitsOn(p.contractId, p.serviceId, p.date) }));
    console.log(
      'units timeline (planned → in the sandbox):\n' +
        timeline
          .map(
            (t) => `  ${t.date} contract ${t.contractId} service ${t.serviceId}: ${t.units} → ${t.inSandbox}`,
          )
          .join('\n'),
    );
    for (const t of timeline) expect({ ...t, inSandbox: t.units }).toEqual(t);
  }, 120_000);
});

async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
}

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks) */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  const field = /(?:"((?:[^"]|"")*)"|([^",\r\n]*))(,|\r\n|$)/gy;
  while (field.lastIndex < text.length) {
    const m = field.exec(text);
    if (!m) throw new Error(`not CSV at ${field.lastIndex}`);
    record.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!);
    if (m[3] !== ',') {
      records.push(record);
      record = [];
    }
  }
  return records;
}
