// Autotask's REST dialect as callers write it, turned into the sandbox's one spelling before any
// rule reads a body. Autotask deserialises JSON case-insensitively: `Filter`/`filter`,
// `includeFields`/`IncludeFields`, `Op`/`op`, `EQ`/`eq` and `ContractID`/`contractID` are the same
// thing to it (its own swagger spells write bodies in PascalCase). The client's QueryBodySchema
// stays as it is; this is a sandbox-side step in front of it (docs/autotask-facts.md, "The REST dialect").
import { COMPARISON_OPERATORS } from '../../autotask/queryFilter.js';

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A lookup from any spelling to the canonical one. */
function spellings(names: readonly string[]): Map<string, string> {
  return new Map(names.map((n) => [n.toLowerCase(), n] as const));
}

const QUERY_KEYS = spellings(['filter', 'IncludeFields', 'MaxRecords']);
const CONDITION_KEYS = spellings(['op', 'field', 'value', 'items', 'udf']);
const OPERATORS = spellings([...COMPARISON_OPERATORS, 'and', 'or']);

/** Keys renamed through `canonical`; unknown keys keep their spelling (a later key of the same name wins, as in JSON.NET). */
function renameKeys(record: Json, canonical: Map<string, string>): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(record)) out[canonical.get(key.toLowerCase()) ?? key] = value;
  return out;
}

function normaliseCondition(condition: unknown): unknown {
  if (!isRecord(condition)) return condition;
  const c = renameKeys(condition, CONDITION_KEYS);
  if (typeof c.op === 'string') c.op = OPERATORS.get(c.op.toLowerCase()) ?? c.op;
  if (Array.isArray(c.items)) c.items = c.items.map(normaliseCondition);
  return c;
}

/**
 * A query or count body (POST body, or the `search` parameter of a GET) in the sandbox's spelling:
 * `filter`, `IncludeFields`, `MaxRecords`; conditions with `op`/`field`/`value`/`items`/`udf`;
 * operators as COMPARISON_OPERATORS spells them. Anything else is left for the schema to judge.
 */
export function normaliseQueryBody(body: unknown): unknown {
  if (!isRecord(body)) return body;
  const b = renameKeys(body, QUERY_KEYS);
  if (Array.isArray(b.filter)) b.filter = b.filter.map(normaliseCondition);
  return b;
}

/** A write body with the entity's field names, or the fields the entity does not have. */
export type CanonicalWriteBody = { body: unknown } | { unknownFields: string[] };

/**
 * A write body (POST/PATCH/PUT) with each key renamed to the entity's own field name, matched
 * case-insensitively against `fieldNames` (the entity's entityInformation/fields). A key that
 * names no field is reported: Autotask refuses the whole write then.
 */
export function canonicalWriteBody(body: unknown, fieldNames: readonly string[]): CanonicalWriteBody {
  if (!isRecord(body)) return { body };
  const canonical = spellings(fieldNames);
  const unknownFields = Object.keys(body).filter((k) => !canonical.has(k.toLowerCase()));
  return unknownFields.length ? { unknownFields } : { body: renameKeys(body, canonical) };
}

/** The `search` parameter of `GET /{Entity}/query?search=…`: the query body as JSON text. */
export function searchParameter(url: URL): { body: unknown } | { problem: string } {
  const text = url.searchParams.get('search');
  if (text === null || text.trim() === '')
    return {
      problem:
        'The search parameter is required: send the query body as URL-encoded JSON, like search={"filter":[{"op":"exist","field":"id"}]}.',
    };
  try {
    return { body: JSON.parse(text) };
  } catch {
    return { problem: 'The search parameter is not valid JSON: send the query body as URL-encoded JSON.' };
  }
}
