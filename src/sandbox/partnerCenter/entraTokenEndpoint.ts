// The Microsoft Entra token endpoint as the Partner Center secure application model uses it
// (docs/sources-partner-center.md "Sign-in"): the v1 endpoint POST {login}/{tenant}/oauth2/token
// with `resource`, and the v2.0 endpoint POST {login}/{tenant}/oauth2/v2.0/token with `scope`.
// Grants: refresh_token (App+User) and client_credentials (App-only). Refusals carry Entra's
// error JSON: error, error_description starting with the AADSTS code, error_codes, timestamp,
// trace_id, correlation_id — with the status Entra answers (400, or 401 for a wrong secret).
import { randomBytes, randomUUID } from 'node:crypto';

export const PARTNER_CENTER_RESOURCE = 'https://api.partnercenter.microsoft.com';

export interface PartnerCenterCredentials {
  appId: string;
  appSecret: string;
  /** the partner's own tenant: the token endpoint's path */
  tenantId: string;
  refreshToken: string;
}

export type TokenKind = 'app+user' | 'app-only';

export interface IssuedToken {
  kind: TokenKind;
  /** ms since epoch; expireTokens() sets it to the past */
  expiresAt: number;
}

export interface TokenAnswer {
  status: number;
  body: unknown;
}

const LIFETIME_SECONDS = 3600;

/** The tokens the endpoint has issued, by value, so the API can check a bearer token. */
export class EntraTokenIssuer {
  readonly issued = new Map<string, IssuedToken>();

  constructor(private readonly credentials: PartnerCenterCredentials) {}

  /** Answers one token request: `version` is the endpoint's, `tenant` the path's, `form` the body. */
  answer(version: 'v1' | 'v2.0', tenant: string, form: URLSearchParams, contentType: string): TokenAnswer {
    if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded'))
      return entraError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'grant_type'.",
      );
    if (tenant !== this.credentials.tenantId)
      return entraError(
        400,
        'invalid_request',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    const grantType = form.get('grant_type');
    if (!grantType)
      return entraError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'grant_type'.",
      );
    if (grantType !== 'refresh_token' && grantType !== 'client_credentials')
      return entraError(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grantType}'.`,
      );
    const clientId = form.get('client_id');
    if (!clientId)
      return entraError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_id'.",
      );
    if (clientId !== this.credentials.appId)
      return entraError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      );
    if (form.get('client_secret') !== this.credentials.appSecret)
      return entraError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    const audience = this.audience(version, grantType, form);
    if (audience) return audience;
    if (grantType === 'refresh_token') {
      const refreshToken = form.get('refresh_token');
      if (!refreshToken)
        return entraError(
          400,
          'invalid_request',
          900144,
          "The request body must contain the following parameter: 'refresh_token'.",
        );
      if (refreshToken !== this.credentials.refreshToken)
        return entraError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.');
    }
    return {
      status: 200,
      body: this.issue(version, grantType === 'refresh_token' ? 'app+user' : 'app-only'),
    };
  }

  /** The resource (v1) or scope (v2.0) must name Partner Center. */
  private audience(
    version: 'v1' | 'v2.0',
    grantType: string,
    form: URLSearchParams,
  ): TokenAnswer | undefined {
    if (version === 'v1') {
      const resource = form.get('resource');
      if (resource?.replace(/\/$/, '') === PARTNER_CENTER_RESOURCE) return undefined;
      return entraError(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${resource ?? '(none)'} was not found in the tenant named ${this.credentials.tenantId}.`,
      );
    }
    const scopes = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
    const wanted =
      grantType === 'client_credentials'
        ? `${PARTNER_CENTER_RESOURCE}/.default`
        : `${PARTNER_CENTER_RESOURCE}/user_impersonation`;
    if (scopes.includes(wanted)) return undefined;
    return entraError(
      400,
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scopes.join(' ') || '(none)'} is not valid.`,
    );
  }

  private issue(version: 'v1' | 'v2.0', kind: TokenKind): Record<string, unknown> {
    const accessToken = `pc.${randomBytes(18).toString('base64url')}`;
    const now = Date.now();
    this.issued.set(accessToken, { kind, expiresAt: now + LIFETIME_SECONDS * 1000 });
    const refresh = kind === 'app+user' ? { refresh_token: this.credentials.refreshToken } : {};
    if (version === 'v2.0')
      return {
        token_type: 'Bearer',
        scope: `${PARTNER_CENTER_RESOURCE}/${kind === 'app+user' ? 'user_impersonation' : '.default'}`,
        expires_in: LIFETIME_SECONDS,
        ext_expires_in: LIFETIME_SECONDS,
        access_token: accessToken,
        ...refresh,
      };
    // v1 writes the numbers as strings
    const seconds = Math.floor(now / 1000);
    return {
      token_type: 'Bearer',
      scope: 'user_impersonation',
      expires_in: String(LIFETIME_SECONDS),
      ext_expires_in: String(LIFETIME_SECONDS),
      expires_on: String(seconds + LIFETIME_SECONDS),
      not_before: String(seconds),
      resource: PARTNER_CENTER_RESOURCE,
      access_token: accessToken,
      ...refresh,
    };
  }

  /** Every token issued so far stops working (a token that expires mid-pull). */
  expireAll(): void {
    for (const token of this.issued.values()) token.expiresAt = 0;
  }

  /** The token behind an Authorization header, when it is one this endpoint issued and still valid. */
  check(authorization: string | undefined): IssuedToken | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const token = match ? this.issued.get(match[1]!) : undefined;
    return token && token.expiresAt > Date.now() ? token : undefined;
  }
}

function entraError(status: number, error: string, code: number, text: string): TokenAnswer {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z';
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}
