// The validation card: ✅/❌ headline, per-customer summary, the first errors with fix hints, the
// corrections of hand edits it plans (`correct`, docs/drift-watch.md), "Show all" (the run's full
// grid) and "Request upload" when clean and not empty.
import { explainButtons } from './explainCard.js';
import { formatProblem } from '../core/problem.js';
import { Decimal } from 'decimal.js';
import { card, type Card, type CardBlock } from './cardModel.js';
import { andMore, formatCount, formatDuration, formatMoney, formatSigned } from './cardFormat.js';
import type { ValidationResult } from './chatServices.js';

const FIRST_ERRORS = 5;
const CUSTOMER_ROWS = 25;

export function validationCard(result: ValidationResult): Card {
  const errors = result.issues.filter((i) => i.severity === 'error');
  const warnings = result.issues.length - errors.length;
  const operations = result.customers.reduce((n, c) => n + c.operations, 0);
  const apiCalls = result.customers.reduce((n, c) => n + c.apiCalls, 0);
  const headline = result.ok
    ? `✅ Valid — ${formatCount(operations)} operations for ${formatCount(result.customers.length)} customers`
    : `❌ ${formatCount(errors.length)} errors — nothing can be uploaded until they are fixed`;
  const shownCustomers = result.customers.slice(0, CUSTOMER_ROWS);
  const currencies = new Set(result.customers.map((c) => c.currency));
  const blocks: CardBlock[] = [
    { type: 'header', text: headline },
    {
      type: 'table',
      columns: [
        'customer',
        'subscriptions',
        'operations',
        'net units',
        'monthly change',
        'API calls',
        'time',
      ],
      rows: shownCustomers.map((c) => [
        c.customerName,
        formatCount(c.subscriptions),
        formatCount(c.operations),
        formatSigned(c.netUnits),
        formatMoney(c.monthlyRevenueChange, c.currency),
        formatCount(c.apiCalls),
        formatDuration(c.estimatedSeconds),
      ]),
      omittedRows: result.customers.length - shownCustomers.length,
    },
  ];
  if (currencies.size === 1 && result.customers.length > 1) {
    const total = result.customers.reduce((sum, c) => sum.plus(c.monthlyRevenueChange), new Decimal(0));
    blocks.push({
      type: 'context',
      items: [
        `Total monthly change ${formatMoney(total, [...currencies][0]!)} · ${formatCount(apiCalls)} API calls`,
      ],
    });
  }
  if (errors.length > 0) {
    const lines = errors
      .slice(0, FIRST_ERRORS)
      .map(
        (i) =>
          `❌ *${i.customerName}*${i.subscription ? ` · ${i.subscription}` : ''}: ${formatProblem(i.error)}`,
      );
    if (errors.length > FIRST_ERRORS) lines.push(andMore(errors.length - FIRST_ERRORS));
    blocks.push({ type: 'text', text: lines.join('\n') });
  }
  const corrections = result.issues.filter((i) => i.error.code === 'DRIFT_CORRECTION');
  if (corrections.length > 0)
    blocks.push({
      type: 'text',
      text: [
        ...corrections
          .slice(0, FIRST_ERRORS)
          .map(
            (i) =>
              `🔧 *${i.customerName}*${i.subscription ? ` · ${i.subscription}` : ''}: ${i.error.message}`,
          ),
        ...(corrections.length > FIRST_ERRORS ? [andMore(corrections.length - FIRST_ERRORS)] : []),
      ].join('\n'),
    });
  if (warnings > corrections.length)
    blocks.push({ type: 'context', items: [`⚠️ ${formatCount(warnings - corrections.length)} warnings`] });
  // a clean plan with nothing in it: Autotask has all of it already, so there is nothing to request
  const uploadable = result.ok && operations > 0;
  if (result.ok && operations === 0)
    blocks.push({ type: 'text', text: 'Nothing to upload: Autotask already has every change.' });
  blocks.push({
    type: 'actions',
    elements: [
      { type: 'button', label: 'Show all', command: `run ${result.runId}` },
      ...explainButtons(result.explainable),
      ...(uploadable
        ? [
            {
              type: 'button' as const,
              label: 'Request upload',
              command: `upload ${result.runId}`,
              style: 'primary' as const,
            },
          ]
        : []),
    ],
  });
  blocks.push({ type: 'context', items: [`Run ${result.runId}`] });
  return card('validation', headline, blocks);
}
