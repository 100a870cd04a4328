// Partner Center activity (audit) records as dated subscription changes (docs/sources-partner-center.md
// "Activity records"): a succeeded record of resourceType `subscription` whose resource value
// before and after differ in quantity, status or billing cycle tells that change and its day.
// Microsoft writes quantity changes, suspensions, reactivations and cancellations all as
// `update_subscription`, so the values are compared rather than the operation's name.
import type { SourceActivity, SourceRowProblem } from '../sourceConnector.js';
import { AuditedSubscriptionSchema, AuditRecordSchema } from './partnerCenterSchemas.js';

const COMPARED = [
  ['quantity', 'Quantity'],
  ['status', 'Status'],
  ['billingCycle', 'BillingCycle'],
] as const;

export type ActivityReading = { activity: SourceActivity[] } | { problem: SourceRowProblem };

/** The changes one audit record tells (none for records about anything but a subscription). */
export function activityOfRecord(row: unknown): ActivityReading {
  const parsed = AuditRecordSchema.safeParse(row);
  if (!parsed.success) return { problem: rowProblem(row, parsed.error.issues[0]?.message ?? 'not readable') };
  const record = parsed.data;
  if (record.resourceType.toLowerCase() !== 'subscription') return { activity: [] };
  if (record.operationStatus && record.operationStatus.toLowerCase() !== 'succeeded') return { activity: [] };
  const before = auditedValue(record.resourceOldValue);
  const after = auditedValue(record.resourceNewValue);
  if (before === 'unreadable' || after === 'unreadable' || !after)
    return {
      problem: {
        entity: 'activity',
        sourceId: record.id,
        reason: 'resourceNewValue is not a subscription as JSON text',
      },
    };
  const subscriptionId = String(after['Id'] ?? after['id'] ?? before?.['Id'] ?? before?.['id'] ?? '');
  if (!subscriptionId)
    return {
      problem: { entity: 'activity', sourceId: record.id, reason: 'the record names no subscription id' },
    };
  const date = record.operationDate.slice(0, 10);
  const activity: SourceActivity[] = COMPARED.filter(([camel, pascal]) => {
    const was = before?.[pascal] ?? before?.[camel];
    const is = after[pascal] ?? after[camel];
    return before !== undefined && JSON.stringify(was) !== JSON.stringify(is);
  }).map(([change]) => ({ subscriptionId, change, date, recordId: record.id }));
  return { activity };
}

function auditedValue(text: string | null | undefined): Record<string, unknown> | undefined | 'unreadable' {
  if (text === null || text === undefined || text === '') return undefined;
  try {
    const parsed = AuditedSubscriptionSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

function rowProblem(row: unknown, reason: string): SourceRowProblem {
  const id = row && typeof row === 'object' ? (row as Record<string, unknown>)['id'] : undefined;
  return { entity: 'activity', sourceId: typeof id === 'string' ? id : undefined, reason };
}
