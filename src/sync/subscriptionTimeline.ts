// Replays one subscription's history into its state after each date (PURE). Checks that the
// before/after values chain; a history that doesn't is reported, never guessed at.
import { Decimal } from 'decimal.js';
import { finding, type Finding } from './validationFinding.js';
import { EVENT_KINDS, type SubscriptionEventInput, type SubscriptionInput } from './syncInputs.js';

export interface SubscriptionState {
  status: string;
  quantity: number;
  price: Decimal;
  cycle: string;
}

export interface DatedState {
  date: string;
  state: SubscriptionState;
}

export interface ReplayedHistory {
  /** the state after each date that must be pushed; with a cutover, the first is the opening state */
  steps: DatedState[];
  findings: Finding[];
}

/** Events of one subscription in date order; events of one date keep the order they were given in. */
export function orderEvents(events: readonly SubscriptionEventInput[]): SubscriptionEventInput[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) =>
      a.event.effectiveDate < b.event.effectiveDate
        ? -1
        : a.event.effectiveDate > b.event.effectiveDate
          ? 1
          : a.index - b.index,
    )
    .map((x) => x.event);
}

export function replayHistory(
  subscription: SubscriptionInput,
  events: readonly SubscriptionEventInput[],
  options: { cutoverDate: string | null; asOf: string },
): ReplayedHistory {
  const about = {
    customerId: subscription.customerId,
    subscriptionId: subscription.id,
    productName: subscription.productName,
  };
  const problems: string[] = [];
  const ordered = orderEvents(events);
  if (ordered.length === 0) problems.push('it has no history at all');

  let state: SubscriptionState | null = null;
  const steps: DatedState[] = [];
  const { cutoverDate, asOf } = options;

  for (const event of ordered) {
    const where = `${event.kind} on ${event.effectiveDate}`;
    if (event.effectiveDate > asOf) problems.push(`${where} lies in the future (today is ${asOf})`);
    if (!(EVENT_KINDS as readonly string[]).includes(event.kind)) {
      problems.push(`${where} is not a known kind of change`);
      continue;
    }
    if (state === null && event.kind !== 'created') {
      if (event.quantityBefore == null) {
        problems.push(`the history starts with ${where} instead of "created"`);
        continue;
      }
      state = {
        status: event.statusBefore ?? 'active',
        quantity: event.quantityBefore,
        price: event.priceBefore ?? subscription.unitPrice,
        cycle: event.billingCycleBefore ?? subscription.billingCycle,
      };
    }
    const before: SubscriptionState | null = state;
    const chain = (field: string, expected: string, given: string | null | undefined) => {
      if (given != null && given !== expected)
        problems.push(`${where} says the ${field} was ${given}, but the history before it gives ${expected}`);
    };
    switch (event.kind) {
      case 'created':
        if (before !== null) problems.push(`${where} comes after the subscription already existed`);
        if (event.quantityAfter == null) {
          problems.push(`${where} has no quantity`);
          continue;
        }
        state = {
          status: event.statusAfter ?? 'active',
          quantity: event.quantityAfter,
          price: event.priceAfter ?? subscription.unitPrice,
          cycle: event.billingCycleAfter ?? subscription.billingCycle,
        };
        break;
      case 'quantity_changed':
        chain('quantity', String(before!.quantity), event.quantityBefore?.toString());
        if (event.quantityAfter == null) {
          problems.push(`${where} has no new quantity`);
          continue;
        }
        state = { ...before!, quantity: event.quantityAfter };
        break;
      case 'suspended':
      case 'cancelled':
        chain('status', before!.status, event.statusBefore);
        state = { ...before!, status: event.kind };
        break;
      case 'reactivated':
        chain('status', before!.status, event.statusBefore);
        state = { ...before!, status: 'active', quantity: event.quantityAfter ?? before!.quantity };
        break;
      case 'price_changed':
        if (event.priceBefore != null && !event.priceBefore.eq(before!.price))
          problems.push(
            `${where} says the price was ${event.priceBefore.toFixed()}, but the history before it gives ${before!.price.toFixed()}`,
          );
        if (event.priceAfter == null) {
          problems.push(`${where} has no new price`);
          continue;
        }
        state = { ...before!, price: event.priceAfter };
        break;
      case 'billing_cycle_changed':
        chain('billing cycle', before!.cycle, event.billingCycleBefore);
        if (event.billingCycleAfter == null) {
          problems.push(`${where} has no new billing cycle`);
          continue;
        }
        state = { ...before!, cycle: event.billingCycleAfter };
        break;
    }
    if (state!.quantity < 0) problems.push(`${where} leaves a negative quantity (${state!.quantity})`);

    // Before the cutover, history only shapes the opening state (pushed once, on the cutover date).
    const date =
      cutoverDate !== null && event.effectiveDate < cutoverDate ? cutoverDate : event.effectiveDate;
    const last = steps[steps.length - 1];
    if (last && last.date === date) last.state = state!;
    else steps.push({ date, state: state! });
  }

  if (problems.length > 0) {
    return {
      steps: [],
      findings: [
        finding(
          'HISTORY_INCONSISTENT',
          about,
          `the history of ${subscription.productName} (${subscription.id}) does not add up: ${problems.join('; ')}`,
          'correct or re-import the history of this subscription, then validate again',
        ),
      ],
    };
  }
  return { steps, findings: [] };
}
