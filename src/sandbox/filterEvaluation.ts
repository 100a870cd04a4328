// Evaluates an Autotask query filter against one sandbox row, the way Autotask's SQL Server
// does it: field names and text compare case-insensitively, date-only values compare as dates.
import type { FilterCondition, FilterValue } from '../autotask/queryFilter.js';
import { AUTOTASK_DATE_PATTERN } from '../autotask/entities.js';

/** A filter the sandbox refuses, with Autotask-style wording. */
export class FilterError extends Error {}

type Row = Record<string, unknown>;

function comparable(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string')
    return AUTOTASK_DATE_PATTERN.test(value) ? value.slice(0, 10) : value.toLowerCase();
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value).toLowerCase();
}

function fieldValue(row: Row, field: string, entityName: string): unknown {
  const key = Object.keys(row).find((k) => k.toLowerCase() === field.toLowerCase());
  if (key === undefined) throw new FilterError(`Unable to find ${field} in the ${entityName} Entity.`);
  return row[key];
}

/** A user-defined field's value: rows carry them as `userDefinedFields: [{ name, value }]`. */
function udfValue(row: Row, name: string): unknown {
  const list = Array.isArray(row.userDefinedFields) ? (row.userDefinedFields as unknown[]) : [];
  for (const entry of list) {
    if (entry === null || typeof entry !== 'object') continue;
    const { name: n, value } = entry as { name?: unknown; value?: unknown };
    if (typeof n === 'string' && n.toLowerCase() === name.toLowerCase()) return value;
  }
  return null;
}

const inSets = new WeakMap<object, Set<unknown>>();

function compare(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

export function matchesFilter(row: Row, condition: FilterCondition, entityName: string): boolean {
  if ('items' in condition)
    return condition.op === 'and'
      ? condition.items.every((c) => matchesFilter(row, c, entityName))
      : condition.items.some((c) => matchesFilter(row, c, entityName));
  const raw = condition.udf ? udfValue(row, condition.field) : fieldValue(row, condition.field, entityName);
  const actual = comparable(raw);
  const { op, value } = condition;
  if (op === 'exist') return actual !== null && actual !== '';
  if (op === 'notExist') return actual === null || actual === '';
  if (op === 'in' || op === 'notIn') {
    if (!Array.isArray(value) || value.length === 0)
      throw new FilterError(`The ${op} operator needs a list of values for ${condition.field}.`);
    // one Set per filter, not per row: `in` lists run to 500 values over thousands of rows
    let set = inSets.get(value);
    if (!set) inSets.set(value, (set = new Set(value.map(comparable))));
    const found = set.has(actual);
    return op === 'in' ? found : !found;
  }
  if (value === undefined || Array.isArray(value))
    throw new FilterError(`The ${op} operator needs one value for ${condition.field}.`);
  const expected = comparable(value as FilterValue);
  switch (op) {
    case 'eq':
      return actual === expected;
    case 'noteq':
      return actual !== expected;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (actual === null || expected === null) return false;
      const c = compare(actual, expected);
      return op === 'gt' ? c > 0 : op === 'gte' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
    }
    case 'beginsWith':
    case 'endsWith':
    case 'contains': {
      if (actual === null || expected === null) return false;
      const a = String(actual);
      const e = String(expected);
      return op === 'beginsWith' ? a.startsWith(e) : op === 'endsWith' ? a.endsWith(e) : a.includes(e);
    }
  }
}
