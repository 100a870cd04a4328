// The REST paths the sandbox answers, each with the methods the vendor's swagger lists for it
// (docs/autotask-facts.md [swagger]), so a wrong method gets a 405 naming the right ones. Paths
// and entity names match case-insensitively, as on a real zone. A path the swagger does not list
// is not here: it answers IIS's 404 page.
import { SANDBOX_ENTITIES, type SandboxEntity } from '../sandboxDatabase.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The contract children the sandbox serves, by their path segment under /Contracts/{id}/. */
export const CONTRACT_CHILDREN = {
  Services: 'ContractServices',
  ServiceUnits: 'ContractServiceUnits',
  ServiceAdjustments: 'ContractServiceAdjustments',
} as const satisfies Record<string, SandboxEntity>;
export type ContractChild = keyof typeof CONTRACT_CHILDREN;

export type VendorPath =
  | { kind: 'thresholdInformation' }
  | { kind: 'entityInformation'; entity: SandboxEntity; fields: boolean }
  | { kind: 'query'; entity: SandboxEntity; page: 'first' | 'next' }
  | { kind: 'count'; entity: SandboxEntity }
  | { kind: 'item'; entity: SandboxEntity; id: number }
  | { kind: 'root'; entity: SandboxEntity }
  | { kind: 'children'; parentId: number; child: ContractChild }
  | { kind: 'child'; parentId: number; child: ContractChild; id: number };

export interface ResolvedPath {
  path: VendorPath;
  /** the methods the swagger lists for this path (what a 405's Allow header names) */
  allow: readonly HttpMethod[];
}

const READ: readonly HttpMethod[] = ['GET'];
const QUERY: readonly HttpMethod[] = ['GET', 'POST'];
const NONE: readonly HttpMethod[] = [];

/** `/V1.0/{Entity}` (no id): the swagger's create and update routes; an entity not listed has none. */
const ROOT_METHODS: Partial<Record<SandboxEntity, readonly HttpMethod[]>> = {
  Companies: ['PUT', 'POST', 'PATCH'],
  Contracts: ['PUT', 'POST', 'PATCH'],
  Services: ['PUT', 'POST', 'PATCH'],
  BillingItems: ['PUT', 'PATCH'],
  ContractServiceAdjustments: ['POST'],
};

/** `/V1.0/Contracts/{parentId}/{child}` and `…/{child}/{id}` as the swagger lists them. */
const CHILD_METHODS: Record<
  ContractChild,
  { collection: readonly HttpMethod[]; item?: readonly HttpMethod[] }
> = {
  Services: { collection: ['GET', 'PUT', 'POST', 'PATCH'], item: READ },
  ServiceUnits: { collection: READ, item: READ },
  ServiceAdjustments: { collection: ['POST'] },
};

const byLowerCase = <T extends string>(names: readonly T[]) =>
  new Map(names.map((n) => [n.toLowerCase(), n] as const));
const ENTITY_BY_LOWER = byLowerCase(Object.keys(SANDBOX_ENTITIES) as SandboxEntity[]);
const CHILD_BY_LOWER = byLowerCase(Object.keys(CONTRACT_CHILDREN) as ContractChild[]);

const SEGMENT_BY_LOWER = byLowerCase([
  ...CHILD_BY_LOWER.values(),
  'query',
  'count',
  'next',
  'entityInformation',
  'fields',
]);

const isId = (segment: string | undefined) => segment !== undefined && /^\d+$/.test(segment);

/** The entity-information paths under an entity (or a contract child): `entityInformation[/fields]`. */
function information(entity: SandboxEntity, tail: string[]): ResolvedPath | undefined {
  if (tail[0] !== 'entityinformation' || tail.length > 2) return undefined;
  if (tail.length === 2 && tail[1] !== 'fields') return undefined;
  return { path: { kind: 'entityInformation', entity, fields: tail.length === 2 }, allow: READ };
}

/** `rest` is the path after `/atservicesrest/v1.0/`, without a trailing slash. */
export function resolvePath(rest: string): ResolvedPath | undefined {
  const lower = rest
    .split('/')
    .filter(Boolean)
    .map((p) => p.toLowerCase());
  if (lower.length === 1 && lower[0] === 'thresholdinformation')
    return { path: { kind: 'thresholdInformation' }, allow: READ };
  const entity = ENTITY_BY_LOWER.get(lower[0] ?? '');
  if (!entity) return undefined;
  const tail = lower.slice(1);
  const joined = tail.join('/');
  if (tail.length === 0) {
    const allow = ROOT_METHODS[entity];
    return allow ? { path: { kind: 'root', entity }, allow } : undefined;
  }
  // adjustments are create-only: the swagger has no query, count or get for them
  const queryable = entity !== 'ContractServiceAdjustments';
  const query = queryable ? QUERY : NONE;
  if (joined === 'query') return { path: { kind: 'query', entity, page: 'first' }, allow: query };
  if (joined === 'query/next') return { path: { kind: 'query', entity, page: 'next' }, allow: query };
  if (joined === 'query/count') return { path: { kind: 'count', entity }, allow: query };
  if (tail.length === 1 && isId(tail[0]))
    return { path: { kind: 'item', entity, id: Number(tail[0]) }, allow: queryable ? READ : NONE };
  if (tail[0] === 'entityinformation') return information(entity, tail);
  if (entity !== 'Contracts' || !isId(tail[0])) return undefined;
  const child = CHILD_BY_LOWER.get(tail[1] ?? '');
  if (!child) return undefined;
  const parentId = Number(tail[0]);
  const below = tail.slice(2);
  if (below.length === 0)
    return { path: { kind: 'children', parentId, child }, allow: CHILD_METHODS[child].collection };
  if (below[0] === 'entityinformation') return information(CONTRACT_CHILDREN[child], below);
  const itemMethods = CHILD_METHODS[child].item;
  if (below.length === 1 && isId(below[0]) && itemMethods)
    return { path: { kind: 'child', parentId, child, id: Number(below[0]) }, allow: itemMethods };
  return undefined;
}

/** Entity names and path words as the sandbox spells them, so counters read "POST Companies/query" whatever the caller's case. */
export function canonicalPath(rest: string): string {
  const parts = rest.split('/');
  const entity = ENTITY_BY_LOWER.get((parts[0] ?? '').toLowerCase());
  if (entity) parts[0] = entity;
  return parts.map((p, i) => (i > 0 ? (SEGMENT_BY_LOWER.get(p.toLowerCase()) ?? p) : p)).join('/');
}
