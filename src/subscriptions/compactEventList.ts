// A big batch's events, held compactly. A 100,000-event file repeats its customers,
// subscriptions, states, dates and changes on many rows: each distinct one is kept once, and an
// event is a handful of numbers pointing at them (plus its own source event id). Iterating gives
// IncomingEvent objects again — fresh and short-lived, sharing those parts — so the store can
// walk a batch several times without all of its events existing as objects at once.
import type { HistoryEvent } from './historyEvent.js';
import type { CustomerRef, IncomingEvent, SubscriptionDescription } from './incomingEvent.js';
import type { SubscriptionState } from './subscriptionValues.js';

/** What an event says beyond whose it is, when and under which source id. */
type Change = Omit<HistoryEvent, 'subscriptionId' | 'effectiveDate' | 'sourceEventId'>;

/** Equal values (by their JSON) share one index and one object; objects are never mutated. */
class InternTable<T> {
  readonly values: T[] = [];
  private index: Map<string, number> | undefined = new Map();

  indexOf(value: T, key: string = JSON.stringify(value)): number {
    if (!this.index) throw new Error('the list is complete: no more events can be added');
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.values.push(value) - 1;
      this.index.set(key, i);
    }
    return i;
  }

  /** The lookup is only needed while adding: its keys are as big as the values. */
  complete(): void {
    this.index = undefined;
  }
}

const NONE = -1;

export class CompactEventList implements Iterable<IncomingEvent> {
  private readonly customers = new InternTable<CustomerRef>();
  private readonly subscriptions = new InternTable<SubscriptionDescription>();
  private readonly states = new InternTable<SubscriptionState>();
  private readonly changes = new InternTable<Change>();
  private readonly dates = new InternTable<string>();
  // one entry per event
  private readonly item: number[] = [];
  private readonly customer: number[] = [];
  private readonly subscription: number[] = [];
  private readonly state: number[] = [];
  private readonly change: number[] = [];
  private readonly date: number[] = [];
  private readonly sourceEventId: (string | null | undefined)[] = [];

  get length(): number {
    return this.item.length;
  }

  push(e: IncomingEvent): void {
    const { subscriptionId: _id, effectiveDate, sourceEventId, ...change } = e.event;
    this.item.push(e.item);
    this.customer.push(this.customers.indexOf(e.customer));
    this.subscription.push(this.subscriptions.indexOf(e.subscription));
    this.state.push(e.stateAfter ? this.states.indexOf(e.stateAfter) : NONE);
    this.change.push(this.changes.indexOf(change));
    this.date.push(this.dates.indexOf(effectiveDate, effectiveDate));
    this.sourceEventId.push(sourceEventId);
  }

  /** Called once every event is in: frees what adding needed. */
  complete(): this {
    for (const table of [this.customers, this.subscriptions, this.states, this.changes, this.dates])
      table.complete();
    return this;
  }

  /** The event as it was pushed, except that its subscriptionId is its subscription's id. */
  at(i: number): IncomingEvent {
    const subscription = this.subscriptions.values[this.subscription[i]!]!;
    const state = this.state[i]!;
    return {
      item: this.item[i]!,
      customer: this.customers.values[this.customer[i]!]!,
      subscription,
      event: {
        subscriptionId: subscription.id,
        effectiveDate: this.dates.values[this.date[i]!]!,
        ...this.changes.values[this.change[i]!]!,
        sourceEventId: this.sourceEventId[i],
      },
      stateAfter: state === NONE ? undefined : this.states.values[state],
    };
  }

  *[Symbol.iterator](): Iterator<IncomingEvent> {
    for (let i = 0; i < this.item.length; i++) yield this.at(i);
  }
}
