// The partner's subscription sources (docs/sources.md): `source add` tests the connection and,
// if it answers, turns the source on (a setting, audited) with its daily pull (a repeating job);
// `source remove` turns it off; `sources` lists each with its last pull. Credentials are never
// typed into chat: they are settings of the bot (README "Subscription sources").
import { z } from 'zod';
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import { problem, type Problem } from '../core/problem.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { readSetting, writeSetting } from '../settings/settingsStore.js';
import { SOURCE_NAMES, type SourceConnector, type SourceName } from '../sources/sourceConnector.js';
import { isSourceError } from '../sources/sourceError.js';
import { SourceFindingListSchema } from '../sources/sourceFinding.js';
import { SOURCE_LABEL } from '../sources/pullSummary.js';
import type { AddSourceOutcome, SourceView, TestSourceOutcome } from '../sources/sourceView.js';
import { ProblemSchema } from '../core/problem.js';
import { notConfigured } from './pullSource.js';

/** What the registry needs from the job queue (JobScheduler implements it). */
export interface SourceQueue {
  putSourcePull(input: { source: SourceName; cron: string }): Promise<{ nextRunAt: Date | null }>;
  removeSourcePull(source: SourceName): Promise<void>;
  nextSourcePullAt(source: SourceName): Promise<Date | null>;
}

export interface SourceRegistryDependencies {
  prisma: PrismaClient;
  connectors: Partial<Record<SourceName, SourceConnector>>;
  /** "live" with the partner's credentials, "stand-in" in the demo */
  modes: Partial<Record<SourceName, 'live' | 'stand-in'>>;
  /** the daily pull's cron (SOURCE_PULL_CRON) */
  pullCron: string;
  queue: () => Promise<SourceQueue>;
}

const SourceSettingSchema = z.object({ addedBy: z.string(), addedAt: z.string(), cron: z.string() });
const settingKey = (source: SourceName) => `source.${source}`;

export async function addSource(
  deps: SourceRegistryDependencies,
  input: { source: SourceName; actor: Actor },
): Promise<AddSourceOutcome> {
  const tested = await testSource(deps, input);
  if (!tested.ok) {
    await recordAudit(deps.prisma, {
      actor: input.actor,
      action: 'source.add_refused',
      outcome: 'denied',
      details: { source: input.source, ...tested.error },
    });
    return { ok: false, error: tested.error, report: tested.report };
  }
  const failed = tested.report.checks.find((c) => c.outcome === 'failed');
  if (failed) {
    const error =
      failed.problem ??
      problem(
        'SOURCE_TEST_FAILED',
        `${SOURCE_LABEL[input.source]}: ${failed.name} — ${failed.detail}`,
        'fix it, then add the source again',
      );
    await recordAudit(deps.prisma, {
      actor: input.actor,
      action: 'source.add_refused',
      outcome: 'denied',
      details: { source: input.source, ...error },
    });
    return { ok: false, error, report: tested.report };
  }
  // the job first: a source shown as on always has its daily pull
  await (await deps.queue()).putSourcePull({ source: input.source, cron: deps.pullCron });
  await writeSetting(
    deps.prisma,
    settingKey(input.source),
    SourceSettingSchema,
    { addedBy: input.actor.id, addedAt: new Date().toISOString(), cron: deps.pullCron },
    input.actor,
  );
  return { ok: true, source: await sourceView(deps, input.source), report: tested.report };
}

export async function removeSource(
  deps: SourceRegistryDependencies,
  input: { source: SourceName; actor: Actor },
): Promise<{ ok: boolean; error?: Problem }> {
  const setting = await deps.prisma.setting.findUnique({ where: { key: settingKey(input.source) } });
  if (!setting)
    return {
      ok: false,
      error: problem(
        'SOURCE_NOT_ADDED',
        `${SOURCE_LABEL[input.source]} is not a source yet`,
        'see `sources`',
      ),
    };
  await (await deps.queue()).removeSourcePull(input.source);
  await deps.prisma.$transaction(async (tx) => {
    await tx.setting.delete({ where: { key: settingKey(input.source) } });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'source.removed',
      details: { source: input.source, before: setting.value },
    });
  });
  return { ok: true };
}

export async function listSources(deps: SourceRegistryDependencies): Promise<SourceView[]> {
  return Promise.all(SOURCE_NAMES.map((s) => sourceView(deps, s)));
}

/** Whether the source is on (`source add`): the daily job pulls only those. */
export async function sourceEnabled(prisma: PrismaClient, source: SourceName): Promise<boolean> {
  return (await readSetting(prisma, settingKey(source), SourceSettingSchema.nullable(), null)) !== null;
}

async function sourceView(deps: SourceRegistryDependencies, source: SourceName): Promise<SourceView> {
  const setting = await readSetting(deps.prisma, settingKey(source), SourceSettingSchema.nullable(), null);
  const last = await deps.prisma.sourcePull.findFirst({
    where: { source, outcome: { not: 'running' } },
    orderBy: { startedAt: 'desc' },
  });
  return {
    source,
    label: SOURCE_LABEL[source],
    mode: deps.connectors[source] ? (deps.modes[source] ?? 'live') : 'not configured',
    enabled: setting !== null,
    addedBy: setting?.addedBy ?? null,
    cron: setting?.cron ?? null,
    nextPullAt: setting ? await (await deps.queue()).nextSourcePullAt(source) : null,
    lastPull: last
      ? {
          pullId: last.id,
          outcome: last.outcome,
          pullDate: last.pullDate,
          startedAt: last.startedAt,
          finishedAt: last.finishedAt,
          customers: last.customers,
          subscriptions: last.subscriptions,
          eventsNew: last.eventsNew,
          eventsAlreadyStored: last.eventsAlreadyStored,
          requests: last.requests,
          // stored JSON, parsed: a row this version cannot read shows as no findings, not a crash
          findings: SourceFindingListSchema.catch([]).parse(last.findings),
          problem: last.problem === null ? null : ProblemSchema.nullable().catch(null).parse(last.problem),
        }
      : null,
  };
}

/** `source test <name>`: credentials, permissions, counts and latency — read only, audited. */
export async function testSource(
  deps: Pick<SourceRegistryDependencies, 'prisma' | 'connectors'>,
  input: { source: SourceName; actor: Actor },
): Promise<TestSourceOutcome> {
  const connector = deps.connectors[input.source];
  if (!connector) return { ok: false, error: notConfigured(input.source), report: null };
  try {
    const report = await connector.test();
    await recordAudit(deps.prisma, {
      actor: input.actor,
      action: 'source.tested',
      outcome: report.checks.some((c) => c.outcome === 'failed') ? 'failed' : 'ok',
      details: {
        source: input.source,
        checks: report.checks.map((c) => ({ name: c.name, outcome: c.outcome })),
        counts: report.counts,
        requests: report.requests,
      },
    });
    return { ok: true, report };
  } catch (error) {
    if (!isSourceError(error)) throw error;
    await recordAudit(deps.prisma, {
      actor: input.actor,
      action: 'source.tested',
      outcome: 'failed',
      details: { source: input.source, ...error.problem },
    });
    return { ok: false, error: error.problem, report: null };
  }
}
