// The REST routes of Autotask the sandbox serves: the zone lookup, threshold information, and
// per entity its information, fields, queries (paged), counts, reads and the contract writes.
import { z } from 'zod';
import { SANDBOX_ENTITIES, type SandboxAnswer, type SandboxEntity } from '../sandboxDatabase.js';
import { SANDBOX_ERROR_TEXT } from '../sandboxErrorTexts.js';
import { safeJson } from './sandboxHttp.js';
import { baseUrlOf, hourlyUsed, type SandboxRuntime } from './sandboxRuntime.js';

const ENTITY_BY_LOWER = new Map(
  (Object.keys(SANDBOX_ENTITIES) as SandboxEntity[]).map((e) => [e.toLowerCase(), e] as const),
);

const notAllowed = { status: 405, body: { Message: SANDBOX_ERROR_TEXT.methodNotAllowed } };

/** Entity names as the sandbox spells them, so counters read "POST Companies/query" whatever the caller's case. */
export function canonicalPath(rest: string): string {
  const parts = rest.split('/');
  const entity = ENTITY_BY_LOWER.get((parts[0] ?? '').toLowerCase());
  if (entity) parts[0] = entity;
  return parts
    .map((p) =>
      p.toLowerCase() === 'serviceadjustments'
        ? 'ServiceAdjustments'
        : p.toLowerCase() === 'services'
          ? 'Services'
          : p,
    )
    .join('/');
}

/** The zone lookup: no credentials needed, exempt from limits. */
export function zoneInformation(
  state: SandboxRuntime,
  method: string,
  url: URL,
  username: string,
): SandboxAnswer {
  if (method !== 'GET') return notAllowed;
  const user = url.searchParams.get('user') ?? '';
  if (user.toLowerCase() !== username.toLowerCase())
    return { status: 500, body: { errors: [SANDBOX_ERROR_TEXT.zoneUnknownUser] } };
  return {
    status: 200,
    body: { zoneName: 'Sandbox (localhost)', url: baseUrlOf(state), webUrl: `${state.root}/`, ci: 0 },
  };
}

export function route(
  state: SandboxRuntime,
  method: string,
  rest: string,
  url: URL,
  body: unknown,
): SandboxAnswer | 'html404' {
  const { database } = state;
  const parts = rest.split('/').filter(Boolean);
  const lower = parts.map((p) => p.toLowerCase());
  if (lower.length === 1 && lower[0] === 'thresholdinformation')
    return method === 'GET' ? database.thresholdInformation(hourlyUsed(state)) : notAllowed;
  const entity = ENTITY_BY_LOWER.get(lower[0] ?? '');
  if (!entity) return 'html404';
  const tail = lower.slice(1).join('/');
  if (tail === 'entityinformation') return method === 'GET' ? database.entityInformation(entity) : notAllowed;
  if (tail === 'entityinformation/fields')
    return method === 'GET' ? database.entityFields(entity) : notAllowed;
  if (tail === 'query' || tail === 'query/next') {
    if (method !== 'POST') return notAllowed;
    if (entity === 'ContractServiceAdjustments')
      return { status: 405, body: { errors: ['ContractServiceAdjustments cannot be queried.'] } };
    let afterId = 0;
    if (tail === 'query/next') {
      const token = url.searchParams.get('paging') ?? '';
      const parsed = z
        .object({ afterId: z.number().int().min(0) })
        .safeParse(safeJson(Buffer.from(token, 'base64url').toString('utf8')));
      if (!parsed.success) return { status: 500, body: { errors: ['The paging token is invalid.'] } };
      afterId = parsed.data.afterId;
    }
    return database.query(entity, body, afterId, (lastId) => {
      const token = Buffer.from(JSON.stringify({ afterId: lastId })).toString('base64url');
      return `${baseUrlOf(state)}V1.0/${entity}/query/next?paging=${token}`;
    });
  }
  if (tail === 'query/count') return method === 'POST' ? database.count(entity, body) : notAllowed;
  if (entity === 'Contracts' && lower.length === 3 && /^\d+$/.test(lower[1]!)) {
    if (method !== 'POST') return notAllowed;
    if (lower[2] === 'services') return database.createContractService(Number(lower[1]), body);
    if (lower[2] === 'serviceadjustments') return database.createAdjustment(Number(lower[1]), body);
    return 'html404';
  }
  if (entity === 'ContractServiceAdjustments' && lower.length === 1)
    return method === 'POST' ? database.createAdjustment(undefined, body) : notAllowed;
  if (lower.length === 2 && /^\d+$/.test(lower[1]!))
    return method === 'GET' ? database.get(entity, Number(lower[1])) : notAllowed;
  return 'html404';
}
