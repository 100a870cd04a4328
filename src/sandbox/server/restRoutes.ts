// The REST routes of Autotask the sandbox serves: the zone lookup, threshold information, and
// per entity its information, fields, queries (paged, by POST body or GET `search`), counts,
// reads, the contract children and the contract writes. Paths and their methods come from
// vendorPaths.ts; bodies are put in the sandbox's spelling by requestDialect.ts first.
import { z } from 'zod';
import type { FilterCondition } from '../../autotask/queryFilter.js';
import {
  SANDBOX_ENTITIES,
  type SandboxAnswer,
  type SandboxDatabase,
  type SandboxEntity,
} from '../sandboxDatabase.js';
import { SANDBOX_FIELDS } from '../entityFieldModel.js';
import { SANDBOX_ERROR_TEXT } from '../sandboxErrorTexts.js';
import { canonicalWriteBody, normaliseQueryBody, searchParameter } from './requestDialect.js';
import { safeJson, type HttpAnswer } from './sandboxHttp.js';
import { baseUrlOf, hourlyUsed, type SandboxRuntime } from './sandboxRuntime.js';
import { CONTRACT_CHILDREN, resolvePath, type HttpMethod } from './vendorPaths.js';

export { canonicalPath } from './vendorPaths.js';

const fail = (status: number, ...errors: string[]): SandboxAnswer => ({ status, body: { errors } });

/** 405 with the methods the path has, in the Allow header and in the message. */
export function methodNotAllowed(method: string, allow: readonly HttpMethod[]): HttpAnswer {
  return {
    status: 405,
    headers: { Allow: allow.join(', ') },
    body: { Message: SANDBOX_ERROR_TEXT.methodNotAllowed(method, allow) },
  };
}

/** The zone lookup: no credentials needed, exempt from limits. */
export function zoneInformation(
  state: SandboxRuntime,
  method: string,
  url: URL,
  username: string,
): HttpAnswer {
  if (method !== 'GET') return methodNotAllowed(method, ['GET']);
  const user = url.searchParams.get('user') ?? '';
  if (user.toLowerCase() !== username.toLowerCase())
    return { status: 500, body: { errors: [SANDBOX_ERROR_TEXT.zoneUnknownUser] } };
  return {
    status: 200,
    body: { zoneName: 'Sandbox (localhost)', url: baseUrlOf(state), webUrl: `${state.root}/`, ci: 0 },
  };
}

/** The entity's field names, as its entityInformation/fields answers them. */
function fieldNames(entity: SandboxEntity): string[] {
  return SANDBOX_FIELDS[entity].map((f) => f.name);
}

/** A write body in the entity's spelling, or the refusal (logged) when it names an unknown field. */
function writeBody(
  database: SandboxDatabase,
  entity: SandboxEntity,
  route: string,
  body: unknown,
): { body: unknown } | { refused: SandboxAnswer } {
  const written = canonicalWriteBody(body, fieldNames(entity));
  if ('body' in written) return written;
  const { singular } = SANDBOX_ENTITIES[entity];
  const errors = written.unknownFields.map((f) => SANDBOX_ERROR_TEXT.unknownWriteField(singular, f));
  return { refused: database.refuseWrite(route, fail(500, ...errors)) };
}

const PagingTokenSchema = z.object({ afterId: z.number().int().min(0) });

/**
 * A query, first page or next, by POST body or by GET `search`. A GET query's nextPageUrl
 * carries its `search`, so it is followed with GET as well; a POST query's is POSTed again with
 * the same body (docs/autotask-facts.md, "Reading").
 */
function query(
  state: SandboxRuntime,
  entity: SandboxEntity,
  method: string,
  page: 'first' | 'next',
  url: URL,
  body: unknown,
): HttpAnswer {
  let searchText: string | undefined;
  let queryBody = body;
  if (method === 'GET') {
    // integrators see a 405 for a GET on a POST query's next page (it has no search to repeat)
    if (page === 'next' && url.searchParams.get('search') === null) return methodNotAllowed(method, ['POST']);
    const search = searchParameter(url);
    if ('problem' in search) return fail(500, search.problem);
    queryBody = search.body;
    searchText = url.searchParams.get('search')!;
  }
  let afterId = 0;
  if (page === 'next') {
    const token = url.searchParams.get('paging') ?? '';
    const parsed = PagingTokenSchema.safeParse(safeJson(Buffer.from(token, 'base64url').toString('utf8')));
    if (!parsed.success) return fail(500, 'The paging token is invalid.');
    afterId = parsed.data.afterId;
  }
  return state.database.query(entity, normaliseQueryBody(queryBody), afterId, (lastId) => {
    const token = Buffer.from(JSON.stringify({ afterId: lastId })).toString('base64url');
    const search = searchText === undefined ? '' : `&search=${encodeURIComponent(searchText)}`;
    return `${baseUrlOf(state)}V1.0/${entity}/query/next?paging=${token}${search}`;
  });
}

function count(database: SandboxDatabase, entity: SandboxEntity, method: string, url: URL, body: unknown) {
  if (method !== 'GET') return database.count(entity, normaliseQueryBody(body));
  const search = searchParameter(url);
  return 'problem' in search
    ? fail(500, search.problem)
    : database.count(entity, normaliseQueryBody(search.body));
}

/** GET /Contracts/{id}/Services or …/ServiceUnits: the parent's rows, paged like a GET query on the entity. */
function childCollection(state: SandboxRuntime, entity: SandboxEntity, parentId: number): HttpAnswer {
  const filter: FilterCondition[] = [{ op: 'eq', field: 'contractID', value: parentId }];
  const search = new URLSearchParams({ search: JSON.stringify({ filter }) });
  return query(state, entity, 'GET', 'first', new URL(`http://sandbox/?${search.toString()}`), undefined);
}

export function route(
  state: SandboxRuntime,
  method: string,
  rest: string,
  url: URL,
  body: unknown,
): HttpAnswer | 'html404' {
  const { database } = state;
  const resolved = resolvePath(rest);
  if (!resolved) return 'html404';
  const { path, allow } = resolved;
  // only adjustments have paths with no method at all: their query, count and get
  if (allow.length === 0)
    return {
      ...methodNotAllowed(method, allow),
      body: { errors: ['ContractServiceAdjustments cannot be queried.'] },
    };
  if (!allow.includes(method as HttpMethod)) return methodNotAllowed(method, allow);
  switch (path.kind) {
    case 'thresholdInformation':
      return database.thresholdInformation(hourlyUsed(state));
    case 'entityInformation':
      return path.fields ? database.entityFields(path.entity) : database.entityInformation(path.entity);
    case 'query':
      return query(state, path.entity, method, path.page, url, body);
    case 'count':
      return count(database, path.entity, method, url, body);
    case 'item':
      return database.get(path.entity, path.id);
    case 'root': {
      if (path.entity !== 'ContractServiceAdjustments')
        return fail(501, SANDBOX_ERROR_TEXT.notModelled(`${method} ${path.entity}`));
      const route = 'POST ContractServiceAdjustments';
      const written = writeBody(database, path.entity, route, body);
      return 'refused' in written ? written.refused : database.createAdjustment(undefined, written.body);
    }
    case 'child':
      return database.getChild(CONTRACT_CHILDREN[path.child], path.parentId, path.id);
    case 'children': {
      const entity = CONTRACT_CHILDREN[path.child];
      if (method === 'GET') return childCollection(state, entity, path.parentId);
      const route = `${method} Contracts/${path.child}`;
      const written = writeBody(database, entity, route, body);
      if ('refused' in written) return written.refused;
      if (method === 'PATCH' || method === 'PUT')
        return database.updateContractService(path.parentId, written.body, method);
      return path.child === 'Services'
        ? database.createContractService(path.parentId, written.body)
        : database.createAdjustment(path.parentId, written.body);
    }
  }
}
