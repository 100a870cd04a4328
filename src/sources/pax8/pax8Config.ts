// The settings of the Pax8 source (docs/sources-pax8.md "Settings"): an API client made in the
// Pax8 portal (PAX8_CLIENT_ID / PAX8_CLIENT_SECRET) and where to reach Pax8.
export interface Pax8Config {
  clientId: string;
  clientSecret: string;
  /** the API base: https://api.pax8.com/v1, or the stand-in's URL in the demo */
  baseUrl: string;
  /** the token endpoint: https://api.pax8.com/v1/token */
  tokenUrl: string;
}

/** the audience Pax8 names for the partner endpoints */
export const PAX8_PARTNER_AUDIENCE = 'https://api.pax8.com';
export const PAX8_CREDENTIAL_SETTINGS = 'PAX8_CLIENT_ID / PAX8_CLIENT_SECRET';
