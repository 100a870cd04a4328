// Replays one subscription's history into its state after each date (PURE). Checks that the
// before/after values chain; a history that doesn't is reported, never guessed at.
import { Decimal } from 'decimal.js';
import { finding, type Finding } from './validationFinding.js';
import { EVENT_KINDS } from '../subscriptions/subscriptionValues.js';
import type { SubscriptionEventInput, SubscriptionInput } from './syncInputs.js';

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

/** The state one side (before or after) of an event states; what it leaves out is the subscription's own. */
function stateOf(
  subscription: SubscriptionInput,
  status: string | null | undefined,
  quantity: number,
  price: Decimal | null | undefined,
  cycle: string | null | undefined,
): SubscriptionState {
  return {
    status: status ?? 'active',
    quantity,
    price: price ?? subscription.unitPrice,
    cycle: cycle ?? subscription.billingCycle,
  };
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
      state = stateOf(
        subscription,
        event.statusBefore,
        event.quantityBefore,
        event.priceBefore,
        event.billingCycleBefore,
      );
    }
    const before: SubscriptionState | null = state;
    const chain = (field: string, expected: string, given: string | null | undefined) => {
      if (given != null && given !== expected)
        problems.push(`${where} says the ${field} was ${given}, but the history before it gives ${expected}`);
    };
    // an event that does not say what it changes to is noted and passed over
    const lacks = <T>(value: T | null | undefined, what: string): value is null | undefined => {
      if (value != null) return false;
      problems.push(`${where} has no ${what}`);
      return true;
    };
    switch (event.kind) {
      case 'created':
        if (before !== null) problems.push(`${where} comes after the subscription already existed`);
        if (lacks(event.quantityAfter, 'quantity')) continue;
        state = stateOf(
          subscription,
          event.statusAfter,
          event.quantityAfter,
          event.priceAfter,
          event.billingCycleAfter,
        );
        break;
      case 'quantity_changed':
        chain('quantity', String(before!.quantity), event.quantityBefore?.toString());
        if (lacks(event.quantityAfter, 'new quantity')) continue;
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
        if (lacks(event.priceAfter, 'new price')) continue;
        state = { ...before!, price: event.priceAfter };
        break;
      case 'billing_cycle_changed':
        chain('billing cycle', before!.cycle, event.billingCycleBefore);
        if (lacks(event.billingCycleAfter, 'new billing cycle')) continue;
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
