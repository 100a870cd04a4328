// The error texts the sandbox answers with. Those marked REAL are Autotask's own wording
// as published; the others are the sandbox's wording for rules whose real text nobody here
// has seen — the client must never depend on them beyond "an `errors` array on a 500".
export const SANDBOX_ERROR_TEXT = {
  /** REAL (zone lookup for an unknown user, HTTP 500) */
  zoneUnknownUser: 'Zone information could not be determined',
  /** REAL (HTTP 500) */
  integrationCodeInvalid: 'IntegrationCode is invalid.',
  /** REAL (HTTP 500) */
  effectiveDateOutsideContract:
    'ContractServiceAdjustment effectiveDate must be between the start date and end date of the Contract referenced by contractID.',
  /** REAL (HTTP 500): two adjustments on one line on one date */
  duplicateAdjustment: 'Attempt to insert duplicate data into contract_service_period',
  /** REAL wording fragment (HTTP 429) */
  threadThreshold: 'thread threshold of 3 threads has been exceeded',
  /** sandbox wording (HTTP 429, with Retry-After) */
  hourlyThreshold: (limit: number) =>
    `API request threshold of ${limit} requests per hour has been exceeded. Retry after the current timeframe.`,
  /** sandbox wording (HTTP 500) */
  notRecurringService:
    'Contract services and adjustments can only be added to a Contract of type Recurring Service.',
  /** sandbox wording (HTTP 500) */
  periodPosted:
    'ContractServiceAdjustment effectiveDate falls in a billing period that has already been approved and posted.',
  /** sandbox wording (HTTP 500) */
  serviceAlreadyOnContract:
    'The Service referenced by serviceID is already on this Contract; use a ContractServiceAdjustment with allowRepeatService to add a second line.',
  /** sandbox wording (HTTP 500) */
  maxRecords: 'MaxRecords must be between 1 and 500.',
  /**
   * ASP.NET's wording for a method a route does not have (HTTP 405), then the sandbox's list of
   * the methods it does have (also in the Allow header)
   */
  methodNotAllowed: (method: string, allow: readonly string[]) =>
    `The requested resource does not support http method '${method}'.` +
    (allow.length ? ` It supports ${allow.join(', ')}.` : ''),
  /** sandbox wording (HTTP 500): a write body naming a field the entity does not have */
  unknownWriteField: (entity: string, field: string) =>
    `Unable to find ${field} in the ${entity} Entity: the body names a field the entity does not have (see entityInformation/fields).`,
  /** sandbox wording (HTTP 500): a ContractService update changing anything else */
  contractServiceNotUpdatable: (field: string) =>
    `Field ${field} cannot be updated: only adjustedPrice and invoiceDescription of a ContractService can be changed.`,
  /** sandbox wording (HTTP 501): a route the vendor documents that the sandbox does not model */
  notModelled: (route: string) =>
    `The sandbox does not model ${route}: Autotask documents it, but the bot never calls it.`,
  /** ASP.NET's wording (HTTP 401) */
  unauthorized: 'Authorization has been denied for this request.',
} as const;
