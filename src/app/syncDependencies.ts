// What the sync use cases need, built over the real parts: the mapping resolution (mapping part),
// batched Autotask reads (the client), history consistency (subscriptions part) and the API budget.
import type { AutotaskClient } from '../autotask/autotaskClient.js';
import type { Config } from '../config.js';
import type { PrismaClient } from '../db/prismaClient.js';
import type { AutotaskDirectory } from '../mapping/autotaskDirectory.js';
import { readAutotaskSnapshots } from '../sync/readAutotaskState.js';
import type { ValidateDependencies } from '../sync/validateRun.js';
import { historyFindingsByCustomer } from './historyFindings.js';
import { resolveMappingsForSync } from './syncMappingResolver.js';
import { utcDateOf } from '../core/calendarDate.js';

/** Autotask's default hourly request threshold; the real one is read by `test` */
const HOURLY_REQUESTS = 10_000;

export function syncDependencies(input: {
  prisma: PrismaClient;
  client: AutotaskClient;
  directory: AutotaskDirectory;
  autotask: Pick<Config['autotask'], 'budgetShare' | 'maxInFlightPerEndpoint'>;
  now?: () => Date;
}): ValidateDependencies {
  const { prisma, client, directory } = input;
  const now = input.now ?? (() => new Date());
  return {
    prisma,
    resolveMapping: (customerIds) =>
      resolveMappingsForSync({ prisma, directory, today: () => utcDateOf(now()) }, customerIds),
    readAutotask: (requests) => readAutotaskSnapshots(client, requests),
    checkHistory: ({ subscriptions, events }, asOf) => historyFindingsByCustomer(subscriptions, events, asOf),
    budget: {
      requestsPerHour: Math.floor(HOURLY_REQUESTS * input.autotask.budgetShare),
      inFlight: input.autotask.maxInFlightPerEndpoint,
      secondsPerCall: 0.3,
    },
    now,
  };
}
