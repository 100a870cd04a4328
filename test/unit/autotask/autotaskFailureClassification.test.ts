// Which Autotask answers the client may send again, and under which code (a pure function: the
// HTTP-level behaviour is tested against the sandbox in test/integration/sandbox/sandboxRules).
import { classifyNetworkFailure, classifyResponse } from '../../../src/autotask/failureClassification.js';

const read = (status: number, body: unknown, headers: Record<string, unknown> = {}) =>
  classifyResponse(status, body, headers, 'read', 'POST Companies/query');
const write = (status: number, body: unknown) =>
  classifyResponse(status, body, {}, 'write', 'POST Contracts/ServiceAdjustments');

describe('classifying Autotask failures', () => {
  it('detects the thread limit by its text whatever the status, and retries it even for writes', () => {
    const viaText = write(500, {
      errors: ['Request rejected: thread threshold of 3 threads has been exceeded'],
    });
    expect(viaText.error.code).toBe('AUTOTASK_THREAD_LIMIT');
    expect(viaText.retryable).toBe(true);
    const via429 = read(429, '', { 'retry-after': '2' });
    expect(via429.error.code).toBe('AUTOTASK_THREAD_LIMIT');
    expect(via429.error.retryAfterSeconds).toBe(2);
  });

  it('never retries business rules, credentials or the hourly limit', () => {
    const rule = write(500, { errors: ['Attempt to insert duplicate data into contract_service_period'] });
    expect(rule.error.code).toBe('AUTOTASK_BUSINESS_RULE');
    expect(rule.error.autotaskMessages).toEqual([
      'Attempt to insert duplicate data into contract_service_period',
    ]);
    expect(rule.retryable).toBe(false);
    expect(read(500, { errors: ['IntegrationCode is invalid.'] }).error.code).toBe(
      'AUTOTASK_AUTH_INTEGRATION_CODE',
    );
    expect(read(401, '').error.code).toBe('AUTOTASK_AUTH_SECRET');
    const hourly = read(429, {
      errors: ['API request threshold of 10000 requests per hour has been exceeded.'],
    });
    expect(hourly.error.code).toBe('AUTOTASK_HOURLY_LIMIT');
    expect(hourly.retryable).toBe(false);
  });

  it('retries a read on 5xx without errors, but a write becomes AUTOTASK_OUTCOME_UNKNOWN', () => {
    expect(read(502, '<html>Bad Gateway</html>')).toMatchObject({ retryable: true });
    expect(write(502, '<html>Bad Gateway</html>')).toMatchObject({
      retryable: false,
      error: expect.objectContaining({ code: 'AUTOTASK_OUTCOME_UNKNOWN' }),
    });
    expect(write(500, { Message: 'An error has occurred.' }).error.code).toBe('AUTOTASK_OUTCOME_UNKNOWN');
  });

  it('tells "surely not sent" from "may have reached the server" for network failures', () => {
    expect(classifyNetworkFailure('ECONNREFUSED', 'refused', 'write', 'POST x')).toMatchObject({
      retryable: true,
      error: expect.objectContaining({ code: 'AUTOTASK_UNREACHABLE' }),
    });
    expect(classifyNetworkFailure('ECONNRESET', 'socket hang up', 'write', 'POST x')).toMatchObject({
      retryable: false,
      error: expect.objectContaining({ code: 'AUTOTASK_OUTCOME_UNKNOWN' }),
    });
    expect(classifyNetworkFailure('ETIMEDOUT', 'timeout of 100ms exceeded', 'read', 'POST x')).toMatchObject({
      retryable: true,
      error: expect.objectContaining({ code: 'AUTOTASK_TIMEOUT' }),
    });
  });
});
