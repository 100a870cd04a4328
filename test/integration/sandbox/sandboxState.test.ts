// A sandbox given a state file keeps its data across a stop and a start (what the bot's demo
// sandbox does under DATA_DIR); one without a file starts from its seed every time. A file that
// is not a saved sandbox, or was saved with another seed, is refused with a code saying what to do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContractSchema, ContractServiceUnitSchema } from '../../../src/autotask/entities.js';
import { SandboxSeedSchema } from '../../../src/sandbox/sandboxSeed.js';
import { startAutotaskSandbox, type RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { TEST_CREDENTIALS, clientFor, smallSeed } from '../../helpers/autotaskSandbox.js';

let dir: string;
let file: string;
const running: RunningSandbox[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-state-'));
  file = path.join(dir, 'autotask-sandbox.json');
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

const seed = SandboxSeedSchema.parse(smallSeed());
async function start(stateFile?: string, seedOverride = seed): Promise<RunningSandbox> {
  const sandbox = await startAutotaskSandbox({
    seed: seedOverride,
    credentials: TEST_CREDENTIALS,
    stateFile,
    saveDelayMs: 20,
  });
  running.push(sandbox);
  return sandbox;
}

async function writeSomething(sandbox: RunningSandbox): Promise<void> {
  const client = clientFor(sandbox);
  await client.createContractServiceAdjustment(10, {
    serviceID: 20,
    effectiveDate: '2026-02-01',
    unitChange: 4,
  });
  sandbox.controls.patch({ entity: 'Contracts', id: 12, fields: { contractName: 'Northwind renamed' } });
}

const units = async (sandbox: RunningSandbox) =>
  (await clientFor(sandbox).query('ContractServiceUnits', ContractServiceUnitSchema)).map(
    (r) => `${r.contractServiceID} ${r.startDate} ${r.units}`,
  );

describe('a sandbox with a state file', () => {
  it('carries on after a stop and a start with every adjustment, line and hand edit', async () => {
    const first = await start(file);
    await writeSomething(first);
    const before = await units(first);
    expect(before.length).toBeGreaterThan(0);
    await first.stop();
    running.splice(0);
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['autotask-sandbox.json']); // no temp file left

    const second = await start(file);
    expect(await units(second)).toEqual(before);
    expect((await clientFor(second).get('Contracts', ContractSchema, 12)).contractName).toBe(
      'Northwind renamed',
    );
    // new ids continue after the saved ones: a second line does not reuse the first line's id
    const lineId = await clientFor(second).createContractService(10, { serviceID: 21, unitPrice: 4 });
    const ids = second.controls.snapshot().contractServices.map((l) => l.id as number);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(lineId);
  });

  it('saves while running (debounced), not only on stop', async () => {
    const sandbox = await start(file);
    await writeSomething(sandbox);
    // poll the file, as a crash could come at any moment after the save delay
    for (let i = 0; i < 200 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 10));
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { state: { adjustments: unknown[] } };
    expect(saved.state.adjustments).toHaveLength(1);
  });

  it('without a state file every start begins from the seed', async () => {
    const first = await start();
    await writeSomething(first);
    await first.stop();
    running.splice(0);
    const second = await start();
    expect(await units(second)).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses a file that is not a saved sandbox, or one saved with another seed', async () => {
    fs.writeFileSync(file, '{"state": 1}');
    await expect(start(file)).rejects.toThrow(
      /^SANDBOX_STATE_INVALID: .*delete it to start the sandbox from its seed/,
    );

    fs.rmSync(file);
    const first = await start(file);
    await writeSomething(first);
    await first.stop();
    running.splice(0);
    const other = SandboxSeedSchema.parse({ ...smallSeed(), externalRequestThreshold: 500 });
    await expect(start(file, other)).rejects.toThrow(/^SANDBOX_STATE_OTHER_SEED: /);
  });
});
