// `test`: can the bot reach Autotask, log in, and read and write what it needs — and how much of
// the hourly API budget is left. Each problem found is a Problem a person can act on.
import type { AutotaskClient } from '../autotask/autotaskClient.js';
import { testConnectivity } from '../autotask/connectivityTest.js';
import { problem, type Problem } from '../core/problem.js';

export interface ConnectionCheck {
  ok: boolean;
  mode: 'live' | 'sandbox';
  zoneUrl: string | null;
  authenticated: boolean;
  permissions: { entity: string; read: boolean; create: boolean; update: boolean }[];
  latencyMs: number | null;
  apiBudget: { used: number; limit: number; windowMinutes: number };
  errors: Problem[];
}

/** the connectivity test words each problem with its own remedy; this is what to do after it */
const AFTER_FIXING = 'change it in Autotask as the line says, then run `test` again';

export async function testConnection(deps: {
  client: AutotaskClient;
  mode: 'live' | 'sandbox';
  budgetShare: number;
}): Promise<ConnectionCheck> {
  const report = await testConnectivity(deps.client, { budgetShare: deps.budgetShare });
  const failure = report.error;
  return {
    ok: report.ok,
    mode: deps.mode,
    zoneUrl: report.zone?.url ?? null,
    authenticated: report.authenticated,
    permissions: report.permissions.map((p) => ({
      entity: p.entity,
      read: p.canQuery,
      create: p.canCreate,
      update: false,
    })),
    latencyMs: report.roundTripMs,
    apiBudget: {
      used: report.budget?.used ?? 0,
      limit: report.budget?.threshold ?? 0,
      windowMinutes: 60,
    },
    errors: [
      ...(failure ? [problem(failure.code, failure.message, failure.hint)] : []),
      // the failure is among the problems too, in words: shown once
      ...report.problems
        .filter((p) => !failure || !p.includes(failure.code))
        .map((p) => problem('AUTOTASK_PERMISSION', p, AFTER_FIXING)),
    ],
  };
}

/** the hourly API budget as Autotask counts it */
export async function apiBudget(client: AutotaskClient): Promise<ConnectionCheck['apiBudget']> {
  const t = await client.threshold();
  return {
    used: t.currentTimeframeRequestCount,
    limit: t.externalRequestThreshold,
    windowMinutes: t.requestThresholdTimeframe,
  };
}
