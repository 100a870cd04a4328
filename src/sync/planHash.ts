// The hash of everything a plan was computed from (PURE). If source data, mappings, Autotask
// state or the ledger change before upload, the hash changes and the plan is stale.
import { createHash } from 'node:crypto';

/**
 * JSON with sorted object keys; decimals as plain strings; undefined dropped. Written out
 * directly rather than by building a sorted copy and stringifying it: a plan over 10,000 events
 * hashes several times faster, to the same text.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  writeCanonical(value, parts);
  return parts.join('');
}

function writeCanonical(value: unknown, out: string[]): void {
  if (value === null || value === undefined) {
    out.push('null');
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) out.push(',');
      writeCanonical(item, out);
    });
    out.push(']');
    return;
  }
  if (typeof value !== 'object') {
    out.push(
      typeof value === 'bigint' ? JSON.stringify(value.toString()) : (JSON.stringify(value) ?? 'null'),
    );
    return;
  }
  const leaf = canonicalLeaf(value);
  if (leaf !== undefined) {
    out.push(JSON.stringify(leaf));
    return;
  }
  const keys = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort(cmp);
  out.push('{');
  keys.forEach((k, i) => {
    if (i > 0) out.push(',');
    out.push(JSON.stringify(k), ':');
    writeCanonical((value as Record<string, unknown>)[k], out);
  });
  out.push('}');
}

/** Dates and decimals are written as strings; other objects are walked. */
function canonicalLeaf(value: object): string | undefined {
  if (value instanceof Date) return value.toISOString();
  const maybeDecimal = value as { toFixed?: unknown };
  if (typeof maybeDecimal.toFixed === 'function' && !('length' in value))
    return `d:${(value as { toFixed(): string }).toFixed()}`;
  return undefined;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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

/** Every array inside, sorted by its items' canonical JSON: for values whose lists are sets. */
function unordered(value: unknown): unknown {
  if (Array.isArray(value))
    return value
      .map((item) => {
        const sorted = unordered(item);
        return { sorted, key: canonicalJson(sorted) };
      })
      .sort((a, b) => cmp(a.key, b.key))
      .map((x) => x.sorted);
  if (value === null || typeof value !== 'object') return value;
  if (canonicalLeaf(value) !== undefined) return value;
  return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, unordered(x)]));
}
