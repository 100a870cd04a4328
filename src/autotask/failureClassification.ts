// Turns what came back from Autotask (a status and body, or a network failure) into an
// AutotaskError and decides whether the same request may be sent again.
//
// The rule for sending again:
// - refused before processing (thread limit / 429, connection refused, DNS): always safe.
// - reads (GET, POST …/query): idempotent, so timeouts, resets, 5xx without an `errors` array
//   are retried as well.
// - writes that may have reached the server (timeout or reset after sending, 5xx without an
//   `errors` array, 502/503/504) become AUTOTASK_OUTCOME_UNKNOWN and are never re-sent here:
//   the upload engine reads the units timeline to learn whether the write happened.
// - business-rule 500s (with an `errors` array) and credential failures: never retried.
import { AutotaskError, CREDENTIAL_HINTS } from './autotaskError.js';
import { parseRetryAfter } from './retryPolicy.js';

export type RequestKind = 'read' | 'write';

export interface ClassifiedFailure {
  error: AutotaskError;
  retryable: boolean;
  /** the zone may have moved: look it up again */
  invalidateZone: boolean;
}

/** Autotask's own words from a response body, whatever its shape. */
export function autotaskMessages(body: unknown): string[] {
  if (typeof body === 'string') {
    const text = body
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return text ? [text.slice(0, 300)] : [];
  }
  if (body === null || typeof body !== 'object') return [];
  const b = body as { errors?: unknown; Message?: unknown; message?: unknown };
  if (Array.isArray(b.errors)) {
    return b.errors
      .map((e) =>
        typeof e === 'string'
          ? e
          : typeof (e as { message?: unknown })?.message === 'string'
            ? (e as { message: string }).message
            : JSON.stringify(e),
      )
      .filter(Boolean);
  }
  if (typeof b.Message === 'string') return [b.Message];
  if (typeof b.message === 'string') return [b.message];
  return [];
}

const THREAD_TEXT = /thread threshold/i;
const HOURLY_TEXT = /(request|external) (request )?threshold|requests per hour/i;

export function classifyResponse(
  status: number,
  body: unknown,
  headers: Record<string, unknown>,
  kind: RequestKind,
  endpoint: string,
): ClassifiedFailure {
  const messages = autotaskMessages(body);
  const text = messages.join(' ');
  const hasErrorsArray =
    body !== null &&
    typeof body === 'object' &&
    Array.isArray((body as { errors?: unknown }).errors) &&
    messages.length > 0;
  const retryAfterSeconds = parseRetryAfter(headers['retry-after']);
  const make = (
    code: ConstructorParameters<typeof AutotaskError>[0]['code'],
    message: string,
    hint: string,
    retryable: boolean,
    invalidateZone = false,
  ): ClassifiedFailure => ({
    error: new AutotaskError({
      code,
      message,
      hint,
      status,
      autotaskMessages: messages,
      endpoint,
      retryAfterSeconds,
    }),
    retryable,
    invalidateZone,
  });
  const said = text ? ` Autotask said: "${text}"` : '';

  // Thread limit: 429 or the text with any status. Refused before processing → safe to resend.
  if (THREAD_TEXT.test(text) || (status === 429 && !HOURLY_TEXT.test(text)))
    return make(
      'AUTOTASK_THREAD_LIMIT',
      `Autotask refused ${endpoint}: too many requests at once (thread limit).${said}`,
      'The bot retries these by itself; if it keeps happening, another integration is using the same API user — give the bot its own integration code or lower AUTOTASK_MAX_IN_FLIGHT.',
      true,
    );
  if (HOURLY_TEXT.test(text))
    return make(
      'AUTOTASK_HOURLY_LIMIT',
      `Autotask refused ${endpoint}: the database's hourly API request budget is used up.${said}`,
      'Wait for the rolling hour to free up (Autotask allows about 10,000 requests an hour for all integrations together), or lower AUTOTASK_BUDGET_SHARE so the bot leaves room for the others.',
      false,
    );
  if (/IntegrationCode is invalid/i.test(text))
    return make(
      'AUTOTASK_AUTH_INTEGRATION_CODE',
      'Autotask rejected the integration code.',
      CREDENTIAL_HINTS.AUTOTASK_AUTH_INTEGRATION_CODE,
      false,
    );
  if (/Zone information could not be determined/i.test(text))
    return make(
      'AUTOTASK_AUTH_UNKNOWN_USER',
      'Autotask does not know the API user.',
      CREDENTIAL_HINTS.AUTOTASK_AUTH_UNKNOWN_USER,
      false,
      true,
    );
  if (status === 401)
    return make(
      'AUTOTASK_AUTH_SECRET',
      'Autotask refused the user name and secret (HTTP 401).',
      CREDENTIAL_HINTS.AUTOTASK_AUTH_SECRET,
      false,
      true,
    );
  if (status === 403)
    return make(
      'AUTOTASK_PERMISSION',
      `The API user may not do ${endpoint} (HTTP 403).${said}`,
      'Give the API user a security level that allows it (Admin › Security Levels), then run `autotask-bot test`.',
      false,
    );
  if (status === 404)
    return make(
      'AUTOTASK_NOT_FOUND',
      `Autotask has no ${endpoint} here (HTTP 404).${said}`,
      'The record may have been deleted, or the zone URL is wrong; run `autotask-bot test`.',
      false,
      true,
    );
  if (status === 500 && hasErrorsArray)
    return make(
      'AUTOTASK_BUSINESS_RULE',
      `Autotask refused ${endpoint}: ${text}`,
      'Autotask checked the change and said no; fix what its message names (dates, contract, duplicates) — it is not retried.',
      false,
    );
  if (status >= 500 || status === 408) {
    if (kind === 'write')
      return make(
        'AUTOTASK_OUTCOME_UNKNOWN',
        `Autotask answered ${endpoint} with HTTP ${status}; the change may or may not have been saved.${said}`,
        'Not re-sent automatically: the upload reads the units timeline to learn whether it happened before trying again.',
        false,
      );
    return make(
      'AUTOTASK_UNEXPECTED',
      `Autotask answered ${endpoint} with HTTP ${status}.${said}`,
      "A passing server problem on Autotask's side; reads are retried. If it lasts, check https://status.kaseya.com.",
      true,
    );
  }
  return make(
    'AUTOTASK_UNEXPECTED',
    `Autotask answered ${endpoint} with HTTP ${status}.${said}`,
    'This is not an answer the bot expects; please report it with the log line.',
    false,
  );
}

const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_INVALID_URL',
]);
const TIMEOUT = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

export function classifyNetworkFailure(
  code: string | undefined,
  detail: string,
  kind: RequestKind,
  endpoint: string,
): ClassifiedFailure {
  if (code && NOT_SENT.has(code))
    return {
      error: new AutotaskError({
        code: 'AUTOTASK_UNREACHABLE',
        message: `Could not connect to Autotask for ${endpoint} (${code}); nothing was sent.`,
        hint: 'Check the network and AUTOTASK_BASE_URL / AUTOTASK_ZONE_URL; the bot retries a few times by itself.',
        endpoint,
      }),
      retryable: true,
      invalidateZone: true,
    };
  const timedOut = (code && TIMEOUT.has(code)) || /timeout/i.test(detail);
  if (kind === 'write')
    return {
      error: new AutotaskError({
        code: 'AUTOTASK_OUTCOME_UNKNOWN',
        message: `${timedOut ? 'No answer in time' : 'The connection broke'} after sending ${endpoint} (${code ?? detail}); the change may or may not have been saved.`,
        hint: 'Not re-sent automatically: the upload reads the units timeline to learn whether it happened before trying again.',
        endpoint,
      }),
      retryable: false,
      invalidateZone: false,
    };
  return {
    error: new AutotaskError({
      code: timedOut ? 'AUTOTASK_TIMEOUT' : 'AUTOTASK_UNREACHABLE',
      message: `${timedOut ? 'Autotask did not answer in time' : 'The connection to Autotask broke'} (${endpoint}, ${code ?? detail}).`,
      hint: 'Reads are retried by themselves; if it persists, Autotask may be slow or unreachable from here.',
      endpoint,
    }),
    retryable: true,
    invalidateZone: !timedOut,
  };
}
