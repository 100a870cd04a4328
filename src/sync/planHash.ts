// The hash of everything a plan was computed from (PURE). If source data, mappings, Autotask
// state or the ledger change before upload, the hash changes and the plan is stale.
import { createHash } from 'node:crypto';

/** JSON with sorted object keys; decimals as plain strings; undefined dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(canonical);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') {
    const maybeDecimal = value as { toFixed?: unknown; constructor?: { name?: string } };
    if (typeof maybeDecimal.toFixed === 'function' && !('length' in (value as object)))
      return `d:${(value as { toFixed(): string }).toFixed()}`;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

const byId = <T extends { id: string | number }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0));

export interface PlanHashInput {
  asOf: string;
  customers: readonly {
    customer: { id: string };
    subscriptions: readonly { id: string }[];
    /** order within one subscription and date matters, so events keep their given order */
    events: readonly { subscriptionId: string; effectiveDate: string }[];
    mapping: unknown;
    autotask: {
      companies: readonly { id: number }[];
      contracts: readonly { id: number }[];
      services: readonly { id: number }[];
      contractServices: readonly { id: number }[];
      units: readonly { id?: number; contractServiceId: number; startDate: string }[];
    };
    ledger: { pushed: readonly { key: string }[]; knownLines: readonly { lineKey: string }[] };
  }[];
}

export function planHash(input: PlanHashInput): string {
  const normalised = {
    asOf: input.asOf,
    customers: [...input.customers]
      .sort((a, b) => (a.customer.id < b.customer.id ? -1 : 1))
      .map((c) => ({
        ...c,
        // targets and findings are sets (looked up by product and cycle); the mapping part reads
        // them in no particular order, and an order alone must not make a plan stale
        mapping: unordered(c.mapping),
        subscriptions: byId(c.subscriptions),
        events: c.events
          .map((e, i) => ({ e, i }))
          .sort(
            (a, b) =>
              cmp(a.e.subscriptionId, b.e.subscriptionId) ||
              cmp(a.e.effectiveDate, b.e.effectiveDate) ||
              a.i - b.i,
          )
          .map((x) => x.e),
        autotask: {
          ...c.autotask,
          companies: byId(c.autotask.companies),
          contracts: byId(c.autotask.contracts),
          services: byId(c.autotask.services),
          contractServices: byId(c.autotask.contractServices),
          units: [...c.autotask.units].sort(
            (a, b) => a.contractServiceId - b.contractServiceId || cmp(a.startDate, b.startDate),
          ),
        },
        ledger: {
          pushed: [...c.ledger.pushed].sort((a, b) => cmp(a.key, b.key)),
          knownLines: [...c.ledger.knownLines].sort((a, b) => cmp(a.lineKey, b.lineKey)),
        },
      })),
  };
  return createHash('sha256').update(canonicalJson(normalised)).digest('hex');
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every array inside, sorted by its items' canonical JSON: for values whose lists are sets. */
function unordered(value: unknown): unknown {
  const c = canonical(value);
  const sortDeep = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortDeep).sort((a, b) => cmp(JSON.stringify(a), JSON.stringify(b)))
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sortDeep(x)]))
        : v;
  return sortDeep(c);
}
