// What the Partner Center connector needs (docs/sources-partner-center.md "Sign-in"): the Entra
// app (id and secret) the partner registered, the partner's own tenant, and — for App+User
// calls — the refresh token from the one-time consent. Without a refresh token the connector
// signs in App-only (client_credentials).
export interface PartnerCenterConfig {
  appId: string;
  appSecret: string;
  /** the partner's Entra tenant id (the token endpoint's path) */
  tenantId: string;
  refreshToken?: string | undefined;
  /** https://api.partnercenter.microsoft.com/v1 */
  baseUrl: string;
  /** https://login.microsoftonline.com */
  loginUrl: string;
}

/** The settings names a refusal points at. */
export const PARTNER_CENTER_SETTINGS = {
  appId: 'PARTNER_CENTER_APP_ID',
  appSecret: 'PARTNER_CENTER_APP_SECRET',
  tenantId: 'PARTNER_CENTER_TENANT_ID',
  refreshToken: 'PARTNER_CENTER_REFRESH_TOKEN',
} as const;

export const PARTNER_CENTER_RESOURCE = 'https://api.partnercenter.microsoft.com';
