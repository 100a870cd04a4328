// The hash of everything a plan was computed from (PURE). If source data, mappings, Autotask
// state or the ledger change before upload, the hash changes and the plan is stale.
import { createHash } from 'node:crypto';

/**
 * JSON with sorted object keys; decimals as plain strings; undefined dropped. Written out
 * directly rather than by building a sorted copy and stringifying it: a plan over 10,000 events
 * hashes several times faster, to the same text.
 */
export function canonicalJson(value: unknown): string {
  const out = new Sink();
  writeCanonical(value, out);
  return out.end();
}

/**
 * Where canonical JSON is written: text gathered in pieces, handed on (to a hash) as it grows, so
 * no list of a million pieces is kept.
 */
class Sink {
  private text = '';
  private done = '';
  constructor(private readonly flush?: (text: string) => void) {}

  push(piece: string): void {
    this.text += piece;
    if (this.text.length < 65_536) return;
    if (this.flush) this.flush(this.text);
    else this.done += this.text;
    this.text = '';
  }

  end(): string {
    if (!this.flush) return this.done + this.text;
    this.flush(this.text);
    return '';
  }
}

function writeCanonical(value: unknown, out: Sink): void {
  if (value === null || value === undefined) {
    out.push('null');
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      writeCanonical(value[i], out);
    }
    out.push(']');
    return;
  }
  if (typeof value !== 'object') {
    out.push(primitiveJson(value));
    return;
  }
  if (value instanceof Written) {
    out.push(value.json);
    return;
  }
  const leaf = canonicalLeaf(value);
  if (leaf !== undefined) {
    out.push(JSON.stringify(leaf));
    return;
  }
  const record = value as Record<string, unknown>;
  const { sorted, quoted } = shapeOf(record);
  let first = true;
  out.push('{');
  for (let i = 0; i < sorted.length; i++) {
    const item = record[sorted[i]!];
    if (item === undefined) continue;
    out.push(first ? quoted[i]! : `,${quoted[i]!}`);
    first = false;
    writeCanonical(item, out);
  }
  out.push('}');
}

/** A value whose canonical JSON is already written (the mapping's, sorted as a set). */
class Written {
  constructor(readonly json: string) {}
}

const primitiveJson = (value: unknown): string =>
  typeof value === 'bigint' ? JSON.stringify(value.toString()) : (JSON.stringify(value) ?? 'null');

/**
 * An object's keys sorted (and quoted), remembered by the keys in the order they come in: rows
 * of one kind share it, so each shape is sorted once. Pure (the keys decide it) and bounded.
 */
interface Shape {
  keys: string[];
  sorted: string[];
  /** `"key":` for each sorted key */
  quoted: string[];
}
const shapesByFirstKey = new Map<string, Shape[]>();
let shapeCount = 0;
const MAX_SHAPES = 1_000;
const NO_KEYS: Shape = { keys: [], sorted: [], quoted: [] };

function shapeOf(record: Record<string, unknown>): Shape {
  const keys = Object.keys(record);
  if (keys.length === 0) return NO_KEYS;
  const candidates = shapesByFirstKey.get(keys[0]!);
  if (candidates) for (const shape of candidates) if (sameKeys(shape.keys, keys)) return shape;
  if (shapeCount >= MAX_SHAPES) {
    shapesByFirstKey.clear();
    shapeCount = 0;
  }
  const sorted = [...keys].sort(cmp);
  const shape = { keys, sorted, quoted: sorted.map((k) => `${JSON.stringify(k)}:`) };
  shapesByFirstKey.set(keys[0]!, [...(shapesByFirstKey.get(keys[0]!) ?? []), shape]);
  shapeCount++;
  return shape;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
        mapping: new Written(unorderedJson(c.mapping, new WeakMap())),
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
  const hash = createHash('sha256');
  const out = new Sink((text) => hash.update(text));
  writeCanonical(normalised, out);
  out.end();
  return hash.digest('hex');
}

/**
 * The canonical JSON of the value with every array inside sorted by its items' canonical JSON:
 * for values whose lists are sets. An object met again (the mapping's products share their
 * services and contracts) is written once per hash: `seen` lives for one call.
 */
function unorderedJson(value: unknown, seen: WeakMap<object, string>): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return primitiveJson(value);
  const known = seen.get(value);
  if (known !== undefined) return known;
  let json: string;
  if (Array.isArray(value))
    json = `[${value
      .map((item) => unorderedJson(item, seen))
      .sort(cmp)
      .join(',')}]`;
  else {
    const leaf = canonicalLeaf(value);
    if (leaf !== undefined) json = JSON.stringify(leaf);
    else {
      const record = value as Record<string, unknown>;
      const { sorted, quoted } = shapeOf(record);
      const fields: string[] = [];
      for (let i = 0; i < sorted.length; i++) {
        const item = record[sorted[i]!];
        if (item !== undefined) fields.push(quoted[i]! + unorderedJson(item, seen));
      }
      json = `{${fields.join(',')}}`;
    }
  }
  seen.set(value, json);
  return json;
}
