// `audit [customer] [since <date>]`: the newest audit records.
import type { AuditRecordView } from '../audit/auditLog.js';
import { card, type Card } from './cardModel.js';
import { formatTimestamp } from './cardFormat.js';

export function auditCard(records: AuditRecordView[], scope: string, more: boolean): Card {
  return card('audit', `${records.length} audit records${scope ? ` for ${scope}` : ''}.`, [
    { type: 'header', text: `Audit log${scope ? ` — ${scope}` : ''}` },
    records.length === 0
      ? { type: 'text', text: 'No audit records match.' }
      : {
          type: 'table',
          columns: ['when', 'who', 'what', 'outcome'],
          rows: records.map((r) => [formatTimestamp(r.at), r.actorId, r.action, r.outcome]),
          ...(more ? { omittedRows: 1 } : {}),
        },
  ]);
}
