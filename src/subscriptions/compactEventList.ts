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

/** One copy of each short string the tables hold (product names, prices, cycles …). */
class StringPool {
  private readonly strings = new Map<string, string>();

  /** A shallow copy of `value` whose string properties come from the pool. */
  copy<T extends object>(value: T): T {
    const out = { ...value };
    for (const [key, v] of Object.entries(out))
      if (typeof v === 'string') (out as Record<string, unknown>)[key] = this.string(v);
    return out;
  }

  string(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    this.strings.set(value, value);
    return value;
  }

  clear(): void {
    this.strings.clear();
  }
}

/** Equal values (by their JSON) share one index and one object; objects are never mutated. */
class InternTable<T> {
  readonly values: T[] = [];
  /** hash of the JSON → the indexes with that hash: the JSON texts themselves are not kept */
  private index: Map<number, number | number[]> | undefined = new Map();

  constructor(
    private readonly keep: (value: T) => T,
    private readonly key: (value: T) => string = JSON.stringify,
  ) {}

  indexOf(value: T): number {
    if (!this.index) throw new Error('the list is complete: no more events can be added');
    const key = this.key(value);
    const hash = stringHash(key);
    const found = this.index.get(hash);
    if (typeof found === 'number') {
      if (this.key(this.values[found]!) === key) return found;
    } else if (found) {
      for (const i of found) if (this.key(this.values[i]!) === key) return i;
    }
    const i = this.values.push(this.keep(value)) - 1;
    if (found === undefined) this.index.set(hash, i);
    else if (typeof found === 'number') this.index.set(hash, [found, i]);
    else found.push(i);
    return i;
  }

  /** The lookup is only needed while adding. */
  complete(): void {
    this.index = undefined;
  }
}

/** FNV-1a over UTF-16 code units: a fast 32-bit hash (collisions are told apart by the JSON). */
function stringHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const NONE = -1;

/** Integers in a typed array that grows as they are added. */
class IntColumn {
  private data = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  at(i: number): number {
    return this.data[i]!;
  }

  /** Gives back the unused end. */
  trim(): void {
    this.data = this.data.slice(0, this.length);
  }
}

export class CompactEventList implements Iterable<IncomingEvent> {
  private readonly pool = new StringPool();
  private readonly customers = new InternTable<CustomerRef>((v) => this.pool.copy(v));
  private readonly subscriptions = new InternTable<SubscriptionDescription>((v) => this.pool.copy(v));
  private readonly states = new InternTable<SubscriptionState>((v) => this.pool.copy(v));
  private readonly changes = new InternTable<Change>((v) => this.pool.copy(v));
  private readonly dates = new InternTable<string>(
    (v) => this.pool.string(v),
    (v) => v,
  );
  // one entry per event
  private readonly item = new IntColumn();
  private readonly customer = new IntColumn();
  private readonly subscription = new IntColumn();
  private readonly state = new IntColumn();
  private readonly change = new IntColumn();
  private readonly date = new IntColumn();
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
    this.date.push(this.dates.indexOf(effectiveDate));
    this.sourceEventId.push(sourceEventId);
  }

  /** Called once every event is in: frees what adding needed. */
  complete(): this {
    for (const table of [this.customers, this.subscriptions, this.states, this.changes, this.dates])
      table.complete();
    for (const column of [this.item, this.customer, this.subscription, this.state, this.change, this.date])
      column.trim();
    this.pool.clear();
    return this;
  }

  /** The event as it was pushed, except that its subscriptionId is its subscription's id. */
  at(i: number): IncomingEvent {
    const subscription = this.subscriptions.values[this.subscription.at(i)]!;
    const state = this.state.at(i);
    return {
      item: this.item.at(i),
      customer: this.customers.values[this.customer.at(i)]!,
      subscription,
      event: {
        subscriptionId: subscription.id,
        effectiveDate: this.dates.values[this.date.at(i)]!,
        ...this.changes.values[this.change.at(i)]!,
        sourceEventId: this.sourceEventId[i],
      },
      stateAfter: state === NONE ? undefined : this.states.values[state],
    };
  }

  *[Symbol.iterator](): Iterator<IncomingEvent> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
}
