// Which Autotask zone (server) holds the partner's database. Looked up once per user and
// cached for the process; looked up again only after 401/404/connection failures.
import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import { AutotaskError, CREDENTIAL_HINTS } from './autotaskError.js';
import { autotaskMessages } from './failureClassification.js';

export const ZoneInformationSchema = z.looseObject({
  zoneName: z.string().nullish(),
  url: z.string().url(),
  webUrl: z.string().nullish(),
  ci: z.number().nullish(),
});
export type ZoneInformation = z.infer<typeof ZoneInformationSchema>;

const cache = new Map<string, ZoneInformation>();

const cacheKey = (zoneUrl: string, user: string) => `${zoneUrl.toLowerCase()}|${user.toLowerCase()}`;

export function forgetZone(zoneUrl: string, user: string): void {
  cache.delete(cacheKey(zoneUrl, user));
}

export function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

export async function lookupZone(
  http: AxiosInstance,
  zoneUrl: string,
  user: string,
  options: { fresh?: boolean; timeoutMs: number },
): Promise<ZoneInformation> {
  const key = cacheKey(zoneUrl, user);
  const cached = cache.get(key);
  if (cached && !options.fresh) return cached;
  const url = `${withSlash(zoneUrl)}zoneInformation?user=${encodeURIComponent(user)}`;
  let status: number;
  let data: unknown;
  try {
    const res = await http.get(url, { validateStatus: () => true, timeout: options.timeoutMs });
    status = res.status;
    data = res.data;
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new AutotaskError({
      code: 'AUTOTASK_UNREACHABLE',
      message: `Could not reach the Autotask zone lookup at ${zoneUrl} (${code ?? (error as Error).message}).`,
      hint: 'Check the network, or set AUTOTASK_BASE_URL to your zone (e.g. https://webservices5.autotask.net/ATServicesRest/) to skip the lookup.',
      endpoint: 'GET zoneInformation',
    });
  }
  const messages = autotaskMessages(data);
  if (
    messages.some((m) => /Zone information could not be determined/i.test(m)) ||
    (status === 404 && !messages.length)
  ) {
    throw new AutotaskError({
      code: 'AUTOTASK_AUTH_UNKNOWN_USER',
      message: `Autotask does not know the API user "${user}" (the zone lookup found no database for it).`,
      hint: CREDENTIAL_HINTS.AUTOTASK_AUTH_UNKNOWN_USER,
      status,
      autotaskMessages: messages,
      endpoint: 'GET zoneInformation',
    });
  }
  const parsed = ZoneInformationSchema.safeParse(data);
  if (status !== 200 || !parsed.success) {
    throw new AutotaskError({
      code: 'AUTOTASK_UNEXPECTED',
      message: `The Autotask zone lookup answered HTTP ${status} without a zone URL.`,
      hint: 'Set AUTOTASK_BASE_URL to your zone to skip the lookup, or try again later.',
      status,
      autotaskMessages: messages,
      endpoint: 'GET zoneInformation',
    });
  }
  cache.set(key, parsed.data);
  return parsed.data;
}
