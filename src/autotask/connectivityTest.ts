// `autotask-bot test` (and later `/autotask test`): can this installation work with this
// Autotask database? Zone, authentication, the permissions the product needs per entity
// (a restricted security level may answer "no rows" instead of an error, so entityInformation
// is asked), the picklists, round-trip latency and the hourly budget used.
import { performance } from 'node:perf_hooks';
import type { AutotaskClient } from './autotaskClient.js';
import { AutotaskError, isAutotaskError } from './autotaskError.js';

/** What the product needs from each entity. */
export const REQUIRED_PERMISSIONS: { entity: string; query: boolean; create: boolean }[] = [
  { entity: 'Companies', query: true, create: false },
  { entity: 'Contracts', query: true, create: false },
  { entity: 'Services', query: true, create: false },
  { entity: 'ContractServices', query: true, create: true },
  { entity: 'ContractServiceAdjustments', query: false, create: true },
  { entity: 'ContractServiceUnits', query: true, create: false },
];

export interface EntityPermissionCheck {
  entity: string;
  canQuery: boolean;
  canCreate: boolean;
  needsQuery: boolean;
  needsCreate: boolean;
  ok: boolean;
}

export interface ConnectivityReport {
  ok: boolean;
  zone: { name: string | null; url: string; source: 'lookup' | 'AUTOTASK_BASE_URL' } | null;
  authenticated: boolean;
  permissions: EntityPermissionCheck[];
  picklistFallbacks: string[];
  /** one authenticated round trip (ThresholdInformation), milliseconds */
  roundTripMs: number | null;
  budget: { used: number; threshold: number; percentUsed: number; botShare: number } | null;
  requestsMade: number;
  /** plain-words problems a partner can act on */
  problems: string[];
  error: { code: string; message: string; hint: string } | null;
}

export async function testConnectivity(
  client: AutotaskClient,
  options: { budgetShare: number; baseUrlOverride?: string | undefined },
): Promise<ConnectivityReport> {
  const report: ConnectivityReport = {
    ok: false,
    zone: null,
    authenticated: false,
    permissions: [],
    picklistFallbacks: [],
    roundTripMs: null,
    budget: null,
    requestsMade: 0,
    problems: [],
    error: null,
  };
  const before = client.requestStats().total;
  try {
    const zone = await client.zoneInformation();
    report.zone = zone
      ? { name: zone.zoneName ?? null, url: zone.url, source: 'lookup' }
      : { name: null, url: await client.baseUrl(), source: 'AUTOTASK_BASE_URL' };

    const started = performance.now();
    const threshold = await client.threshold();
    report.roundTripMs = Math.round((performance.now() - started) * 10) / 10;
    report.authenticated = true;
    report.budget = {
      used: threshold.currentTimeframeRequestCount,
      threshold: threshold.externalRequestThreshold,
      percentUsed:
        Math.round((threshold.currentTimeframeRequestCount / threshold.externalRequestThreshold) * 1000) / 10,
      botShare: options.budgetShare,
    };

    for (const need of REQUIRED_PERMISSIONS) {
      const info = await client.entityInformation(need.entity);
      const check: EntityPermissionCheck = {
        entity: need.entity,
        canQuery: info.canQuery,
        canCreate: info.canCreate,
        needsQuery: need.query,
        needsCreate: need.create,
        ok: (!need.query || info.canQuery) && (!need.create || info.canCreate),
      };
      report.permissions.push(check);
      if (!check.ok)
        report.problems.push(
          `The API user may not ${[need.query && !info.canQuery ? 'read' : '', need.create && !info.canCreate ? 'create' : ''].filter(Boolean).join(' or ')} ${need.entity}: give its security level that permission (Admin › Security Levels › API User).`,
        );
    }
    report.picklistFallbacks = (await client.picklistsWithFallbacks()).fallbacks;
    if (report.picklistFallbacks.length)
      report.problems.push(
        `These picklist values were not found by label and use defaults: ${report.picklistFallbacks.join(', ')}. Check the Contracts picklists in Autotask.`,
      );
    if (report.budget.percentUsed >= options.budgetShare * 100)
      report.problems.push(
        `The database has used ${report.budget.percentUsed} % of its hourly API budget; the bot stops at ${options.budgetShare * 100} % and will wait.`,
      );
  } catch (error) {
    const e = isAutotaskError(error)
      ? error
      : new AutotaskError({
          code: 'AUTOTASK_UNEXPECTED',
          message: String(error),
          hint: 'Please report this.',
        });
    report.error = { code: e.code, message: e.message, hint: e.hint };
    report.problems.push(`${e.message} ${e.hint}`);
  }
  report.requestsMade = client.requestStats().total - before;
  report.ok = report.error === null && report.permissions.every((p) => p.ok);
  return report;
}

/** The report as a partner reads it in a terminal or chat. */
export function formatConnectivityReport(report: ConnectivityReport): string {
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  const lines = [
    `Autotask connectivity: ${report.ok ? 'OK' : 'FAILED'}`,
    `Zone:            ${report.zone ? `${report.zone.name ?? '(no name)'} ${report.zone.url} (${report.zone.source === 'lookup' ? 'from the zone lookup' : 'AUTOTASK_BASE_URL'})` : 'not found'}`,
    `Authentication:  ${report.authenticated ? 'OK (user, secret and integration code accepted)' : `FAILED${report.error ? ` — ${report.error.code}` : ''}`}`,
  ];
  if (report.permissions.length) {
    lines.push('Permissions:     entity                      canQuery  canCreate  needed');
    for (const p of report.permissions)
      lines.push(
        `                 ${p.entity.padEnd(28)}${yes(p.canQuery).padEnd(10)}${yes(p.canCreate).padEnd(11)}${[p.needsQuery ? 'query' : '', p.needsCreate ? 'create' : ''].filter(Boolean).join('+')}${p.ok ? '' : '  ← missing'}`,
      );
  }
  if (report.roundTripMs !== null) lines.push(`Round trip:      ${report.roundTripMs} ms`);
  if (report.budget)
    lines.push(
      `Budget used:     ${report.budget.used} of ${report.budget.threshold} requests this hour (${report.budget.percentUsed} %); the bot uses at most ${report.budget.botShare * 100} %`,
    );
  lines.push(`Requests made:   ${report.requestsMade}`);
  if (report.problems.length) {
    lines.push('', 'What to fix:');
    for (const p of report.problems) lines.push(`  - ${p}`);
  }
  return lines.join('\n');
}
