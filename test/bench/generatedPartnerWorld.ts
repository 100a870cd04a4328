// The benchmark partner (src/demo/partnerGenerator.ts: 200 customers, 2,000 subscriptions,
// 10,000 events) and an Autotask sandbox seeded to match it: the demo tenant (its customers,
// decoys, traps and catalogue) plus, for every made-up customer, a company of the same name with
// a monthly and a yearly Recurring Service contract. The partner is imported through the CSV
// importer into a fresh database and mapped by the automatic mapping, as a partner would do it;
// the suggestions a person would accept (similar names) are accepted through the mapping use case.
import type { AutotaskClient, AutotaskClientOptions } from '../../src/autotask/autotaskClient.js';
import { buildDemoSeedInput } from '../../src/sandbox/demoSeed.js';
import type { SandboxSeedInput } from '../../src/sandbox/sandboxSeed.js';
import type { RunningSandbox } from '../../src/sandbox/sandboxServer.js';
import { clientAutotaskDirectory } from '../../src/app/clientAutotaskDirectory.js';
import { syncDependencies } from '../../src/app/syncDependencies.js';
import { BENCHMARK_PARTNER, generatePartner } from '../../src/demo/partnerGenerator.js';
import { DEMO_CUSTOMERS } from '../../src/demo/demoWorld.js';
import { cachedDirectory } from '../../src/app/clientAutotaskDirectory.js';
import { mapCompany } from '../../src/mapping/mapCompany.js';
import type { MappingDeps } from '../../src/mapping/mappingDeps.js';
import { confirmAllSuggestions } from '../../src/mapping/suggestions.js';
import { runAutomaticMapping, type AutomaticMappingReport } from '../../src/mapping/runAutomaticMapping.js';
import { importFile } from '../../src/subscriptions/importFile.js';
import { clientAutotaskGateway } from '../../src/sync/clientAutotaskGateway.js';
import type { InProcessUploadDependencies } from '../../src/useCases/uploadApprovedRun.js';
import { clientFor, startTestSandbox } from '../helpers/autotaskSandbox.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

/** The history ends here and validation runs the next morning: the figures repeat run after run. */
export const PARTNER_END_DATE = '2026-11-24';
export const BENCH_CLOCK = new Date('2026-11-25T09:00:00Z');
export const BENCH_ACTOR = { id: 'cli:bench', name: 'bench' };

export interface PartnerWorld {
  db: TestDatabase;
  sandbox: RunningSandbox;
  client: AutotaskClient;
  services: InProcessUploadDependencies;
  partner: { customers: number; subscriptions: number; events: number };
  mapping: Record<string, number>;
  stop(): Promise<void>;
}

function sandboxSeedFor(customerNames: readonly string[]): SandboxSeedInput {
  const seed = buildDemoSeedInput();
  const companies = [...(seed.companies ?? [])];
  const contracts = [...(seed.contracts ?? [])];
  const demo = new Set(DEMO_CUSTOMERS.map((c) => c.name));
  for (const name of customerNames) {
    if (demo.has(name)) continue;
    const id = 10_000 + companies.length;
    companies.push({ id, companyName: name, companyNumber: `C${id}`, companyType: 1, isActive: true });
    for (const [period, label] of [
      [2, 'Cloud Services Monthly'],
      [5, 'Cloud Services Annual'],
    ] as const) {
      const contractId = 100_000 + contracts.length;
      contracts.push({
        id: contractId,
        companyID: id,
        contractName: `${name} — ${label}`,
        contractNumber: `RS-${contractId}`,
        contractType: 7,
        contractPeriodType: period,
        status: 1,
        startDate: '2025-01-01',
        endDate: '2027-12-31',
        isDefaultContract: false,
      });
    }
  }
  return { ...seed, companies, contracts, externalRequestThreshold: 10_000 };
}

export async function startPartnerWorld(
  options: { clientOverrides?: Partial<AutotaskClientOptions> } = {},
): Promise<PartnerWorld> {
  const generated = generatePartner({ ...BENCHMARK_PARTNER, endDate: PARTNER_END_DATE });
  const db = await createTestDatabase();
  const seed = sandboxSeedFor(generated.customers.map((c) => c.name));
  const sandboxCompanies = new Map((seed.companies ?? []).map((c) => [c.companyName, c.id]));
  const sandbox = await startTestSandbox(seed);
  // a generous timeout: on a busy machine a read must not fail and change the plan between steps
  const client = clientFor(sandbox, { timeoutMs: 30_000, ...options.clientOverrides });
  const imported = await importFile(db.prisma, 'benchmark-partner.csv', generated.csv, {
    actor: BENCH_ACTOR,
  });
  if (!imported.stored)
    throw new Error(`the benchmark partner did not import: ${JSON.stringify(imported).slice(0, 500)}`);

  const directory = clientAutotaskDirectory(client);
  const today = () => BENCH_CLOCK.toISOString().slice(0, 10);
  const mapped = await runAutomaticMapping({ prisma: db.prisma, directory, today }, {}, BENCH_ACTOR);
  if (!mapped.ok) throw new Error(mapped.message);
  const confirmed = await decideAsAPerson(
    { prisma: db.prisma, directory: cachedDirectory(directory), today },
    sandboxCompanies,
  );
  const services: InProcessUploadDependencies = {
    ...syncDependencies({
      prisma: db.prisma,
      client,
      directory,
      autotask: { budgetShare: 0.5, maxInFlightPerEndpoint: 2 },
      now: () => BENCH_CLOCK,
    }),
    gateway: clientAutotaskGateway(client),
  };
  const applied = (items: AutomaticMappingReport['customers']) =>
    items.filter((i) => i.result === 'applied' || i.result === 'already-mapped').length;
  return {
    db,
    sandbox,
    client,
    services,
    partner: {
      customers: generated.customers.length,
      subscriptions: generated.subscriptionCount,
      events: generated.rows.length,
    },
    mapping: {
      customersMappedAutomatically: applied(mapped.customers),
      productsMappedAutomatically: applied(mapped.products),
      ...confirmed,
    },
    async stop() {
      await sandbox.stop();
      await db.drop();
    },
  };
}

/**
 * What a person does with the mapping card after the automatic pass: a made-up customer whose
 * name collides with another after normalisation ("Atlas Dental LLC" / "Atlas Dental GmbH") is
 * mapped to the company of its exact name; every single-candidate suggestion is confirmed.
 */
async function decideAsAPerson(deps: MappingDeps, companies: Map<string, number>) {
  const customers = await deps.prisma.customer.findMany({ select: { id: true, name: true } });
  const mapped = new Set(
    (await deps.prisma.customerCompanyMapping.findMany({ select: { customerId: true } })).map(
      (m) => m.customerId,
    ),
  );
  let mappedByHand = 0;
  let suggestionsConfirmed = 0;
  for (const customer of customers) {
    const exact = companies.get(customer.name);
    if (!mapped.has(customer.id) && exact !== undefined) {
      const answer = await mapCompany(deps, { customerId: customer.id, company: String(exact) }, BENCH_ACTOR);
      if (answer.ok) mappedByHand++;
    }
    const report = await confirmAllSuggestions(deps, customer.id, BENCH_ACTOR);
    if (report.ok) suggestionsConfirmed += report.confirmed.length;
  }
  return { customersMappedByHand: mappedByHand, suggestionsConfirmed };
}
