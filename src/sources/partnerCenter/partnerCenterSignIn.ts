// Signing in to Partner Center through Microsoft Entra (docs/sources-partner-center.md
// "Sign-in"): the v1 token endpoint {login}/{tenant}/oauth2/token, as Microsoft's secure
// application model shows it, with resource=https://api.partnercenter.microsoft.com. With a
// refresh token the grant is refresh_token (App+User); without one, client_credentials
// (App-only). A refusal names the setting Entra's AADSTS code points at.
import type { AccessToken, SourceHttp } from '../sourceHttp.js';
import { SourceError } from '../sourceError.js';
import {
  PARTNER_CENTER_RESOURCE,
  PARTNER_CENTER_SETTINGS,
  type PartnerCenterConfig,
} from './partnerCenterConfig.js';
import { EntraErrorSchema, TokenSchema } from './partnerCenterSchemas.js';

export function tokenUrl(config: PartnerCenterConfig): string {
  return `${config.loginUrl.replace(/\/+$/, '')}/${encodeURIComponent(config.tenantId)}/oauth2/token`;
}

export async function signIn(config: PartnerCenterConfig, http: SourceHttp): Promise<AccessToken> {
  const form: Record<string, string> = {
    client_id: config.appId,
    client_secret: config.appSecret,
    resource: PARTNER_CENTER_RESOURCE,
    ...(config.refreshToken
      ? { grant_type: 'refresh_token', refresh_token: config.refreshToken }
      : { grant_type: 'client_credentials' }),
  };
  const answer = await http.postForm(tokenUrl(config), form);
  if (answer.status === 200) {
    const token = TokenSchema.safeParse(answer.body);
    if (token.success)
      return { accessToken: token.data.access_token, expiresInSeconds: token.data.expires_in };
    throw new SourceError(
      'partner-center',
      'SOURCE_UNEXPECTED',
      'the Entra token endpoint answered 200 without an access token and expiry',
      'check PARTNER_CENTER login URL: it should be https://login.microsoftonline.com',
      200,
    );
  }
  const refusal = EntraErrorSchema.safeParse(answer.body);
  if (!refusal.success)
    throw new SourceError(
      'partner-center',
      'SOURCE_UNEXPECTED',
      `the Entra token endpoint answered ${answer.status} without Entra's error JSON`,
      'check the login URL setting: it should be https://login.microsoftonline.com',
      answer.status,
    );
  const code = aadstsCode(refusal.data.error_codes, refusal.data.error_description);
  const setting = settingFor(refusal.data.error, code, Boolean(config.refreshToken));
  const said = firstSentence(refusal.data.error_description) ?? refusal.data.error;
  throw new SourceError(
    'partner-center',
    'SOURCE_AUTH_FAILED',
    `Microsoft Entra refused the sign-in (${answer.status} ${refusal.data.error}${code ? `, AADSTS${code}` : ''}): ${said}`,
    hintFor(setting),
    answer.status,
  );
}

function aadstsCode(codes: number[] | undefined, description: string | undefined): number | undefined {
  if (codes?.[0] !== undefined) return codes[0];
  const match = /AADSTS(\d+)/.exec(description ?? '');
  return match ? Number(match[1]) : undefined;
}

type Setting = keyof typeof PARTNER_CENTER_SETTINGS | 'all';

/** Which setting an Entra refusal is about (the AADSTS codes are Entra's, see the doc). */
function settingFor(error: string, code: number | undefined, withRefreshToken: boolean): Setting {
  switch (code) {
    case 7000215: // wrong secret
    case 7000222: // secret expired
      return 'appSecret';
    case 700016: // no such application in the tenant
      return 'appId';
    case 90002: // no such tenant
    case 900023: // tenant id not valid
      return 'tenantId';
    case 70000: // grant invalid or malformed
    case 70008: // refresh token expired
    case 700082: // refresh token expired through inactivity
    case 50173: // grant revoked (password changed)
    case 9002313: // request malformed (a garbled token)
      return withRefreshToken ? 'refreshToken' : 'all';
  }
  if (error === 'invalid_client') return 'appSecret';
  if (error === 'unauthorized_client') return 'appId';
  if (error === 'invalid_grant') return withRefreshToken ? 'refreshToken' : 'all';
  return 'all';
}

function hintFor(setting: Setting): string {
  const s = PARTNER_CENTER_SETTINGS;
  switch (setting) {
    case 'appSecret':
      return `check ${s.appSecret}: use the client secret's value (not its id) and make a new one in Entra if it expired`;
    case 'appId':
      return `check ${s.appId}: the application (client) id of the Entra app registered in the partner tenant`;
    case 'tenantId':
      return `check ${s.tenantId}: the partner's own Entra tenant id`;
    case 'refreshToken':
      return `check ${s.refreshToken}: it is expired or revoked; run the consent again to get a new one (docs/sources-partner-center.md)`;
    case 'all':
      return `check ${s.appId}, ${s.appSecret}, ${s.tenantId} and ${s.refreshToken}`;
  }
}

function firstSentence(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const withoutCode = text.replace(/^AADSTS\d+:\s*/, '');
  return withoutCode
    .split(/\r?\n| Trace ID:/)[0]!
    .trim()
    .slice(0, 300);
}
