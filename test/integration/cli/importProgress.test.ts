// `autotask-bot import` of a few thousand rows through the real CLI entry point, to a recorded io
// that is not a terminal: plain progress lines on stderr (rows read, refused so far, the storing
// phase, a final line); with --json none, and stdout is the JSON alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../src/cli/main.js';
import { generatePartner, toCsv } from '../../../src/demo/partnerGenerator.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const ROWS = 3_000;
const BAD = 3;

let db: TestDatabase;
let dir: string;
let file: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-progress-'));
  const partner = generatePartner({
    seed: 11,
    customers: 40,
    subscriptions: 300,
    events: ROWS,
    endDate: '2026-11-01',
  });
  const rows = partner.rows.map((r) => ({ ...r }));
  // three rows a person got wrong: refused while reading, the rest stored (--skip-invalid)
  const changes = rows.flatMap((r, i) => (r.old_status !== '' ? [i] : [])).slice(-BAD);
  for (const i of changes) rows[i]!.currency = 'dollars';
  file = path.join(dir, 'history.csv');
  fs.writeFileSync(file, toCsv(rows));
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await db.drop();
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    { out: (t) => out.push(t), err: (t) => err.push(t) },
    { DATABASE_URL: db.url, LOG_LEVEL: 'silent', PATH: process.env.PATH },
  );
  return { code, out: out.join('\n'), err };
}

const count = (n: number) => n.toLocaleString('en-US');

describe('autotask-bot import: progress when stderr is not a terminal', () => {
  it('prints plain progress lines on stderr: rows read, refused so far, the storing phase and a final line', async () => {
    const run = await cli('import', file, '--dry-run', '--skip-invalid');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(new RegExp(`Dry run .*${ROWS} rows\\)`));
    // every stderr line is progress, in order: the first row, any interval lines, storing, the end
    const reading = run.err.slice(0, -2);
    expect(reading[0]).toMatch(/^… import \(reading\): 1 rows, [\d,]+ rows\/s, 0 refused$/);
    let rowsBefore = 0;
    let refusedBefore = 0;
    for (const line of reading) {
      const [, rows, refused] = /^… import \(reading\): ([\d,]+) rows, [\d,]+ rows\/s, (\d+) refused$/.exec(
        line,
      )!;
      const [r, f] = [Number(rows!.replace(/,/g, '')), Number(refused)];
      expect(r).toBeGreaterThanOrEqual(rowsBefore);
      expect(f).toBeGreaterThanOrEqual(refusedBefore);
      [rowsBefore, refusedBefore] = [r, f];
    }
    expect(run.err.at(-2)).toMatch(
      new RegExp(`^… import \\(storing\\): ${count(ROWS)} rows, [\\d,]+ rows/s, ${BAD} refused$`),
    );
    expect(run.err.at(-1)).toMatch(
      new RegExp(`^import: ${count(ROWS)} rows, [\\d,]+ rows/s, ${BAD} refused, in \\d+\\.\\d s$`),
    );
  });

  it('prints no progress with --json: stdout is the JSON alone and stderr stays empty', async () => {
    const run = await cli('import', file, '--dry-run', '--skip-invalid', '--json');
    expect(run.code).toBe(0);
    expect(run.err).toEqual([]);
    const parsed = JSON.parse(run.out) as { items: number; refused: unknown[] };
    expect(parsed.items).toBe(ROWS);
    expect(new Set(parsed.refused.map((p) => (p as { item: number }).item)).size).toBe(BAD);
    expect(run.out).not.toContain('…');
  });
});
