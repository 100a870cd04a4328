// PURE: the rows of a pull held to the rules every other input is held to (the JSON import's
// lengths, money, currencies and dates; no text the database cannot store) before anything is
// stored. A connector's schemas check what the vendor documents; this checks what we store, so a
// vendor row that is odd in a way the vendor allows cannot fail the whole pull at the database.
import { isCalendarDate } from '../core/calendarDate.js';
import { whyUnstorable } from '../subscriptions/storableText.js';
import { CurrencySchema, MoneySchema } from '../subscriptions/subscriptionValues.js';
import type { SourcePull, SourceRowProblem } from './sourceConnector.js';

const LIMITS = { id: 200, name: 200, product: 300, sku: 200, cycle: 40, term: 40 };

function textProblem(
  value: string | undefined,
  field: string,
  max: number,
  required = false,
): string | undefined {
  if (value === undefined || value === '') return required ? `${field} is missing` : undefined;
  if (value.length > max) return `${field} is longer than ${max} characters`;
  const unstorable = whyUnstorable(value);
  return unstorable ? `${field} ${unstorable}` : undefined;
}

const first = (...reasons: (string | undefined)[]) => reasons.find((r) => r !== undefined);

/** The pull without the rows that cannot be stored, and a problem for each (with its id). */
export function storableRows<P extends SourcePull>(pull: P): P {
  const problems: SourceRowProblem[] = [...pull.problems];
  const customers = pull.customers.filter((c) => {
    const reason = first(
      textProblem(c.sourceId, 'the id', LIMITS.id, true),
      textProblem(c.name, 'the name', LIMITS.name, true),
      textProblem(c.tenantId, 'the tenant id', LIMITS.id),
      textProblem(c.domain, 'the domain', LIMITS.name),
    );
    if (reason) problems.push({ entity: 'customer', sourceId: safeId(c.sourceId), reason });
    return !reason;
  });
  const kept = new Set<string>();
  const subscriptions = (pull.subscriptions as SourcePull['subscriptions']).filter((s) => {
    const reason = first(
      textProblem(s.id, 'the id', LIMITS.id, true),
      textProblem(s.productName, 'the product name', LIMITS.product, true),
      textProblem(s.sku, 'the SKU', LIMITS.sku),
      textProblem(s.billingCycle, 'the billing cycle', LIMITS.cycle, true),
      textProblem(s.term?.duration, 'the term', LIMITS.term),
      CurrencySchema.safeParse(s.currency).success ? undefined : 'the currency is not a three-letter code',
      s.unitCost === undefined || MoneySchema.safeParse(s.unitCost).success
        ? undefined
        : 'the unit cost is not an amount',
      s.term?.endDate === undefined || isCalendarDate(s.term.endDate)
        ? undefined
        : 'the commitment end is not a date',
      'state' in s ? stateProblem(s.state as { quantity: number; unitPrice: string }) : undefined,
    );
    if (reason) problems.push({ entity: 'subscription', sourceId: safeId(s.id), reason });
    else kept.add(s.id);
    return !reason;
  }) as P['subscriptions'];
  // every problem is stored (JSON) and shown: its id and words made safe, whoever wrote them
  const safeProblems = (list: SourceRowProblem[]) =>
    list.map((p) => ({ ...p, sourceId: safeId(p.sourceId), reason: safeText(p.reason, 300) }));
  const result = { ...pull, customers, subscriptions, problems };
  if (pull.kind === 'history') {
    const events = pull.events.filter((e) => {
      if (!kept.has(e.subscriptionId)) return false;
      const reason = first(
        isCalendarDate(e.effectiveDate) ? undefined : 'the change date is not a date',
        quantityProblem(e.quantityBefore),
        quantityProblem(e.quantityAfter),
        moneyProblem(e.priceBefore),
        moneyProblem(e.priceAfter),
        textProblem(e.sourceEventId ?? undefined, 'the history id', LIMITS.id * 2),
      );
      if (reason)
        problems.push({ entity: 'history', sourceId: safeId(e.sourceEventId ?? e.subscriptionId), reason });
      return !reason;
    });
    return { ...result, events, problems: safeProblems(problems) } as P;
  }
  return { ...result, problems: safeProblems(problems) } as P;
}

function stateProblem(state: { quantity: number; unitPrice: string }): string | undefined {
  return first(quantityProblem(state.quantity), moneyProblem(state.unitPrice));
}

function quantityProblem(q: number | null | undefined): string | undefined {
  if (q === null || q === undefined) return undefined;
  return Number.isSafeInteger(q) && q >= 0 && q <= 999_999_999
    ? undefined
    : `the quantity ${q} is not a whole number of units`;
}

function moneyProblem(v: string | null | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  return MoneySchema.safeParse(v).success
    ? undefined
    : `the price ${String(v).slice(0, 20)} is not an amount`;
}

/** An id fit to be shown and stored in a finding (it may be the very thing that is wrong). */
function safeId(id: string | undefined): string | undefined {
  return id ? safeText(id, LIMITS.id) : undefined;
}

/** Text with no control characters or unpaired surrogates, at most `max` characters. */
function safeText(text: string, max: number): string {
  let safe = '';
  for (const ch of text.slice(0, max)) safe += ch < ' ' || whyUnstorable(ch) ? '\uFFFD' : ch;
  return safe;
}
