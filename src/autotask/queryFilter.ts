// The Autotask query filter language (POST /{Entity}/query), shared by the client (to build
// requests) and the sandbox (to check and evaluate them). The top-level array is an AND.
import { z } from 'zod';

export const COMPARISON_OPERATORS = [
  'eq',
  'noteq',
  'gt',
  'gte',
  'lt',
  'lte',
  'beginsWith',
  'endsWith',
  'contains',
  'exist',
  'notExist',
  'in',
  'notIn',
] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export type FilterValue = string | number | boolean | null;

export type FilterCondition =
  | { op: ComparisonOperator; field: string; value?: FilterValue | FilterValue[]; udf?: boolean }
  | { op: 'and' | 'or'; items: FilterCondition[] };

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const FilterConditionSchema: z.ZodType<FilterCondition> = z.lazy(() =>
  z.union([
    z.object({ op: z.enum(['and', 'or']), items: z.array(FilterConditionSchema).min(1) }),
    z.object({
      op: z.enum(COMPARISON_OPERATORS),
      field: z.string().min(1),
      value: z.union([scalar, z.array(scalar)]).optional(),
      udf: z.boolean().optional(),
    }),
  ]),
);

export const QueryBodySchema = z.object({
  filter: z.array(FilterConditionSchema).min(1),
  IncludeFields: z.array(z.string()).optional(),
  MaxRecords: z.number().int().optional(),
});

/** `{"op":"exist","field":"id"}`: Autotask needs a filter, this one lists everything. */
export const ALL_ROWS: FilterCondition[] = [{ op: 'exist', field: 'id' }];

export const filters = {
  eq: (field: string, value: FilterValue): FilterCondition => ({ op: 'eq', field, value }),
  in: (field: string, value: FilterValue[]): FilterCondition => ({ op: 'in', field, value }),
  and: (...items: FilterCondition[]): FilterCondition => ({ op: 'and', items }),
  or: (...items: FilterCondition[]): FilterCondition => ({ op: 'or', items }),
};
